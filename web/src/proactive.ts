// The link that opens a new proactive task prefilled from what the user was looking at: a hotspot on the map,
// or a warning (the cell it points at, its topic, its words as the title).
import { withQuery } from './api/client'

export function newTaskLink(from: { origin: 'hotspot' | 'warning'; topic: string | null; cell?: string | null; title?: string }): string {
  return withQuery('/hotline/tasks/new', {
    origin: from.origin,
    topic: from.topic,
    cells: from.cell || undefined,
    title: from.title ?? (from.origin === 'hotspot' ? '治理热点网格' : ''),
  })
}
