import { afterEach, expect, test, vi } from 'vitest'
import { Tracker } from '../../src/tracking'

afterEach(() => vi.unstubAllGlobals())

function fakeGeolocation() {
  let report: PositionCallback = () => {}
  const geolocation = {
    watchPosition: vi.fn((ok: PositionCallback) => {
      report = ok
      return 7
    }),
    clearWatch: vi.fn(),
    getCurrentPosition: vi.fn(),
  } as unknown as Geolocation
  const move = (lat: number, lon: number, timestamp: number) =>
    report({ timestamp, coords: { latitude: lat, longitude: lon, accuracy: 5, speed: 1.2, heading: null, altitude: null } } as GeolocationPosition)
  return { geolocation, move }
}

test('fixes are sent in a batch, and kept for the next try when sending fails', async () => {
  const { geolocation, move } = fakeGeolocation()
  const answers = [new Response(JSON.stringify({ message: '网络不通' }), { status: 503 }), new Response(JSON.stringify({ accepted: 3, rejected: {} }))]
  const fetch = vi.fn(async () => answers.shift() as Response)
  vi.stubGlobal('fetch', fetch)
  const tracker = new Tracker(geolocation, 60_000)
  tracker.start()
  move(39.9021, 116.368, 1_795_000_000_000)
  move(39.9022, 116.3681, 1_795_000_010_000)
  await tracker.flush()  // fails: nothing lost
  expect(tracker.pending).toBe(2)
  expect(tracker.error).toBe('网络不通')
  move(39.9023, 116.3682, 1_795_000_020_000)
  await tracker.stop()  // stopping sends what is left
  expect(tracker.pending).toBe(0)
  expect(tracker.sent).toBe(3)
  expect(geolocation.clearWatch).toHaveBeenCalledWith(7)
  const [url, init] = fetch.mock.calls[1] as unknown as [string, RequestInit]
  expect(url).toBe('/api/track/batch')
  const sent = JSON.parse(init.body as string)
  expect(sent.map((f: { lat: number }) => f.lat)).toEqual([39.9021, 39.9022, 39.9023])  // in the order taken
  expect(sent[0]).toMatchObject({ timestamp: 1_795_000_000_000, lon: 116.368, accuracy: 5, speed: 1.2 })
})
