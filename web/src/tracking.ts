// Location sharing from the field worker's own phone page, for those without OwnTracks or Traccar Client:
// the browser's fixes are buffered and sent in batches (POST /api/track/batch); a batch that fails stays in the
// buffer and goes with the next one, so a spell without signal loses nothing (up to a day of fixes).
import { sendPositions } from './api/workers'
import type { FixCreate } from './api/types'

/** A fix as the browser gives it: `timestamp` in milliseconds since 1970 (the server takes both). */
export type Fix = FixCreate & { timestamp: number }

const MAX_BUFFER = 8640 // a day at one fix every ten seconds

export class Tracker {
  private buffer: Fix[] = []
  private watch: number | null = null
  private timer: number | null = null
  sent = 0
  lastSentAt: Date | null = null
  error = ''

  constructor(
    private readonly geolocation: Geolocation,
    private readonly everyMs = 30_000,
    private readonly onChange: () => void = () => {},
  ) {}

  get running(): boolean {
    return this.watch !== null
  }

  get pending(): number {
    return this.buffer.length
  }

  start(): void {
    if (this.running) return
    this.watch = this.geolocation.watchPosition(
      (p) => {
        this.buffer.push({
          timestamp: p.timestamp,
          lat: p.coords.latitude,
          lon: p.coords.longitude,
          accuracy: p.coords.accuracy ?? null,
          speed: p.coords.speed ?? null,
          heading: p.coords.heading ?? null,
          altitude: p.coords.altitude ?? null,
        })
        if (this.buffer.length > MAX_BUFFER) this.buffer.splice(0, this.buffer.length - MAX_BUFFER)
        this.onChange()
      },
      () => {
        this.error = '无法取得位置：请允许本页面使用定位'
        this.onChange()
      },
      { enableHighAccuracy: true, maximumAge: 5_000 },
    )
    this.timer = window.setInterval(() => void this.flush(), this.everyMs)
  }

  async stop(): Promise<void> {
    if (this.watch !== null) this.geolocation.clearWatch(this.watch)
    if (this.timer !== null) window.clearInterval(this.timer)
    this.watch = this.timer = null
    await this.flush()
  }

  /** Send what is buffered; on failure keep it for the next try. */
  async flush(): Promise<void> {
    if (!this.buffer.length) return
    const batch = this.buffer.splice(0, 1000) // the most the server takes at once
    try {
      await sendPositions(batch)
      this.sent += batch.length
      this.lastSentAt = new Date()
      this.error = ''
    } catch (e) {
      this.buffer.unshift(...batch)
      this.error = e instanceof Error ? e.message : '位置上报失败，稍后重试'
    }
    this.onChange()
  }
}
