// The server's settings a browser needs (GET /api/client-config): the optional basemap and the demo flag.
import { getClientConfig } from './api/system'
import type { BasemapRead, ClientConfigRead } from './api/types'

export type Basemap = BasemapRead
export type ClientConfig = ClientConfigRead

let loading: Promise<ClientConfig> | null = null

export function clientConfig(): Promise<ClientConfig> {
  loading ??= getClientConfig().catch(() => ({ basemap: null, synthetic_data: false }))
  return loading
}
