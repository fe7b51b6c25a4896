// Parking and the alleys' ballots in the browser: a resident applies for a space on their phone page and sees the
// answer; staff read the three sources, the waiting list and the ballots; the map draws the lots.
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, expect, inject, test } from 'vitest'
import { launch, login, newPage, renderedCounts, screenshot } from './browser'

let browser: Browser

beforeAll(async () => {
  browser = await launch()
})
afterAll(async () => {
  await browser?.close()
})

async function as(username: string): Promise<Page> {
  const page = await newPage(browser, inject('baseURL'))
  await login(page, username)
  return page
}

test('a resident applies for a space and is told the outcome', async () => {
  const page = await as('resident')
  await page.goto('/neighbour')
  await page.waitForSelector('select[name=lot] option:nth-child(2)', { state: 'attached' })
  await page.selectOption('select[name=lot]', { index: 1 })
  await page.fill('input[name=plate]', '京N12345')
  await page.click('text=提交申请')
  await expect.poll(() => page.textContent('[data-test=message]')).toMatch(/已获车位|已排队，当前第 \d+ 位/)
  const listed = async () => `${await page.textContent('[data-test=permits]')} ${await page.textContent('[data-test=applications]')}`
  await expect.poll(listed).toContain('京N12345')
  await screenshot(page, 'parking-resident')
  await page.context().close()
})

test('staff read the three sources, the waiting list and the ballots', async () => {
  const page = await as('operator')
  await page.goto('/parking')
  await expect.poll(() => page.textContent('[data-source=new_lot]')).toContain('230')
  expect(await page.textContent('[data-source=time_shared]')).toContain('3 家出借单位')
  expect(await page.locator('[data-test=waiting] tbody tr').count()).toBeGreaterThan(1)
  expect(await page.textContent('[data-test=proposals]')).toContain('已通过')
  await screenshot(page, 'parking-staff')
  await page.context().close()
})

test('the map draws the parking layer', async () => {
  const page = await as('admin')
  await page.waitForURL('**/map')
  await expect.poll(async () => (await renderedCounts(page, ['parking']))['parking'], { timeout: 30_000 }).toBeGreaterThan(10)
  await page.context().close()
})
