// The field force: where workers are, today's trails and patrol coverage, and a phone's own positions.
import { get, post } from './client'
import type { CoverageRead, FixCreate, LiveWorkerRead, TrackRead } from './types'

export const liveWorkers = () => get<LiveWorkerRead[]>('/api/workers/live')
export const workerTrails = () => get<GeoJSON.FeatureCollection>('/api/workers/trails')
export const coverage = () => get<CoverageRead>('/api/coverage')
export const sendPositions = (fixes: FixCreate[]) => post<TrackRead>('/api/track/batch', fixes)
