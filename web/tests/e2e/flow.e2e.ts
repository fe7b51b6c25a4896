// A resident's photo report travels the whole workflow across roles, each in their own browser session:
// resident reports (phone) → it appears on the operator's map → operator registers (立案) → dispatcher sends
// it to the street-light unit (派遣) → the unit accepts and feeds back with a photo (受理, 处置反馈) → the
// community's grid worker verifies and closes it (核查结案) → the resident sees it closed. Each step is a test
// of its own, starting from a case the API has brought to that stage: they pass in any order, or alone.
import type { Page } from 'playwright-core'
import { expect, test } from 'vitest'
import { streetLightCase } from './api'
import { screenshot, signedInPages } from './browser'

const as = signedInPages()

async function photo(page: Page): Promise<{ name: string; mimeType: string; buffer: Buffer }> {
  // A real picture: whatever the page shows at this moment.
  return { name: 'street.png', mimeType: 'image/png', buffer: await page.screenshot({ clip: { x: 0, y: 0, width: 200, height: 150 } }) }
}

async function act(page: Page, caseId: number, action: string, fill: (page: Page) => Promise<void> = async () => {}) {
  await page.goto(`/cases/${caseId}`)
  await page.click(`[data-action=${action}]`)
  await fill(page)
  const before = await page.textContent('[data-test=status]')
  await page.click('[data-test=confirm]')
  await expect.poll(() => page.textContent('[data-test=status]')).not.toBe(before)
}

test('a resident reports a broken street light with a photo, from the phone', async () => {
  const phone = await as('resident', { mobile: true })
  await phone.waitForURL('**/report')
  await phone.waitForFunction(() => {
    const map = (window as unknown as { __jiexiang?: { reportMap?: { queryRenderedFeatures(o: object): unknown[] } } }).__jiexiang?.reportMap
    return (map?.queryRenderedFeatures({ layers: ['communities'] }).length ?? 0) > 0
  }, undefined, { timeout: 30_000 })
  const lights = await phone.evaluate(async () => {
    const words = await (await fetch('/api/vocabulary')).json()
    return words.categories.find((c: { topic: string }) => c.topic === 'street_light').code as string
  })
  await phone.setInputFiles('input[name=photos]', await photo(phone))
  await phone.fill('textarea[name=text]', '胡同里的路灯坏了，晚上一片漆黑')
  await phone.selectOption('select[name=category]', lights)
  await phone.click('[data-test=pin-map]')  // the pin goes where the finger taps: the middle of the subdistrict
  await expect.poll(() => phone.textContent('[data-test=where]')).toMatch(/位置：/)
  await phone.click('button[type=submit]')
  const receipt = await phone.waitForSelector('[data-test=receipt]', { timeout: 30_000 })
  const caseId = Number((await receipt.textContent())?.match(/案件 (\d+)/)?.[1])
  expect(caseId).toBeGreaterThan(0)
  await expect.poll(() => phone.locator('[data-test=my-report]').count()).toBeGreaterThan(0)
  await screenshot(phone, 'resident-report')
  await phone.context().close()
})

test('the report appears on the operator’s map, and the operator registers it', async () => {
  const caseId = await streetLightCase('reported')
  const desk = await as('operator')
  await desk.goto(`/cases/${caseId}`)
  await desk.click('text=在地图上查看')
  await desk.waitForURL('**/map?**')
  await expect
    .poll(
      () => desk.evaluate((id) => {
        const map = (window as unknown as { __jiexiang: { map: { queryRenderedFeatures(o: object): { properties: { id: number } }[] } } }).__jiexiang.map
        return map.queryRenderedFeatures({ layers: ['cases'] }).some((f) => f.properties.id === id)
      }, caseId),
      { timeout: 30_000 },
    )
    .toBe(true)
  await screenshot(desk, 'map-new-report')
  await act(desk, caseId, 'register')
  expect(await desk.textContent('[data-test=status]')).toBe('立案')
  // The desk, narrowed to the stage it is now in (how many other open cases come first is the demo's business).
  await desk.goto('/cases')
  await desk.waitForSelector('select[name=status] option[value=registered]', { state: 'attached' })
  await desk.selectOption('select[name=status]', 'registered')
  await desk.waitForSelector(`[data-case="${caseId}"]`)
  await screenshot(desk, 'case-desk')
  await desk.context().close()
})

test('the dispatcher sends it to the street-light unit', async () => {
  const caseId = await streetLightCase('registered')
  const desk = await as('dispatcher')
  await act(desk, caseId, 'dispatch', async (page) => {
    // The units load after the form opens: wait for the one to choose before reading its value.
    await page.waitForSelector('select[name=unit] option:text-matches("^北京市路灯管理中心")', { state: 'attached' })
    const value = await page.$eval('select[name=unit]', (select) =>
      [...(select as HTMLSelectElement).options].find((o) => o.text.startsWith('北京市路灯管理中心'))?.value)
    await page.selectOption('select[name=unit]', value as string)
  })
  expect(await desk.textContent('[data-test=status]')).toBe('派遣')
  await screenshot(desk, 'case-dispatched')
  await desk.context().close()
})

test('the unit accepts it from its task list and feeds back with a photo of the repair', async () => {
  const caseId = await streetLightCase('dispatched')
  const phone = await as('handler_lights', { mobile: true })
  await phone.waitForURL('**/tasks')
  await phone.click(`[data-case="${caseId}"]`)
  await phone.waitForURL(`**/cases/${caseId}`)
  await act(phone, caseId, 'accept')
  await act(phone, caseId, 'feedback', async (page) => {
    await page.fill('textarea[name=note]', '已更换灯泡')
    await page.setInputFiles('input[name=photos]', await photo(page))
    await page.waitForSelector('img[alt=已上传的照片]')
  })
  await screenshot(phone, 'handler-feedback')
  await phone.context().close()
})

test('the community’s grid worker verifies and closes it; the resident sees it closed', async () => {
  const caseId = await streetLightCase('verifying')
  const admin = await as('admin')
  const gridWorker = await admin.evaluate(async (id) => {
    const token = localStorage.getItem('jiexiang.token')
    const headers = { Authorization: `Bearer ${token}` }
    const detail = await (await fetch(`/api/cases/${id}`, { headers })).json()
    const users = await (await fetch('/api/users?role=grid_worker&page_size=100', { headers })).json()
    return users.items.find((u: { role: string; community_ids: number[] }) => u.role === 'grid_worker' && u.community_ids.includes(detail.community_id)).username as string
  }, caseId)
  await admin.context().close()
  const phone = await as(gridWorker, { mobile: true })
  await act(phone, caseId, 'verify', async (page) => page.fill('textarea[name=note]', '现场核实，路灯已亮'))
  expect(await phone.textContent('[data-test=status]')).toBe('结案')
  expect(await phone.locator('[data-test=timeline] li').count()).toBeGreaterThanOrEqual(5)
  await screenshot(phone, 'case-closed')
  await phone.context().close()

  const resident = await as('resident', { mobile: true })
  await expect.poll(() => resident.textContent('[data-test=my-report]')).toContain('结案')
  await resident.context().close()
})
