// Who is logged in: the token (kept in localStorage so a reload stays logged in) and the account with its
// permissions, which decide what the navigation offers.
import { reactive } from 'vue'
import type { MeRead } from './api/types'

export type Me = MeRead

const KEY = 'jiexiang.token'

export const session = reactive({
  token: localStorage.getItem(KEY) as string | null,
  me: null as Me | null,
  expired: false,
  can(permission: string): boolean {
    return this.me?.permissions.includes(permission) ?? false
  },
  start(token: string, me: Me) {
    this.token = token
    this.me = me
    this.expired = false
    localStorage.setItem(KEY, token)
  },
  end() {
    this.token = null
    this.me = null
    localStorage.removeItem(KEY)
  },
  expire() {
    if (this.token) this.expired = true
    this.end()
  },
})

/** The first page, by what the account may do (never by its role's name): field staff, who report their
 * positions, their tasks; the command centre the map; everybody else (residents) the report form. */
export function homeFor(me: Me): string {
  if (me.permissions.includes('positions.report')) return '/tasks'
  if (me.permissions.includes('cases.read')) return '/map'
  return '/report'
}
