// Signing in, who is signed in, and the units a case may be sent to.
import { get, request } from './client'
import type { MeRead, Token, UnitRead } from './types'

export const signIn = (form: URLSearchParams) => request<Token>('/api/auth/token', { method: 'POST', form })
export const getMe = () => get<MeRead>('/api/auth/me')
export const listUnits = () => get<UnitRead[]>('/api/units')
