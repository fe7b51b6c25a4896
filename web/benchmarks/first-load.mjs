// Timed in Debian's headless Chromium against a running server (not part of the tests):
//   node benchmarks/first-load.mjs URL USERNAME PASSWORD
// Prints JSON: the command centre's first load (navigation → the map drawn with every case of the last
// 30 days, cold cache), a warm reload, the time to show every case, and how the map keeps up while it is
// panned, zoomed and rotated with all of them on it.
import { chromium } from 'playwright-core'

const [url, username, password] = process.argv.slice(2)
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--enable-unsafe-swiftshader', '--disable-gpu', '--disable-quic', '--no-first-run'],
})
const token = (await (await fetch(`${url}/api/auth/token`, { method: 'POST', body: new URLSearchParams({ username, password }) })).json()).access_token
const context = await browser.newContext({ baseURL: url, viewport: { width: 1440, height: 900 }, locale: 'zh-CN' })
await context.addInitScript((t) => localStorage.setItem('jiexiang.token', t), token)
const page = await context.newPage()

async function load() {
  const started = Date.now()
  await page.goto('/map?from=bench')
  await page.waitForFunction(() => {
    const map = window.__jiexiang?.map
    const count = Number(document.querySelector('[data-test=case-count]')?.textContent?.match(/\d+/)?.[0] ?? 0)
    return map && count > 0 && map.loaded() && !document.querySelector('.status') && map.queryRenderedFeatures({ layers: ['alleys'] }).length > 0
  }, undefined, { timeout: 120_000, polling: 50 })
  return { ms: Date.now() - started, cases: Number((await page.textContent('[data-test=case-count]')).match(/\d+/)[0]) }
}

const cold = await load()
// What the first visit downloaded of the app itself (compressed bytes).
const resources = await page.evaluate(() => performance.getEntriesByType('resource')
  .filter((r) => r.name.includes('/assets/'))
  .reduce((sum, r) => sum + r.encodedBodySize, 0))
const warm = await load()
// Every case: widen the time filter to three years and wait until all are drawn (clustered).
const widened = Date.now()
await page.fill('input[name=from]', new Date(Date.now() - 3 * 365 * 86400_000).toISOString().slice(0, 10))
await page.click('[data-test=apply]')
await page.waitForFunction((before) => {
  const count = Number(document.querySelector('[data-test=case-count]')?.textContent?.match(/\d+/)?.[0] ?? 0)
  return count > before && window.__jiexiang.map.loaded()
}, cold.cases, { timeout: 120_000, polling: 50 })
const all = { ms: Date.now() - widened, cases: Number((await page.textContent('[data-test=case-count]')).match(/\d+/)[0]) }
// Responsiveness with every case on the map: frames drawn while it is panned, zoomed and rotated for 3 s.
const motion = await page.evaluate(() => new Promise((done) => {
  const map = window.__jiexiang.map
  const start = map.getCenter()
  let frames = 0
  let longest = 0
  let last = performance.now()
  const began = last
  const tick = (now) => {
    frames += 1
    longest = Math.max(longest, now - last)
    last = now
    if (now - began < 3000) requestAnimationFrame(tick)
    else done({ fps: frames / ((now - began) / 1000), longest_frame_ms: longest })
  }
  requestAnimationFrame(tick)
  map.easeTo({ center: [start.lng + 0.01, start.lat + 0.005], zoom: map.getZoom() + 1.5, bearing: 60, duration: 2800 })
}))
console.log(JSON.stringify({ cold, warm, all, motion, asset_bytes: resources }))
await browser.close()
