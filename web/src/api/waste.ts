// Garbage sorting at the truck: stops, households' points and cards, deposits, rewards and redemptions, rates.
import { ApiError, get, post, type Query } from './client'
import { session } from '../session'
import type {
  DepositCreate,
  DepositRead,
  EntryPage,
  RedemptionRead,
  RewardCreate,
  RewardPage,
  RewardRead,
  SortingRate,
  StopRead,
  WasteHouseholdPage,
  WasteVocabularyRead,
} from './types'

export const wasteVocabulary = () => get<WasteVocabularyRead>('/api/waste/vocabulary')
export const listStops = (query: Query = {}) => get<StopRead[]>('/api/waste/stops', query)
export const wasteHouseholds = (query: Query = {}) => get<WasteHouseholdPage>('/api/waste/households', query)
export const householdEntries = (id: number, query: Query = {}) => get<EntryPage>(`/api/waste/households/${id}/entries`, query)
export const registerDeposit = (body: DepositCreate) => post<DepositRead>('/api/waste/deposits', body)
export const listRewards = (query: Query = {}) => get<RewardPage>('/api/waste/rewards', query)
export const createReward = (body: RewardCreate) => post<RewardRead>('/api/waste/rewards', body)
export const redeem = (householdId: number, rewardId: number, idempotencyKey: string) =>
  post<RedemptionRead>('/api/waste/redemptions', { household_id: householdId, reward_id: rewardId, idempotency_key: idempotencyKey })
export const sortingRates = (query: Query = {}) => get<SortingRate[]>('/api/waste/rates', query)

/** The household's card as a QR code image (an object URL: the request carries the account's token). */
export async function cardQr(householdId: number): Promise<string> {
  const response = await fetch(`/api/waste/households/${householdId}/card/qr`, {
    headers: session.token ? { Authorization: `Bearer ${session.token}` } : {},
  })
  if (!response.ok) throw new ApiError('二维码加载失败', response.status, 'error')
  return URL.createObjectURL(await response.blob())
}
