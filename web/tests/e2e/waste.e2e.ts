// Garbage sorting at the truck in the browser: the collector registers a resident's bag by card on the phone page,
// the resident sees the points on theirs and redeems a reward; staff read the sorting rates.
import { expect, test } from 'vitest'
import { as as api } from './api'
import { screenshot, signedInPages } from './browser'

const as = signedInPages()

test('a bag handed to the truck becomes points the resident redeems', async () => {
  // The resident's household gets a (new) card at the desk, and the catalogue a reward it can afford.
  const resident = await api('resident')
  const operator = await api('operator')
  const home = (await resident.get<{ items: { id: number }[] }>('/api/waste/households')).items[0]
  const card = await operator.post<{ code: string }>(`/api/waste/households/${home.id}/card`)
  const name = `环保袋-${Date.now()}`
  await operator.post('/api/waste/rewards', { name, points: 2, stock: 5 })

  const collector = await as('steward')
  await collector.goto('/collect')
  await collector.waitForSelector('[data-kind=kitchen]')
  await collector.fill('input[name=card]', card.code)
  await collector.click('[data-kind=kitchen]')
  await expect.poll(() => collector.textContent('[data-test=deposit]')).toMatch(/厨余垃圾，得 \d 分，余额 \d+ 分/)
  await screenshot(collector, 'waste-collector')
  await collector.context().close()

  const page = await as('resident')
  await page.goto('/points')
  await expect.poll(async () => Number((await page.textContent('[data-test=balance] b')) ?? 0)).toBeGreaterThanOrEqual(2)
  await page.locator('[data-test=rewards] li', { hasText: name }).locator('text=兑换').click()
  await expect.poll(() => page.textContent('[data-test=points-message]')).toContain(`已兑换“${name}”`)
  await screenshot(page, 'waste-resident')
  await page.context().close()

  const staff = await as('operator')
  await staff.goto('/waste')
  await expect.poll(() => staff.locator('[data-test=rates] tbody tr').count()).toBeGreaterThan(1)
  // By the companies under contract for the alleys (the demo has four).
  await staff.selectOption('select[name=rates-by]', 'company')
  await expect.poll(() => staff.locator('[data-test=rates] tbody tr').allTextContents()).toEqual(
    expect.arrayContaining([expect.stringContaining('灵境物业管理有限公司')]),
  )
  expect(await staff.locator('[data-test=rates] tbody tr').count()).toBe(4)
  await staff.context().close()
})
