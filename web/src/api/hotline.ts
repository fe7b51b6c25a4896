// 接诉即办: the 12345 tickets, the steps of their loop, callbacks, the three rates, and proactive tasks with
// 每月一题.
import { get, post, type Query } from './client'
import type {
  CallbackCreate,
  EffectSummaryRead,
  HotlineVocabularyRead,
  MonthlyTopicRead,
  RatesRead,
  StepCreate,
  TaskClose,
  TaskCreate,
  TaskPage,
  TaskRead,
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

export const listTasks = (query: Query) => get<TaskPage>('/api/hotline/tasks', query)
export const getTask = (id: number) => get<TaskRead>(`/api/hotline/tasks/${id}`)
export const createTask = (body: TaskCreate) => post<TaskRead>('/api/hotline/tasks', body)
export const closeTask = (id: number, action: 'finish' | 'cancel', body: TaskClose) =>
  post<TaskRead>(`/api/hotline/tasks/${id}/${action}`, body)
export const tasksEffect = () => get<EffectSummaryRead>('/api/hotline/tasks/effect')
export const monthlyTopics = (month: string) => get<MonthlyTopicRead[]>('/api/hotline/monthly-topics', { month })
