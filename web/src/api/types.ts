// The API's types, generated from the server's OpenAPI document (schema.d.ts, by scripts/api-types.sh): the
// names views use, one per schema. Do not write a response type by hand; regenerate instead.
import type { components } from './schema'

type Schemas = components['schemas']

export type MeRead = Schemas['MeRead']
export type Token = Schemas['Token']
export type UnitRead = Schemas['UnitRead']

export type CaseRead = Schemas['CaseRead']
export type CaseDetail = Schemas['CaseDetail']
export type CasePage = Schemas['CasePage']
export type CasePointsRead = Schemas['CasePointsRead']
export type CaseStatsRead = Schemas['CaseStatsRead']
export type CategoryRead = Schemas['CategoryRead']
export type VocabularyRead = Schemas['VocabularyRead']
export type TransitionCreate = Schemas['TransitionCreate']
export type CommentCreate = Schemas['CommentCreate']
export type MyReportRead = Schemas['MyReportRead']
export type MyReportPage = Schemas['MyReportPage']
export type ReceiptRead = Schemas['ReceiptRead']
export type PhotosRead = Schemas['PhotosRead']
export type AssessmentRead = Schemas['AssessmentRead']
export type AssessmentRowRead = Schemas['AssessmentRowRead']
export type CalendarStatusRead = Schemas['CalendarStatusRead']

export type CandidateRead = Schemas['CandidateRead']
export type OfferRead = Schemas['OfferRead']
export type PatrolPlanRead = Schemas['PatrolPlanRead']
export type PatrolRouteRead = Schemas['PatrolRouteRead']

export type LiveWorkerRead = Schemas['LiveWorkerRead']
export type CoverageRead = Schemas['CoverageRead']
export type AlleyCoverageRead = Schemas['AlleyCoverageRead']
export type FixCreate = Schemas['FixCreate']
export type TrackRead = Schemas['TrackRead']

export type PlacePage = Schemas['PlacePage']
export type SnapshotRead = Schemas['SnapshotRead']
export type ClientConfigRead = Schemas['ClientConfigRead']
export type BasemapRead = Schemas['BasemapRead']
export type ExportCreate = Schemas['ExportCreate']

export type TicketRead = Schemas['TicketRead']
export type TicketDetail = Schemas['TicketDetail']
export type TicketPage = Schemas['TicketPage']
export type StepCreate = Schemas['StepCreate']
export type CallbackCreate = Schemas['CallbackCreate']
export type RatesRead = Schemas['RatesRead']
export type RateRowRead = Schemas['RateRowRead']
export type TrendPointRead = Schemas['TrendPointRead']
export type HotlineVocabularyRead = Schemas['HotlineVocabularyRead']
