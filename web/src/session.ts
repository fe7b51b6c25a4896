// Who is logged in: the token (kept in localStorage so a reload stays logged in) and the account with its
// permissions, which decide what the navigation offers.
import { reactive } from 'vue'

export interface Me {
  id: number
  username: string
  full_name: string
  role: string
  role_label: string
  unit_id: number | null
  unit_name: string | null
  permissions: string[]
}

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

/** The first page for a role: the map for the command centre, the task list for field staff. */
export function homeFor(me: Me): string {
  if (me.role === 'resident') return '/report'
  if (['grid_worker', 'alley_chief', 'handler', 'steward'].includes(me.role)) return '/tasks'
  return '/map'
}
