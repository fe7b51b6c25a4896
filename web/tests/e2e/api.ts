// Setting the stage for an end-to-end test through the API, as the accounts concerned would: a street-light
// case brought to the stage the test starts from, so that each test stands alone and the suite may run in any
// order. What the test is about is then done in the browser.
import { inject } from 'vitest'

const PASSWORD = 'jiexiang-demo'

/** The API as `username` sees it. */
export async function as(username: string) {
  const base = inject('baseURL')
  const form = new URLSearchParams({ username, password: PASSWORD })
  const signed = await fetch(`${base}/api/auth/token`, { method: 'POST', body: form })
  if (!signed.ok) throw new Error(`${username} could not sign in: ${signed.status}`)
  const headers = { Authorization: `Bearer ${(await signed.json()).access_token}` }
  async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const init: RequestInit = { method, headers: { ...headers, 'Content-Type': 'application/json' } }
    if (body !== undefined) init.body = JSON.stringify(body)
    const response = await fetch(`${base}${path}`, init)
    if (!response.ok) throw new Error(`${username} ${method} ${path}: ${response.status} ${await response.text()}`)
    return (await response.json()) as T
  }
  return {
    get: <T>(path: string) => call<T>('GET', path),
    post: <T>(path: string, body: unknown = {}) => call<T>('POST', path, body),
    async form<T>(path: string, fields: Record<string, string>): Promise<T> {
      const response = await fetch(`${base}${path}`, { method: 'POST', headers, body: new URLSearchParams(fields) })
      if (!response.ok) throw new Error(`${username} POST ${path}: ${response.status} ${await response.text()}`)
      return (await response.json()) as T
    },
  }
}

export type Stage = 'reported' | 'registered' | 'dispatched' | 'verifying'

const taken: number[][] = []  // where this run's reports went: the next one goes elsewhere

/** A point on an alley as far as can be from every open street-light case (and this run's reports), so that
 * the new report opens a case of its own instead of joining one nearby. */
async function quietSpot(lights: string): Promise<number[]> {
  const operator = await as('operator')
  const open = await operator.get<{ lon: number[]; lat: number[]; status: string[] }>(`/api/cases/points?category=${lights}`)
  const near = [...taken, ...open.lon.map((lon, i) => [lon, open.lat[i]]).filter((_, i) => !['closed', 'rejected'].includes(open.status[i]))]
  const alleys = await operator.get<{ features: { geometry: { coordinates: number[][] } }[] }>('/api/places/alleys?page_size=200')
  const distance = ([x, y]: number[]) => Math.min(Infinity, ...near.map(([a, b]) => Math.hypot((x - a) * 0.77, y - b)))
  const spots = alleys.features.flatMap((f) => f.geometry.coordinates)
  const best = spots.reduce((a, b) => (distance(b) > distance(a) ? b : a))
  taken.push(best)
  return best
}

/** A resident's street-light report on an alley of the demo, taken through the workflow up to `stage`. */
export async function streetLightCase(stage: Stage): Promise<number> {
  const resident = await as('resident')
  const words = await resident.get<{ categories: { code: string; topic: string | null }[] }>('/api/vocabulary')
  const lights = words.categories.find((c) => c.topic === 'street_light')?.code ?? ''
  const [lon, lat] = await quietSpot(lights)
  const receipt = await resident.form<{ case_id: number; outcome: string }>('/api/reports', {
    text: '胡同里的路灯坏了，晚上一片漆黑',
    category: lights,
    lon: String(lon),
    lat: String(lat),
    client_id: crypto.randomUUID(),
  })
  if (receipt.outcome !== 'created') throw new Error(`the report joined case ${receipt.case_id} instead of opening one`)
  const id = receipt.case_id
  const step = (who: Awaited<ReturnType<typeof as>>, action: string, extra: object = {}) =>
    who.post(`/api/cases/${id}/transitions`, { action, ...extra })
  if (stage === 'reported') return id
  await step(await as('operator'), 'register')
  if (stage === 'registered') return id
  const dispatcher = await as('dispatcher')
  const units = await dispatcher.get<{ id: number; name: string }[]>('/api/units')
  await step(dispatcher, 'dispatch', { unit_id: units.find((u) => u.name === '北京市路灯管理中心')?.id })
  if (stage === 'dispatched') return id
  const unit = await as('handler_lights')
  await step(unit, 'accept')
  await step(unit, 'feedback', { note: '已更换灯泡' })
  return id
}

type Ticket = { id: number; ticket_no: string; contacted_at: string | null; appeal: string; lead_unit_name: string | null }

const claimed = new Set<number>()  // tickets this run's tests took: the next test takes another

/** A 12345 ticket of the demo for a test of its own: open and not yet contacted (`waiting`), or finished and
 * not yet called back (`to-call-back`). */
export async function demoTicket(kind: 'waiting' | 'to-call-back'): Promise<Ticket> {
  const operator = await as('operator')
  const path = kind === 'waiting' ? '/api/hotline/tickets?status=open&page_size=500' : '/api/hotline/callback-queue?page_size=500'
  const page = await operator.get<{ items: Ticket[] }>(path)
  const ticket = page.items.find((t) => !claimed.has(t.id) && (kind === 'to-call-back' || (t.contacted_at === null && t.appeal === 'none')))
  if (!ticket) throw new Error(`the demo has no ${kind} ticket left`)
  claimed.add(ticket.id)
  return ticket
}
