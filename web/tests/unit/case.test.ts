import { flushPromises, mount } from '@vue/test-utils'
import { afterEach, expect, test, vi } from 'vitest'
import { createMemoryHistory, createRouter } from 'vue-router'
import CaseView from '../../src/views/CaseView.vue'
import { session } from '../../src/session'

afterEach(() => {
  vi.unstubAllGlobals()
  session.end()
})

const VOCABULARY = {
  categories: [
    { code: '0101', name: '上水井盖', kind: 'component', major: '公用设施', topic: 'manhole_cover' },
    { code: '1999', name: '待分类', kind: 'event', major: '其他', topic: null },
  ],
  topics: {}, statuses: {}, sources: {}, actions: {}, unclassified: '1999',
}
const CASE = {
  id: 7, category_code: '1999', category_name: '待分类', review_reason: 'category', status: 'reported', status_label: '采集',
  description: '门口那个东西又坏了', address_text: '光明胡同1号', alley_name: '光明胡同', community_name: '西社区', lon: 116.3675,
  lat: 39.902, reported_at: '2026-11-25T01:00:00Z', deadline_at: '2027-01-04T09:30:00Z', deadline_provisional: true,
  overdue: false, handling_unit_name: null, reports: [], events: [], allowed_actions: [], suggested_unit_id: null,
}

function me(permissions: string[]) {
  return {
    id: 1, username: 'someone', full_name: '某人', role: 'operator' as const, role_label: '受理员', phone: null, unit_id: null,
    unit_name: null, limited_to_unit: false, is_active: true, community_ids: [], alley_ids: [],
    created_at: '2026-11-26T10:00:00+08:00', permissions,
  }
}

async function opened(permissions: string[], detail: object) {
  session.start('t', me(permissions))
  const sent: { url: string; method: string; body: unknown }[] = []
  vi.stubGlobal('fetch', vi.fn(async (url: string, init?: RequestInit) => {
    sent.push({ url, method: init?.method ?? 'GET', body: init?.body ? JSON.parse(String(init.body)) : null })
    if (url.startsWith('/api/vocabulary')) return new Response(JSON.stringify({ ...VOCABULARY, actions: { comment: '备注' } }))
    return new Response(JSON.stringify(detail))
  }))
  const router = createRouter({ history: createMemoryHistory(), routes: [{ path: '/cases/:id', component: CaseView }, { path: '/map', component: { template: '<div/>' } }] })
  await router.push('/cases/7')
  const wrapper = mount(CaseView, { global: { plugins: [router] } })
  await flushPromises()
  return { wrapper, sent }
}

test('备注 is offered to whoever may read the case, and is sent as a comment', async () => {
  const { wrapper, sent } = await opened(['cases.read'], CASE)
  await wrapper.find('[data-action=comment]').trigger('click')
  await wrapper.find('textarea[name=note]').setValue('居民又来电催办')
  await wrapper.find('form.act').trigger('submit')
  await flushPromises()
  expect(sent.at(-1)).toEqual({ url: '/api/cases/7/comments', method: 'POST', body: { note: '居民又来电催办', photos: [] } })
})

test('nearby workers are asked for only with the permission the dispatch routes want', async () => {
  const located = { ...CASE, status: 'registered', lon: 116.37, lat: 39.9 }
  const without = await opened(['cases.read', 'workforce.manage'], located)
  expect(without.sent.some((r) => r.url.includes('/candidates'))).toBe(false)
  session.end()
  const dispatcher = await opened(['cases.read', 'routing.manage'], located)
  expect(dispatcher.sent.some((r) => r.url.includes('/api/dispatch/cases/7/candidates'))).toBe(true)
})

test('an operator chooses the category of a case nothing could classify; a provisional deadline says so', async () => {
  session.start('t', me(['cases.read', 'intake.review']))
  const sent: { url: string; method: string; body: unknown }[] = []
  vi.stubGlobal('fetch', vi.fn(async (url: string, init?: RequestInit) => {
    sent.push({ url, method: init?.method ?? 'GET', body: init?.body ? JSON.parse(String(init.body)) : null })
    if (url.startsWith('/api/vocabulary')) return new Response(JSON.stringify(VOCABULARY))
    if (init?.method === 'PUT') return new Response(JSON.stringify({ ...CASE, category_code: '0101', category_name: '上水井盖', review_reason: null }))
    return new Response(JSON.stringify(CASE))
  }))
  const router = createRouter({ history: createMemoryHistory(), routes: [{ path: '/cases/:id', component: CaseView }, { path: '/map', component: { template: '<div/>' } }] })
  await router.push('/cases/7')
  const wrapper = mount(CaseView, { global: { plugins: [router] } })
  await flushPromises()
  expect(wrapper.find('[data-test=deadline-provisional]').exists()).toBe(true)
  const options = wrapper.findAll('[data-test=categorize] option').map((o) => o.attributes('value'))
  expect(options).toEqual(['', '0101'])  // 待分类 itself is not a choice
  await wrapper.find('[data-test=categorize] select').setValue('0101')
  await wrapper.find('[data-test=categorize]').trigger('submit')
  await flushPromises()
  expect(sent.at(-1)).toEqual({ url: '/api/cases/7/category', method: 'PUT', body: { category_code: '0101' } })
  expect(wrapper.find('h1').text()).toBe('案件 7 · 上水井盖')
})
