// Cases: the desk's list, the map's points, the statistics, one case and what is done to it, the reports an
// account sent, the names of things, the assessment and the working calendar's state.
import { get, post, request, type Query } from './client'
import type {
  AssessmentRead,
  CalendarStatusRead,
  CaseDetail,
  CasePage,
  CasePointsRead,
  CaseStatsRead,
  CommentCreate,
  MyReportPage,
  TransitionCreate,
  VocabularyRead,
} from './types'

export const listCases = (query: Query) => get<CasePage>('/api/cases', query)
export const casePoints = (query: Query) => get<CasePointsRead>('/api/cases/points', query)
export const caseStats = (query: Query) => get<CaseStatsRead>('/api/cases/stats', query)
export const getCase = (id: number) => get<CaseDetail>(`/api/cases/${id}`)
export const transitionCase = (id: number, body: TransitionCreate) => post<CaseDetail>(`/api/cases/${id}/transitions`, body)
export const commentOnCase = (id: number, body: CommentCreate) => post<CaseDetail>(`/api/cases/${id}/comments`, body)
export const setCategory = (id: number, categoryCode: string) =>
  request<CaseDetail>(`/api/cases/${id}/category`, { method: 'PUT', json: { category_code: categoryCode } })
export const myReports = (query: Query) => get<MyReportPage>('/api/my/reports', query)
export const getVocabulary = () => get<VocabularyRead>('/api/vocabulary')
export const getAssessment = (query: Query) => get<AssessmentRead>('/api/assessment', query)
export const calendarStatus = () => get<CalendarStatusRead>('/api/calendar/status')
