// 接诉即办 in the browser: the operator contacts a caller, records what was done and replies; calls a caller
// back from the queue in two clicks; and reads the month's rates with their definitions and trend.
import type { Page } from 'playwright-core'
import { expect, test } from 'vitest'
import { demoTicket } from './api'
import { screenshot, signedInPages } from './browser'

const as = signedInPages()

async function step(page: Page, action: string, fill: () => Promise<void>) {
  await page.click(`[data-action=${action}]`)
  await fill()
  const before = await page.locator('[data-test=steps] li').count()
  await page.click('[data-test=confirm]')
  await expect.poll(() => page.locator('[data-test=steps] li').count()).toBe(before + 1)
}

test('a ticket is contacted, handled and answered on its page', async () => {
  const ticket = await demoTicket('waiting')
  const page = await as('operator')
  await page.goto('/hotline')
  await page.fill('input[name=ticket_no]', ticket.ticket_no)
  await page.click('text=查找')
  await page.click(`[data-ticket=${ticket.ticket_no}] a`)
  await page.waitForURL(`**/hotline/${ticket.id}`)
  await step(page, 'contact', async () => {
    await page.selectOption('select[name=method]', 'visit')
    await page.fill('textarea[name=note]', '已上门，约定两日内处理')
  })
  await step(page, 'handle', () => page.fill('textarea[name=note]', '已协调责任单位处理'))
  await step(page, 'reply', async () => {
    await page.selectOption('select[name=result]', '已解决')
    await page.fill('textarea[name=note]', '问题已处理，感谢您的反映')
  })
  await expect.poll(() => page.textContent('[data-test=status]')).toBe('已办结')
  const history = await page.textContent('[data-test=steps]')
  expect(history).toContain('联系诉求人 · 上门')
  expect(history).toContain('答复')
  await screenshot(page, 'hotline-ticket')
  await page.context().close()
})

test('a finished ticket is called back from the queue in two clicks', async () => {
  const ticket = await demoTicket('to-call-back')
  const page = await as('operator')
  await page.goto('/hotline')
  await page.click('[data-test=tab-queue]')
  const row = page.locator(`[data-ticket=${ticket.ticket_no}]`)
  await expect.poll(() => row.count(), { timeout: 20_000 }).toBe(1)
  expect(await row.locator('[data-answer=satisfied]').isDisabled()).toBe(true)  // first: solved or not
  await row.locator('[data-answer=resolved]').click()
  await row.locator('[data-answer=basically]').click()
  await expect.poll(() => page.textContent('[role=status]')).toContain(`已记录工单 ${ticket.ticket_no} 的回访`)
  await expect.poll(() => row.count()).toBe(0)
  await page.goto(`/hotline/${ticket.id}`)
  await expect.poll(() => page.textContent('[data-test=callbacks]')).toContain('自查回访')
  expect(await page.textContent('[data-test=callbacks]')).toContain('已解决 · 基本满意')
  await page.context().close()
})

test('the rates of last month are ranked, defined and drawn over the year', async () => {
  const page = await as('admin')
  const last = new Date(Date.now() - 35 * 86400_000)
  const month = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit' }).format(last)
  await page.goto('/hotline/rates')
  await page.fill('input[name=period]', month)
  await page.dispatchEvent('input[name=period]', 'change')
  await expect.poll(() => page.locator('[data-test=rates] tbody tr[data-group]').count(), { timeout: 20_000 }).toBeGreaterThan(2)
  const total = await page.textContent('[data-test=rates] tr[data-group=合计]')
  expect(total).toMatch(/\d+\.\d%/)
  expect(await page.getAttribute('[data-test=rates] th:has-text("满意率")', 'title')).toContain('基本满意数 × 0.8')
  const trend = () => page.evaluate(() => {
    type Chart = { getOption(): { series: { data: (number | null)[] }[] } }
    const chart = (window as unknown as { __jiexiang: Record<string, Chart> }).__jiexiang['hotline-trend']
    return chart.getOption().series.map((s) => s.data.filter((v) => v !== null).length)
  })
  await expect.poll(async () => Math.min(...(await trend())), { timeout: 20_000 }).toBeGreaterThan(9)
  await expect.poll(() => page.locator('[data-test=lost] tbody tr a').count()).toBeGreaterThan(0)
  await page.waitForTimeout(800)
  await screenshot(page, 'hotline-rates')
  await page.context().close()
})

test('a topic of 每月一题 is adopted as a task and finished with evidence', async () => {
  const page = await as('operator')
  await page.goto('/hotline')
  await page.click('[data-test=tab-proactive]')
  const adopt = page.locator('[data-test=monthly-topics] [data-test=adopt]').first()
  await expect.poll(() => adopt.count(), { timeout: 20_000 }).toBe(1)
  await adopt.click()
  await page.waitForURL('**/hotline/tasks/new?**')
  expect(await page.inputValue('input[name=title]')).toMatch(/^每月一题：/)
  await expect.poll(() => page.locator('select[name=unit] option').count()).toBeGreaterThan(1)
  if (!(await page.inputValue('select[name=unit]'))) await page.selectOption('select[name=unit]', { index: 1 })
  await page.fill('textarea[name=done_when]', '问题点位全部清理，回访无新增投诉')
  await page.click('[data-test=create-task]')
  await page.waitForURL(/\/hotline\/tasks\/\d+$/)
  await expect.poll(() => page.textContent('[data-test=task-status]')).toBe('进行中')
  await page.click('[data-action=finish]')
  await page.fill('textarea[name=note]', '已联合社区清理 5 处点位')
  await page.click('[data-test=confirm]')
  await expect.poll(() => page.textContent('[data-test=task-status]')).toBe('已完成')
  expect(await page.textContent('[data-test=effect]')).toContain('完成 8 周后')
  await page.goto('/hotline')
  await page.click('[data-test=tab-proactive]')
  await expect.poll(() => page.locator('[data-test=monthly-topics] a:has-text("已采纳")').count()).toBeGreaterThan(0)
  await screenshot(page, 'hotline-proactive')
  await page.context().close()
})
