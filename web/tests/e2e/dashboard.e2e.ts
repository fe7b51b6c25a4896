// A leader's week at a glance: charts drawn from the demo's cases, the assessment table, forecasts, and the
// export of what is shown to an XLSX file.
import { readFile } from 'node:fs/promises'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, expect, inject, test } from 'vitest'
import { launch, login, newPage, screenshot } from './browser'

let browser: Browser

beforeAll(async () => {
  browser = await launch()
})
afterAll(async () => {
  await browser?.close()
})

test('dashboards show the demo’s cases, assessment and forecasts, and export them', async () => {
  const page = await newPage(browser, inject('baseURL'))
  await login(page, 'admin')
  await page.goto('/dashboard')
  await expect.poll(() => page.textContent('[data-test=kpi]'), { timeout: 20_000 }).toMatch(/共 [1-9]\d* 件/)
  await expect.poll(() => page.locator('[data-test=assessment] tbody tr').count()).toBeGreaterThan(0)
  // Garbage sorting of the last 30 days, by community and by the four companies under contract.
  await expect.poll(() => page.locator('[data-test=sorting-准物业公司] tbody tr').count()).toBe(4)
  await expect.poll(() => page.locator('[data-test=sorting-社区] tbody tr').count()).toBeGreaterThan(0)
  // ECharts draws on canvas: check what the charts were given to draw, not only that a canvas exists.
  const plotted = () => page.evaluate(() => {
    type Chart = { getOption(): { series: { data: (number | string)[] }[] } }
    const drawn = (window as unknown as { __jiexiang: Record<string, Chart> }).__jiexiang
    const total = (name: string) => drawn[name].getOption().series.flatMap((s) => s.data).reduce<number>((a, v) => a + Number(v), 0)
    return { daily: total('daily-chart'), forecast: total('forecast-chart') }
  })
  await expect.poll(async () => (await plotted()).daily).toBeGreaterThan(0)
  expect((await plotted()).forecast).toBeGreaterThan(0)
  // From 1 December, while next year's holiday notice is not imported, the dashboard says its deadlines are provisional.
  const [year, month] = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: 'numeric' })
    .formatToParts(new Date()).filter((p) => p.type !== 'literal').map((p) => Number(p.value))
  const calendarWarning = page.locator('[data-test=calendar-warning]')
  if (month === 12) await expect.poll(() => calendarWarning.textContent()).toContain(`${year + 1} 年的节假日安排尚未导入`)
  else expect(await calendarWarning.count()).toBe(0)
  await page.waitForTimeout(800)  // chart animations
  await screenshot(page, 'dashboard')

  const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-test=export]')])
  expect(download.suggestedFilename()).toMatch(/^统计分析 .*\.xlsx$/)
  const file = await readFile((await download.path()) as string)
  expect(file.subarray(0, 2).toString()).toBe('PK')  // an XLSX is a zip
  await page.context().close()
})

test('the dispatcher’s map shows the simulated field workers moving, their trails, and a patrol plan', async () => {
  const page = await newPage(browser, inject('baseURL'))
  await login(page, 'dispatcher')
  await page.waitForURL('**/map')
  const workers = () => page.evaluate(() => {
    const map = (window as unknown as { __jiexiang: { map: { queryRenderedFeatures(o: object): { properties: { user_id: number; recorded_at: string } }[] } } }).__jiexiang.map
    return map.queryRenderedFeatures({ layers: ['workers'] }).map((f) => `${f.properties.user_id}@${f.properties.recorded_at}`).sort().join()
  })
  await expect.poll(workers, { timeout: 30_000 }).not.toBe('')
  const first = await workers()
  await expect.poll(workers, { timeout: 30_000 }).not.toBe(first)  // positions arrive over the live stream
  const drawn = (layer: string) => page.evaluate((id) => {
    const map = (window as unknown as { __jiexiang: { map: { queryRenderedFeatures(o: object): unknown[] } } }).__jiexiang.map
    return map.queryRenderedFeatures({ layers: [id] }).length
  }, layer)
  await expect.poll(() => drawn('trails')).toBeGreaterThan(0)  // where each has walked today

  await page.click('[data-test=plan]')  // a patrol of the back alleys for the workers on shift, drawn as routes
  await expect.poll(() => page.locator('[data-test=routes] li').count(), { timeout: 20_000 }).toBeGreaterThan(0)
  await expect.poll(() => drawn('patrol')).toBeGreaterThan(0)
  await screenshot(page, 'map-patrol-plan')
  await page.context().close()
})

test('a grid worker shares their location from the phone page, and the command centre sees them there', async () => {
  const phone = await newPage(browser, inject('baseURL'), { mobile: true, at: { latitude: 39.90201, longitude: 116.3712 } })
  await login(phone, 'grid02')
  await phone.waitForURL('**/tasks')
  await phone.click('[data-test=share-location]')
  await expect.poll(() => phone.textContent('[data-test=sharing]')).toMatch(/待发 [1-9]/)
  await phone.click('[data-test=share-location]')  // stopping sends what is buffered
  const me = await phone.evaluate(async () => {
    const headers = { Authorization: `Bearer ${localStorage.getItem('jiexiang.token')}` }
    return (await (await fetch('/api/auth/me', { headers })).json()).id as number
  })
  await phone.context().close()

  const desk = await newPage(browser, inject('baseURL'))
  await login(desk, 'dispatcher')
  const seen = await desk.evaluate(async (id) => {
    const headers = { Authorization: `Bearer ${localStorage.getItem('jiexiang.token')}` }
    const workers = await (await fetch('/api/workers/live', { headers })).json()
    return workers.find((w: { user_id: number }) => w.user_id === id)
  }, me)
  expect(seen).toMatchObject({ source: 'app', lat: 39.90201, lon: 116.3712 })
  await desk.context().close()
})
