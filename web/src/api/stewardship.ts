// Keeping alleys clean: the checklists, inspections with their findings and score, findings put right.
import { get, post, type Query } from './client'
import type { ChecklistRead, InspectionCreate, InspectionPage, InspectionRead } from './types'

export const currentChecklist = (kind: ChecklistRead['kind']) => get<ChecklistRead>('/api/stewardship/checklists/current', { kind })
export const recordInspection = (body: InspectionCreate) => post<InspectionRead>('/api/stewardship/inspections', body)
export const listInspections = (query: Query = {}) => get<InspectionPage>('/api/stewardship/inspections', query)
export const fixFinding = (id: number, photos: string[] = []) => post<InspectionRead>(`/api/stewardship/findings/${id}/fixed`, { photos })
