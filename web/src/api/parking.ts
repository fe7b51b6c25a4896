// Parking: the summary of the three sources, lots (the map's layers) and their spaces, applications with the
// waiting list, permits, and their use: cars checked in and out, gate exports, violations, occupancy by hour.
import { get, post, request, type Query } from './client'
import type {
  ApplicationCreate,
  ApplicationPage,
  ApplicationRead,
  CheckIn,
  GateImportRead,
  LotPage,
  OccupancyRead,
  ParkingSummaryRead,
  ParkingVocabularyRead,
  PermitPage,
  PermitRead,
  ViolationPage,
  VisitPage,
  VisitRead,
} from './types'

export const parkingSummary = (query: Query = {}) => get<ParkingSummaryRead>('/api/parking/summary', query)
export const parkingVocabulary = () => get<ParkingVocabularyRead>('/api/parking/vocabulary')
export const listLots = (query: Query = {}) => get<LotPage>('/api/parking/lots', query)
export const listApplications = (query: Query = {}) => get<ApplicationPage>('/api/parking/applications', query)
export const applyForPermit = (body: ApplicationCreate) => post<ApplicationRead>('/api/parking/applications', body)
export const listPermits = (query: Query = {}) => get<PermitPage>('/api/parking/permits', query)
export const reinstatePermit = (id: number) => post<PermitRead>(`/api/parking/permits/${id}/reinstate`, {})
export const listVisits = (query: Query = {}) => get<VisitPage>('/api/parking/visits', query)
export const checkIn = (body: CheckIn) => post<VisitRead>('/api/parking/visits', body)
export const checkOut = (id: number, photos: string[] = []) => post<VisitRead>(`/api/parking/visits/${id}/check-out`, { photos })
export const listViolations = (query: Query = {}) => get<ViolationPage>('/api/parking/violations', query)
export const parkingOccupancy = (query: Query = {}) => get<OccupancyRead>('/api/parking/occupancy', query)
export const importGateRecords = (lotId: number, form: FormData) =>
  request<GateImportRead>(`/api/parking/lots/${lotId}/gate-records`, { method: 'POST', form })
export const refuseApplication = (id: number, note: string) =>
  post<ApplicationRead>(`/api/parking/applications/${id}/refuse`, { note })
export const renewPermit = (id: number) => post<PermitRead>(`/api/parking/permits/${id}/renew`, {})
export const revokePermit = (id: number, reason: string) => post<PermitRead>(`/api/parking/permits/${id}/revoke`, { reason })
export const transferPermit = (id: number, plate: string) => post<PermitRead>(`/api/parking/permits/${id}/transfer`, { plate })
