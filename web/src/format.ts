// Dates as people here read them: Beijing time, Chinese style, whatever the browser's own zone.
const ZONE = 'Asia/Shanghai'

const dateTime = new Intl.DateTimeFormat('zh-CN', {
  timeZone: ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hour12: false,
})
const dateOnly = new Intl.DateTimeFormat('zh-CN', { timeZone: ZONE, year: 'numeric', month: '2-digit', day: '2-digit' })

export function formatDateTime(value: string | null | undefined): string {
  return value ? dateTime.format(new Date(value)) : '—'
}

export function formatDate(value: string | null | undefined): string {
  return value ? dateOnly.format(new Date(value)) : '—'
}

/** The calendar day in Beijing of a moment, as YYYY-MM-DD (for grouping and for date inputs). */
export function beijingDay(value: Date | string): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: ZONE, year: 'numeric', month: '2-digit', day: '2-digit' })
  return parts.format(new Date(value))
}

/** A date input's day at Beijing midnight, as the API takes it (ISO 8601 with +08:00). */
export function beijingMidnight(day: string): string {
  return `${day}T00:00:00+08:00`
}

/** The API's `start` (included) and `end` (excluded) for the Beijing days `from` to `to`, both included. */
export function beijingDayRange(from: string, to: string): { start?: string; end?: string } {
  const end = new Date(beijingMidnight(to))
  end.setUTCDate(end.getUTCDate() + 1)
  return { start: from ? beijingMidnight(from) : undefined, end: to ? end.toISOString() : undefined }
}

/** Every Beijing day from `from` to `to`, both included, as YYYY-MM-DD. */
export function beijingDaysBetween(from: string, to: string): string[] {
  const days: string[] = []
  for (let d = new Date(`${from}T12:00:00+08:00`); beijingDay(d) <= to; d = new Date(d.getTime() + 86400_000)) days.push(beijingDay(d))
  return days
}

export function percent(value: number | null | undefined, digits = 1): string {
  return value === null || value === undefined || Number.isNaN(value) ? '—' : `${(value * 100).toFixed(digits)}%`
}
