// Parking: the summary of the three sources, lots (the map's layers) and their spaces, applications with the
// waiting list, and permits.
import { get, post, type Query } from './client'
import type {
  ApplicationCreate,
  ApplicationPage,
  ApplicationRead,
  LotPage,
  ParkingSummaryRead,
  ParkingVocabularyRead,
  PermitPage,
  PermitRead,
  SpaceRead,
} from './types'

export const parkingSummary = (query: Query = {}) => get<ParkingSummaryRead>('/api/parking/summary', query)
export const parkingVocabulary = () => get<ParkingVocabularyRead>('/api/parking/vocabulary')
export const listLots = (query: Query = {}) => get<LotPage>('/api/parking/lots', query)
export const lotSpaces = (id: number) => get<SpaceRead[]>(`/api/parking/lots/${id}/spaces`)
export const listApplications = (query: Query = {}) => get<ApplicationPage>('/api/parking/applications', query)
export const applyForPermit = (body: ApplicationCreate) => post<ApplicationRead>('/api/parking/applications', body)
export const withdrawApplication = (id: number) => post<ApplicationRead>(`/api/parking/applications/${id}/withdraw`, {})
export const listPermits = (query: Query = {}) => get<PermitPage>('/api/parking/permits', query)
export const revokePermit = (id: number, reason: string) =>
  post<PermitRead>(`/api/parking/permits/${id}/revoke`, { reason })
