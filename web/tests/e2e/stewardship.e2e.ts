// Keeping alleys clean in the browser: a grid worker inspects an alley against the quasi-property checklist on the
// phone and gets the score at once; the company marks the finding put right.
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, expect, inject, test } from 'vitest'
import { launch, login, newPage, screenshot } from './browser'

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

test('an alley inspected on the phone is scored at once, and the company puts the finding right', async () => {
  const page = await as('grid01')
  await page.goto('/inspections')
  await page.waitForSelector('[data-add="clean.debris"]')
  await page.waitForSelector('select[name=alley] option', { state: 'attached' })
  await page.click('[data-add="clean.debris"]')
  await page.click('[data-add="clean.debris"]')
  await page.click('[data-add="order.parking"]')
  await page.click('text=提交（2 项问题）')
  // 3 × 2 = 6 for the debris (its cap), 2 for the parking: 92.
  await expect.poll(() => page.textContent('[data-test=inspection-score]')).toContain('得分 92')
  await screenshot(page, 'stewardship-inspection')
  await page.context().close()

  const company = await as('operator')
  await company.goto('/inspections')
  const first = company.locator('[data-inspection]').first()
  await expect.poll(() => first.textContent()).toContain('得分 92')
  await first.locator('text=已整改').first().click()
  await expect.poll(() => first.textContent()).toContain('已整改 ')
  await company.context().close()
})
