// Resident engagement: alley councils' proposals and their ballots (sealed until they close), votes (on the phone or
// on paper at the desk), notices; and the household register ballots are counted on.
import { get, post, type Query } from './client'
import type {
  EngagementVocabularyRead,
  HouseholdPage,
  NoticePage,
  PaperVoteCreate,
  ProposalCreate,
  ProposalDetail,
  ProposalPage,
  VoteCreate,
  VoteReceipt,
} from './types'

export const engagementVocabulary = () => get<EngagementVocabularyRead>('/api/engagement/vocabulary')
export const listProposals = (query: Query = {}) => get<ProposalPage>('/api/engagement/proposals', query)
export const propose = (body: ProposalCreate) => post<ProposalDetail>('/api/engagement/proposals', body)
export const openBallot = (id: number, closesAt: string) =>
  post<ProposalDetail>(`/api/engagement/proposals/${id}/ballot`, { closes_at: closesAt })
export const closeBallot = (id: number) => post<ProposalDetail>(`/api/engagement/proposals/${id}/close`, {})
export const castVote = (id: number, choice: VoteCreate['choice']) =>
  post<VoteReceipt>(`/api/engagement/proposals/${id}/votes`, { choice })
export const recordPaperVote = (id: number, body: PaperVoteCreate) =>
  post<VoteReceipt>(`/api/engagement/proposals/${id}/paper-votes`, body)
export const listNotices = (query: Query = {}) => get<NoticePage>('/api/engagement/notices', query)
export const listHouseholds = (query: Query = {}) => get<HouseholdPage>('/api/households', query)
