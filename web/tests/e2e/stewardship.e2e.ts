// Keeping alleys clean in the browser: a grid worker inspects an alley against the quasi-property checklist on the
// phone and gets the score at once; the company marks the finding put right; the companies' monthly ranking moves
// with it, explained line by line and exported.
import { expect, test } from 'vitest'
import { as as api } from './api'
import { screenshot, signedInPages } from './browser'

const as = signedInPages()

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

type Contract = { id: number; company: string; alley_ids: number[]; alley_names: string[] }
type Row = { contract_id: number; company: string; score: number; checklist_deducted: number; category_deductions: Record<string, number>; lines: { item: string }[] }
type Checklist = { categories: { code: string; cap: number; items: { code: string; deduction: number; cap: number }[] }[] }

test("the companies' monthly ranking is explained and exported, and an inspection moves a company's score", async () => {
  const operator = await api('operator')
  const month = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 7)  // this month, in Beijing
  const contract = (await operator.get<Contract[]>('/api/stewardship/contracts'))[0]
  const before = (await operator.get<{ rows: Row[] }>(`/api/stewardship/ranking?month=${month}`)).rows.find((r) => r.contract_id === contract.id)!
  // An item not yet found this month, in a category with room under its cap: it deducts exactly its points.
  const checklist = await operator.get<Checklist>('/api/stewardship/checklists/current?kind=property')
  const found = new Set(before.lines.map((l) => l.item))
  const [item] = checklist.categories.flatMap((c) =>
    c.items.filter((i) => !found.has(i.code) && (before.category_deductions[c.code] ?? 0) + i.deduction <= c.cap),
  )

  const page = await as('operator')
  await page.goto('/stewardship')
  await page.fill('input[name=month]', month)
  await page.dispatchEvent('input[name=month]', 'change')
  const row = page.locator(`[data-company="${contract.company}"]`)
  await expect.poll(() => row.locator('[data-test=score]').textContent()).toBe(String(before.score))

  await operator.post('/api/stewardship/inspections', { alley_id: contract.alley_ids[0], kind: 'property', findings: [{ item: item.code }] })
  const after = (await operator.get<{ rows: Row[] }>(`/api/stewardship/ranking?month=${month}`)).rows.find((r) => r.contract_id === contract.id)!
  expect(after.checklist_deducted).toBe(before.checklist_deducted + item.deduction)
  await page.dispatchEvent('input[name=month]', 'change')
  await expect.poll(() => row.locator('[data-test=score]').textContent()).toBe(String(after.score))
  await row.click()
  await expect.poll(() => page.locator('.lines').textContent()).toContain('得分 = 100 − 检查扣分')
  const [workbook] = await Promise.all([page.waitForEvent('download'), page.click('[data-test=export]')])
  expect(workbook.suggestedFilename()).toBe(`准物业考核排名-${month}.xlsx`)
  await screenshot(page, 'stewardship-ranking')
  await page.context().close()
})

test("an alley chief's duty desk: their alleys today, the 十有十无 walk, cases to check and the month's scorecard", async () => {
  const page = await as('chief01', { mobile: true })
  await page.goto('/duty')
  await expect.poll(() => page.locator('[data-test=my-alleys] li[data-alley]').count()).toBeGreaterThan(0)
  await expect.poll(() => page.textContent('[data-test=scorecard]')).toMatch(/巡查街巷\d+ \/ \d+ 街巷·天/)
  await screenshot(page, 'stewardship-duty')
  await page.click('text=十有十无巡查')
  await page.waitForSelector('[data-add="free.debris"]')  // the patrol checklist, not the companies'
  await page.click('[data-add="free.debris"]')
  await page.click('text=提交（1 项问题）')
  await expect.poll(() => page.textContent('[data-test=inspection-score]')).toContain('得分')
  await page.goto('/duty')
  await expect.poll(() => page.textContent('[data-test=scorecard]')).toMatch(/十有十无巡查[1-9]\d* 次/)
  await page.context().close()
})
