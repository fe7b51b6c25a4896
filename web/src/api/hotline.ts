// 接诉即办: the 12345 tickets, the steps of their loop, callbacks, and the three rates.
import { get, post, type Query } from './client'
import type {
  CallbackCreate,
  HotlineVocabularyRead,
  RatesRead,
  StepCreate,
  TicketDetail,
  TicketPage,
  TrendPointRead,
} from './types'

export const listTickets = (query: Query) => get<TicketPage>('/api/hotline/tickets', query)
export const getTicket = (id: number) => get<TicketDetail>(`/api/hotline/tickets/${id}`)
export const takeStep = (id: number, body: StepCreate) => post<TicketDetail>(`/api/hotline/tickets/${id}/steps`, body)
export const callBack = (id: number, body: CallbackCreate) =>
  post<TicketDetail>(`/api/hotline/tickets/${id}/callbacks`, body)
export const callbackQueue = (query: Query) => get<TicketPage>('/api/hotline/callback-queue', query)
export const getRates = (query: Query) => get<RatesRead>('/api/hotline/rates', query)
export const ratesTrend = (months: number) => get<TrendPointRead[]>('/api/hotline/rates/trend', { months })
export const getHotlineVocabulary = () => get<HotlineVocabularyRead>('/api/hotline/vocabulary')
