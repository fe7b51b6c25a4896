// The one way the app talks to the server: JSON over fetch with the bearer token, errors in Chinese.
import { session } from '../session'

export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string,
  ) {
    super(message)
  }
}

export type Query = Record<string, string | number | boolean | null | undefined>

export function withQuery(path: string, query: Query = {}): string {
  const params = new URLSearchParams()
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value))
  }
  const text = params.toString()
  return text ? `${path}?${text}` : path
}

/** `headers` with the logged-in account's bearer token, if there is one. */
function withToken(headers: Record<string, string>): Record<string, string> {
  return session.token ? { ...headers, Authorization: `Bearer ${session.token}` } : headers
}

export async function request<T>(
  path: string,
  options: { method?: string; query?: Query; json?: unknown; form?: FormData | URLSearchParams } = {},
): Promise<T> {
  const headers = withToken({})
  let body: BodyInit | undefined
  if (options.json !== undefined) {
    headers['Content-Type'] = 'application/json'
    body = JSON.stringify(options.json)
  } else if (options.form) {
    body = options.form
  }
  const response = await send(withQuery(path, options.query), { method: options.method ?? 'GET', headers, body })
  if (response.status === 204) return undefined as T
  return (await response.json().catch(() => null)) as T
}

/** fetch, with the server's Chinese error message (or a network one) thrown as an ApiError. */
async function send(url: string, init: RequestInit): Promise<Response> {
  let response: Response
  try {
    response = await fetch(url, init)
  } catch {
    throw new ApiError('无法连接服务器，请检查网络后重试', 0, 'network')
  }
  if (!response.ok) {
    if (response.status === 401) session.expire()
    const payload = await response.json().catch(() => null)
    const message = typeof payload?.message === 'string' ? payload.message : `请求失败（${response.status}）`
    throw new ApiError(message, response.status, payload?.code ?? 'error')
  }
  return response
}

/** Save the file the server answers with (an export) under `fileName`: a POST of `json`, or a GET with `query`. */
export async function download(path: string, fileName: string, options: { json?: unknown; query?: Query } = {}): Promise<void> {
  const post = options.json !== undefined
  const headers = withToken(post ? { 'Content-Type': 'application/json' } : {})
  const init = post ? { method: 'POST', headers, body: JSON.stringify(options.json) } : { method: 'GET', headers }
  const response = await send(withQuery(path, options.query), init)
  const link = document.createElement('a')
  link.href = URL.createObjectURL(await response.blob())
  link.download = fileName
  link.click()
  URL.revokeObjectURL(link.href)
}

export const get = <T>(path: string, query?: Query) => request<T>(path, { query })
export const post = <T>(path: string, json: unknown) => request<T>(path, { method: 'POST', json })
