// What the map draws, fetched from the API and shaped as GeoJSON for MapLibre sources.
import { cellToBoundary } from 'h3-js'
import { latestSnapshot, type HotspotRow, type RiskRow, type WarningRow } from '../api/analytics'
import { casePoints as fetchCasePoints } from '../api/cases'
import { placePage } from '../api/places'
import type { LiveWorkerRead } from '../api/types'
import { coverage, liveWorkers as fetchLiveWorkers, workerTrails } from '../api/workers'

export type FC = GeoJSON.FeatureCollection
const empty = (): FC => ({ type: 'FeatureCollection', features: [] })

const PAGE = 1000 // the most the places API returns at once

/** Every feature of a places layer: the first page says how many there are, the rest come in parallel. */
export async function placesLayer(layer: string): Promise<FC> {
  const first = await placePage(layer, { page: 1, page_size: PAGE })
  const pages = Math.ceil(first.numberMatched / PAGE)
  const rest = await Promise.all(
    Array.from({ length: Math.max(0, pages - 1) }, (_, i) => placePage(layer, { page: i + 2, page_size: PAGE })),
  )
  // The schema says "objects"; they are GeoJSON features, as the places API documents.
  const features = [first, ...rest].flatMap((chunk) => chunk.features) as unknown as GeoJSON.Feature[]
  return { type: 'FeatureCollection', features }
}

export interface CaseFilters {
  start?: string
  end?: string
  category?: string
  source?: string
  status?: string
  community?: number | string
}

/** The cases matching `filters` as points (the server sends columns; the map wants features). */
export async function casePoints(filters: CaseFilters): Promise<FC> {
  const c = await fetchCasePoints({ ...filters })
  return {
    type: 'FeatureCollection',
    features: c.id.map((id, i) => ({
      type: 'Feature',
      id,
      geometry: { type: 'Point', coordinates: [c.lon[i], c.lat[i]] },
      properties: { id, category: c.category[i], topic: c.topic[i], status: c.status[i], overdue: c.overdue[i] },
    })),
  }
}

function hexagon(cell: string): GeoJSON.Polygon {
  return { type: 'Polygon', coordinates: [cellToBoundary(cell, true)] }
}

export type ColumnHeight = 'count' | 'risk'

/** Hotspot columns of one topic (or of all: summed, significant where any topic is) as hexagons. Their
 * height (`value`) is the recent count, or the expected cases of the coming week (the where-next model);
 * their colour says whether Gi* found the cell significant after the FDR correction. */
export async function hotspotCells(topic: string | null, height: ColumnHeight = 'count'): Promise<FC> {
  const [hot, ranked] = await Promise.all([
    latestSnapshot<HotspotRow>('hotspots'),
    height === 'risk' ? latestSnapshot<RiskRow>('risk') : Promise.resolve(null),
  ])
  const merged = new Map<string, { count: number; risk: number; z: number; significant: boolean }>()
  const cell = (id: string) => merged.get(id) ?? merged.set(id, { count: 0, risk: 0, z: 0, significant: false }).get(id)!
  for (const row of hot?.rows ?? []) {
    if (row.level !== 'cell' || !row.h3_cell || (topic && row.category !== topic)) continue
    const seen = cell(row.h3_cell)
    seen.count += row.count
    seen.z = Math.max(seen.z, row.z ?? 0)
    seen.significant ||= Boolean(row.significant)
  }
  for (const row of ranked?.rows ?? []) {
    if (!topic || row.category === topic) cell(row.h3_cell).risk += row.score
  }
  const features: GeoJSON.Feature[] = [...merged].map(([id, v]) => ({
    type: 'Feature',
    geometry: hexagon(id),
    properties: { h3_cell: id, topic, ...v, value: height === 'risk' ? v.risk : v.count },
  }))
  return { type: 'FeatureCollection', features }
}

export async function warningCells(): Promise<{ cells: FC; rows: WarningRow[] }> {
  const snapshot = await latestSnapshot<WarningRow>('warnings')
  const rows = snapshot?.rows ?? []
  const features: GeoJSON.Feature[] = rows
    .filter((r) => r.h3_cell)
    .map((r) => ({ type: 'Feature', geometry: hexagon(r.h3_cell as string), properties: { ...r } }))
  return { cells: { type: 'FeatureCollection', features }, rows }
}

export type LiveWorker = LiveWorkerRead

export function workerFeature(w: Pick<LiveWorker, 'user_id' | 'lon' | 'lat'> & Partial<LiveWorker>): GeoJSON.Feature {
  return {
    type: 'Feature',
    id: w.user_id,
    geometry: { type: 'Point', coordinates: [w.lon, w.lat] },
    properties: { user_id: w.user_id, name: w.full_name ?? '', stale: w.stale ?? false, recorded_at: w.recorded_at },
  }
}

export async function liveWorkers(): Promise<LiveWorker[]> {
  return fetchLiveWorkers().catch(() => [])
}

export async function walkedAlleys(): Promise<Set<number> | null> {
  const today = await coverage().catch(() => null)
  return today ? new Set(today.alleys.filter((a) => a.walked).map((a) => a.alley_id)) : null
}

export function bounds(fc: FC): [number, number, number, number] | null {
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity
  const visit = (c: unknown): void => {
    if (Array.isArray(c) && typeof c[0] === 'number') {
      const [x, y] = c as number[]
      minX = Math.min(minX, x); minY = Math.min(minY, y); maxX = Math.max(maxX, x); maxY = Math.max(maxY, y)
    } else if (Array.isArray(c)) c.forEach(visit)
  }
  for (const f of fc.features) if (f.geometry && 'coordinates' in f.geometry) visit(f.geometry.coordinates)
  return Number.isFinite(minX) ? [minX, minY, maxX, maxY] : null
}

/** Today's walk of every worker (GeoJSON lines). */
export async function trails(): Promise<FC> {
  return workerTrails().catch(() => empty())
}
