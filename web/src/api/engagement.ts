// Resident engagement: alley councils' proposals and their ballots (sealed until they close), votes, notices.
import { get, post, type Query } from './client'
import type { EngagementVocabularyRead, NoticePage, ProposalDetail, ProposalPage, VoteCreate, VoteReceipt } from './types'

export const engagementVocabulary = () => get<EngagementVocabularyRead>('/api/engagement/vocabulary')
export const listProposals = (query: Query = {}) => get<ProposalPage>('/api/engagement/proposals', query)
export const closeBallot = (id: number) => post<ProposalDetail>(`/api/engagement/proposals/${id}/close`, {})
export const castVote = (id: number, choice: VoteCreate['choice']) =>
  post<VoteReceipt>(`/api/engagement/proposals/${id}/votes`, { choice })
export const listNotices = (query: Query = {}) => get<NoticePage>('/api/engagement/notices', query)
