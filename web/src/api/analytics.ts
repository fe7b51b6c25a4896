// The latest analytics snapshots. The schema types a snapshot's rows as plain objects (they are data frames whose
// columns differ by kind), so the rows each kind has are written here, once. None when the analytics have not
// run yet.
import { get, type Query } from './client'
import type { SnapshotRead } from './types'

export type Snapshot<Row> = Omit<SnapshotRead, 'rows'> & { rows: Row[] }

export function latestSnapshot<Row>(kind: 'hotspots' | 'risk' | 'forecasts' | 'warnings', query: Query = {}): Promise<Snapshot<Row> | null> {
  return get<Snapshot<Row>>(`/api/analytics/${kind}`, query).catch(() => null)
}

export interface HotspotRow {
  category: string
  level: string
  h3_cell?: string
  count: number
  z?: number
  p_fdr?: number
  significant?: boolean
}

export interface RiskRow {
  category: string
  h3_cell: string
  score: number
}

export interface WarningRow {
  category: string
  kind: string
  h3_cell?: string | null
  severity: string
  observed?: number
  expected?: number
  message?: string
}

export interface ForecastRow {
  category: string
  level: string
  period_start: string
  mean: number
  lo_80: number
  hi_80: number
  model: string
}
