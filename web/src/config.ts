// The server's settings a browser needs (GET /api/client-config): the optional basemap and the demo flag.
import { get } from './api'
import type { Crs } from './map/crs'

export interface Basemap {
  url: string
  crs: Crs
  attribution: string
}

export interface ClientConfig {
  basemap: Basemap | null
  synthetic_data: boolean
}

let loading: Promise<ClientConfig> | null = null

export function clientConfig(): Promise<ClientConfig> {
  loading ??= get<ClientConfig>('/api/client-config').catch(() => ({ basemap: null, synthetic_data: false }))
  return loading
}
