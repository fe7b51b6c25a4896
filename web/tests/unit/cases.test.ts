import { flushPromises, mount } from '@vue/test-utils'
import { afterEach, expect, test, vi } from 'vitest'
import { createMemoryHistory, createRouter } from 'vue-router'
import CasesView from '../../src/views/CasesView.vue'

afterEach(() => vi.unstubAllGlobals())

const VOCABULARY = {
  categories: [], topics: { debris: '乱堆物堆料/渣土' }, statuses: { handling: '处置', closed: '结案' },
  sources: { hotline: '12345热线' }, actions: {},
}
const ROW = {
  id: 12, category_name: '渣土及建筑垃圾', status: 'handling', status_label: '处置', address_text: null, alley_name: '光明胡同',
  community_name: '府右街社区', reported_at: '2026-11-20T01:00:00Z', deadline_at: '2026-11-21T09:30:00Z', deadline_provisional: false, overdue: true,
  report_count: 2, sources: ['hotline'],
}

test('the desk asks for overdue-first order, shows overdue rows in red, and filters by status', async () => {
  const asked: string[] = []
  vi.stubGlobal('fetch', vi.fn(async (url: string) => {
    asked.push(url)
    const body = url.startsWith('/api/vocabulary') ? VOCABULARY : { items: [ROW], total: 1 }
    return new Response(JSON.stringify(body), { status: 200 })
  }))
  const router = createRouter({ history: createMemoryHistory(), routes: [{ path: '/:p(.*)*', component: { template: '<div/>' } }] })
  const wrapper = mount(CasesView, { global: { plugins: [router] } })
  await flushPromises()
  expect(asked.find((u) => u.startsWith('/api/cases'))).toContain('sort=deadline')
  const cells = wrapper.findAll('[data-case="12"] td').map((td) => td.text())
  expect(cells[2]).toBe('光明胡同 · 府右街社区')
  expect(cells[5]).toBe('2026/11/21 17:30（已超期）')  // Beijing time
  expect(wrapper.find('[data-case="12"] .overdue').exists()).toBe(true)
  expect(cells[6]).toBe('12345热线')
  expect(wrapper.find('[data-case="12"] .provisional').exists()).toBe(false)
  await wrapper.find('select[name=status]').setValue('closed')
  await flushPromises()
  expect(asked.at(-1)).toContain('status=closed')
})

test('a deadline counted on a provisional calendar says so', async () => {
  const provisional = { ...ROW, deadline_at: '2027-01-13T09:30:00Z', deadline_provisional: true, overdue: false }
  vi.stubGlobal('fetch', vi.fn(async (url: string) => {
    const body = url.startsWith('/api/vocabulary') ? VOCABULARY : { items: [provisional], total: 1 }
    return new Response(JSON.stringify(body), { status: 200 })
  }))
  const router = createRouter({ history: createMemoryHistory(), routes: [{ path: '/:p(.*)*', component: { template: '<div/>' } }] })
  const wrapper = mount(CasesView, { global: { plugins: [router] } })
  await flushPromises()
  expect(wrapper.findAll('[data-case="12"] td')[5].text()).toBe('2027/01/13 17:30（暂定）')
})
