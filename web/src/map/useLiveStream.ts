// The live stream (server-sent events): cases reported or moved, new warnings and analytics and, for those who
// dispatch, workers' positions; notices for residents. The server sends each account only what it may see; the
// stream closes with the page.
import { onBeforeUnmount } from 'vue'
import { session } from '../session'

export interface LiveHandlers {
  position?: (data: { user_id: number; lon: number; lat: number; recorded_at: string } & Record<string, unknown>) => void
  case?: () => void
  warning?: () => void
  analytics?: () => void
  notice?: (data: { id: number; title: string }) => void
}

export function useLiveStream(handlers: LiveHandlers) {
  let stream: EventSource | null = null
  function open() {
    stream = new EventSource(`/api/live/stream?token=${encodeURIComponent(session.token ?? '')}`)
    for (const [kind, handle] of Object.entries(handlers)) {
      stream.addEventListener(kind, (event) => handle(JSON.parse((event as MessageEvent).data)))
    }
  }
  onBeforeUnmount(() => stream?.close())
  return { open }
}
