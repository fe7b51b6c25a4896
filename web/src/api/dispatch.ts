// Field dispatch: the workers nearest a case, offering it, a worker's offers and answers, and patrol plans.
import { get, post, request } from './client'
import type { CandidateRead, OfferRead, PatrolPlanRead } from './types'

export const candidatesFor = (caseId: number) => get<CandidateRead[]>(`/api/dispatch/cases/${caseId}/candidates`)
export const offerCase = (caseId: number) => post<OfferRead | null>(`/api/dispatch/cases/${caseId}/offer`, {})
export const myOffers = () => get<OfferRead[]>('/api/dispatch/offers/mine')
export const answerOffer = (offerId: number, answer: 'accept' | 'decline') =>
  request<OfferRead>(`/api/dispatch/offers/${offerId}/${answer}`, { method: 'POST' })
/** Routes for the workers on shift: over every back alley, or around a warning's H3 cell. */
export const patrolPlan = (h3Cell?: string) =>
  h3Cell
    ? post<PatrolPlanRead>('/api/dispatch/warning-patrol', { h3_cell: h3Cell })
    : post<PatrolPlanRead>('/api/dispatch/patrol-plan', {})
