// Keeping alleys clean: the checklists, inspections with their findings and score, findings put right, the
// companies' contracts and their monthly ranking.
import { download, get, post, type Query } from './client'
import type { ChecklistRead, ContractCreate, ContractRead, InspectionCreate, InspectionPage, InspectionRead, RankingRead, SortingRate, ChiefScorecardRead } from './types'

export const currentChecklist = (kind: ChecklistRead['kind']) => get<ChecklistRead>('/api/stewardship/checklists/current', { kind })
export const recordInspection = (body: InspectionCreate) => post<InspectionRead>('/api/stewardship/inspections', body)
export const listInspections = (query: Query = {}) => get<InspectionPage>('/api/stewardship/inspections', query)
export const fixFinding = (id: number, photos: string[] = []) => post<InspectionRead>(`/api/stewardship/findings/${id}/fixed`, { photos })
export const listContracts = () => get<ContractRead[]>('/api/stewardship/contracts')
export const createContract = (body: ContractCreate) => post<ContractRead>('/api/stewardship/contracts', body)
export const getRanking = (month: string) => get<RankingRead>('/api/stewardship/ranking', { month })
export const downloadRanking = (month: string) =>
  download('/api/stewardship/ranking.xlsx', `准物业考核排名-${month}.xlsx`, { query: { month } })
export const companySortingRates = (days = 30) => get<SortingRate[]>('/api/stewardship/sorting-rates', { days })
export const chiefScorecards = (month: string) => get<ChiefScorecardRead[]>('/api/stewardship/duty/scorecards', { month })
