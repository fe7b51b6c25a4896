// The operator's first look: log in, see the demo subdistrict drawn in 2.5D with its cases, hotspot columns
// and workers, then narrow the cases with the filters. Each test opens its own page: any order will do.
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, expect, inject, test } from 'vitest'
import { launch, login, newPage, renderedCounts, screenshot } from './browser'

let browser: Browser

beforeAll(async () => {
  browser = await launch()
})

/** The map as the administrator sees it once the alleys are drawn. */
async function openMap(): Promise<Page> {
  const page = await newPage(browser, inject('baseURL'))
  await login(page, 'admin')
  await page.waitForURL('**/map')
  await expect
    .poll(async () => (await renderedCounts(page, ['alleys']))['alleys'], { timeout: 30_000 })
    .toBeGreaterThan(50)
  return page
}

afterAll(async () => {
  await browser?.close()
})

test('wrong password gets a Chinese error and no session', async () => {
  const page = await newPage(browser, inject('baseURL'))
  await page.goto('/login')
  await page.fill('input[name=username]', 'admin')
  await page.fill('input[name=password]', 'not-the-password')
  await page.click('button[type=submit]')
  await expect.poll(() => page.textContent('[role=alert]')).toMatch(/密码|账号/)
  expect(await page.evaluate(() => localStorage.getItem('jiexiang.token'))).toBeNull()
})

test('the operator sees alleys, buildings, cases and hotspot columns drawn on the map', async () => {
  const started = Date.now()
  const page = await openMap()
  console.log(`map drawn ${Date.now() - started} ms after the login form was sent`)
  const counts = await renderedCounts(page, ['alleys', 'buildings', 'cases', 'case-clusters', 'hotspots', 'communities-fill'])
  expect(counts['communities-fill']).toBeGreaterThan(0)
  expect(counts['buildings']).toBeGreaterThan(100)
  expect(counts['cases'] + counts['case-clusters']).toBeGreaterThan(0)
  expect(counts['hotspots']).toBeGreaterThan(0)
  const pitch = await page.evaluate(() => (window as unknown as { __jiexiang: { map: { getPitch(): number } } }).__jiexiang.map.getPitch())
  expect(pitch).toBeGreaterThan(30)  // the 2.5D view
  // Cluster counts (HTML labels: no glyph server) add up to no more than the cases on the map.
  await expect.poll(() => page.locator('.cluster-label').count()).toBeGreaterThan(0)
  const labelled = (await page.locator('.cluster-label').allTextContents()).reduce((sum, t) => sum + Number(t), 0)
  expect(labelled).toBeLessThanOrEqual(Number((await page.textContent('[data-test=case-count]'))?.match(/\d+/)?.[0]))
  await screenshot(page, 'map')
})

test('filters narrow the cases on the map', async () => {
  const page = await openMap()
  const shown = async () => Number((await page.textContent('[data-test=case-count]'))?.match(/\d+/)?.[0])
  await expect.poll(shown).toBeGreaterThan(0)
  const all = await shown()
  await page.selectOption('select[name=status]', 'closed')
  await page.click('[data-test=apply]')
  await expect.poll(shown).toBeLessThan(all)
})

test('hotspot columns can stand for the risk of the coming week', async () => {
  const page = await openMap()
  const heights = () => page.evaluate(() => {
    const map = (window as unknown as { __jiexiang: { map: { querySourceFeatures(s: string): { properties: { value: number } }[] } } }).__jiexiang.map
    return map.querySourceFeatures('hotspots').map((f) => f.properties.value).sort().join()
  })
  await expect.poll(heights).not.toBe('')
  const byCount = await heights()
  await page.selectOption('select[name=column-height]', 'risk')
  await expect.poll(heights).not.toBe(byCount)
  expect((await renderedCounts(page, ['hotspots']))['hotspots']).toBeGreaterThan(0)
})
