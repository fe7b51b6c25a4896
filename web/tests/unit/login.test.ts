import { flushPromises, mount } from '@vue/test-utils'
import { afterEach, expect, test, vi } from 'vitest'
import { createMemoryHistory, createRouter } from 'vue-router'
import LoginView from '../../src/views/LoginView.vue'
import { session } from '../../src/session'

afterEach(() => {
  vi.unstubAllGlobals()
  session.end()
})

async function mounted() {
  const router = createRouter({ history: createMemoryHistory(), routes: [{ path: '/:p(.*)*', component: { template: '<div/>' } }] })
  await router.push('/login')
  return { wrapper: mount(LoginView, { global: { plugins: [router] } }), router }
}

test('an empty form is refused in Chinese without asking the server; a demo lists its accounts', async () => {
  const fetch = vi.fn(async (_url: string) => new Response(JSON.stringify({ basemap: null, synthetic_data: true })))
  vi.stubGlobal('fetch', fetch)
  const { wrapper } = await mounted()
  await wrapper.find('form').trigger('submit')
  expect(wrapper.find('[role=alert]').text()).toBe('请输入账号和密码')
  expect(fetch.mock.calls.map(([url]) => String(url))).not.toContain('/api/auth/token')
  await flushPromises()
  expect(wrapper.find('[data-test=demo-accounts]').text()).toContain('jiexiang-demo')  // a demo names its accounts
})

test('the server’s message is shown when the password is wrong, and no token is kept', async () => {
  vi.stubGlobal('fetch', vi.fn(async () => new Response(JSON.stringify({ code: 'bad_credentials', message: '账号或密码错误' }), { status: 401 })))
  const { wrapper } = await mounted()
  await wrapper.find('input[name=username]').setValue('admin')
  await wrapper.find('input[name=password]').setValue('wrong')
  await wrapper.find('form').trigger('submit')
  await vi.waitFor(() => expect(wrapper.find('[role=alert]').exists()).toBe(true))
  expect(wrapper.find('[role=alert]').text()).toBe('账号或密码错误')
  expect(localStorage.getItem('jiexiang.token')).toBeNull()
})

test('a good login keeps the token and opens the home page of the role', async () => {
  const answers: Record<string, unknown> = {
    '/api/auth/token': { access_token: 'T', token_type: 'bearer' },
    '/api/auth/me': { id: 3, username: 'resident', full_name: '居民', role: 'resident', role_label: '居民', unit_name: null, permissions: ['places.read_public'] },
  }
  vi.stubGlobal('fetch', vi.fn(async (url: string) => new Response(JSON.stringify(answers[url]), { status: 200 })))
  const { wrapper, router } = await mounted()
  await wrapper.find('input[name=username]').setValue('resident')
  await wrapper.find('input[name=password]').setValue('jiexiang-demo')
  await wrapper.find('form').trigger('submit')
  await vi.waitFor(() => expect(router.currentRoute.value.path).toBe('/report'))
  expect(localStorage.getItem('jiexiang.token')).toBe('T')
  expect(session.can('cases.read')).toBe(false)
})
