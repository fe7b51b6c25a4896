// The places registry, a page of one layer at a time (GeoJSON with OGC-style paging members).
import { get, type Query } from './client'
import type { PlacePage } from './types'

export const placePage = (layer: string, query: Query) => get<PlacePage>(`/api/places/${layer}`, query)
