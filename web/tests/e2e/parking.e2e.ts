// Parking and the alleys' ballots in the browser: a resident applies for a space on their phone page and sees the
// answer; staff read the three sources, the waiting list, the ballots, occupancy and violations; the map draws the
// lots; an inspector checks a car in and out on their phone.
import { expect, test } from 'vitest'
import { as as api } from './api'
import { renderedCounts, screenshot, signedInPages } from './browser'

const as = signedInPages()

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
  await page.check('text=停车占用（按小时）')
  await page.locator('input[name=occupancy-hour]').evaluate((input: HTMLInputElement) => {
    input.value = '21'  // a range input cannot be typed into: set it and say so, as a drag would
    input.dispatchEvent(new Event('input', { bubbles: true }))
  })
  await expect.poll(async () => (await renderedCounts(page, ['parking-occupancy']))['parking-occupancy'], { timeout: 30_000 }).toBeGreaterThan(3)
  await page.context().close()
})

test('an inspector checks a car in on their phone, sees it in the lot, and checks it out', async () => {
  const page = await as('grid01')
  await page.goto('/inspect')
  await page.waitForSelector('select[name=lot] option', { state: 'attached' })
  await page.fill('input[name=plate]', '京E20261')
  await page.click('text=登记入场')
  await expect.poll(() => page.textContent('[data-test=inspect-message]')).toContain('京E20261 无有效停车证，已记违规')
  const car = page.locator('[data-plate="京E20261"]')
  await expect.poll(() => car.count()).toBe(1)
  await screenshot(page, 'parking-inspector')
  await car.locator('text=登记离场').click()
  await expect.poll(() => page.textContent('[data-test=inspect-message]')).toContain('京E20261 已离场')
  expect(await car.count()).toBe(0)
  await page.context().close()

  const staff = await as('operator')
  await staff.goto('/parking')
  await expect.poll(() => staff.locator('[data-test=violations] [data-plate="京E20261"]').count()).toBe(1)
  expect(await staff.textContent('[data-test=occupancy] [data-source=time_shared]')).toMatch(/\d/)
  await staff.context().close()
})

test('an alley council proposes with the spaces drawn on the map; staff open the ballot and enter a paper vote', async () => {
  const page = await as('operator')
  await page.goto('/proposals/new')
  // An alley whose residents voted before: it has registered households to ballot.
  const marked = await (await api('operator')).get<{ items: { alley_id: number }[] }>('/api/parking/lots?kind=marked')
  await page.waitForSelector('select[name=alley] option:nth-child(2)', { state: 'attached' })
  await page.selectOption('select[name=alley]', String(marked.items[0].alley_id))
  const title = '试行单行单停（端到端测试）'
  await page.fill('input[name=title]', title)
  // Three clicks on vertices of the chosen alley, as a chief taps along it.
  await page.waitForFunction(() => (window as unknown as { __jiexiang?: { proposalMap?: { loaded(): boolean } } }).__jiexiang?.proposalMap?.loaded())
  const points = await page.evaluate(() => {
    type Drawn = { getSource(id: string): { serialize(): { data: GeoJSON.FeatureCollection } }; project(c: number[]): { x: number; y: number } }
    const map = (window as unknown as { __jiexiang: { proposalMap: Drawn } }).__jiexiang.proposalMap
    const geometry = map.getSource('chosen').serialize().data.features[0].geometry as GeoJSON.LineString | GeoJSON.MultiLineString
    const line = (geometry.type === 'LineString' ? geometry.coordinates : geometry.coordinates[0]) as number[][]
    return [0.25, 0.5, 0.75].map((f) => map.project(line[Math.round(f * (line.length - 1))]))
  })
  const box = await page.locator('[data-test=draw-map]').boundingBox()
  for (const p of points) await page.mouse.click(box!.x + p.x, box!.y + p.y)
  await expect.poll(() => page.textContent('[data-test=drawn]')).toContain('已画车位 3 个')
  await screenshot(page, 'parking-proposal-drawn')
  await page.click('text=提交并向本巷公示')
  await page.waitForURL('**/parking')
  const row = page.locator(`[data-test=proposals] tr[data-proposal="${title}"]`).first()
  await expect.poll(() => row.textContent()).toContain('公示讨论')
  await row.locator('text=开始表决').click()
  await page.click('[data-test=open-ballot] button[type=submit]')
  await expect.poll(() => row.textContent()).toContain('表决中')
  await row.locator('text=录入纸质票').click()
  await page.fill('input[name=paper-number]', 'E2E-001')
  await page.click('[data-test=paper-vote] button[type=submit]')
  await expect.poll(() => page.textContent('[data-test=paper-message]')).toContain('选票 E2E-001')
  await page.context().close()
})
