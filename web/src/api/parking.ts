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
} from './types'

export const parkingSummary = (query: Query = {}) => get<ParkingSummaryRead>('/api/parking/summary', query)
export const parkingVocabulary = () => get<ParkingVocabularyRead>('/api/parking/vocabulary')
export const listLots = (query: Query = {}) => get<LotPage>('/api/parking/lots', query)
export const listApplications = (query: Query = {}) => get<ApplicationPage>('/api/parking/applications', query)
export const applyForPermit = (body: ApplicationCreate) => post<ApplicationRead>('/api/parking/applications', body)
export const listPermits = (query: Query = {}) => get<PermitPage>('/api/parking/permits', query)
