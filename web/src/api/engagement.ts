// Resident engagement: alley councils' proposals and their ballots (sealed until they close), votes, notices.
import { get, post, type Query } from './client'
import type { EngagementVocabularyRead, NoticePage, ProposalDetail, ProposalPage, VoteReceipt } from './types'

export const engagementVocabulary = () => get<EngagementVocabularyRead>('/api/engagement/vocabulary')
export const listProposals = (query: Query = {}) => get<ProposalPage>('/api/engagement/proposals', query)
export const getProposal = (id: number) => get<ProposalDetail>(`/api/engagement/proposals/${id}`)
export const openBallot = (id: number, closesAt: string) =>
  post<ProposalDetail>(`/api/engagement/proposals/${id}/ballot`, { closes_at: closesAt })
export const closeBallot = (id: number) => post<ProposalDetail>(`/api/engagement/proposals/${id}/close`, {})
export const castVote = (id: number, choice: 'agree' | 'disagree' | 'abstain') =>
  post<VoteReceipt>(`/api/engagement/proposals/${id}/votes`, { choice })
export const listNotices = (query: Query = {}) => get<NoticePage>('/api/engagement/notices', query)
