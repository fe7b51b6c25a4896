// Debian's headless Chromium driven by playwright-core (it cannot download browsers here), WebGL through
// SwiftShader so that MapLibre draws. (Playwright gives each launch a fresh profile of its own.)
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { chromium, type Browser, type Page } from 'playwright-core'
import { afterAll, beforeAll, inject } from 'vitest'

export const SCREENSHOTS = process.env.JIEXIANG_SCREENSHOTS ?? join(process.cwd(), 'test-results', 'screenshots')

export async function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--enable-unsafe-swiftshader',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  })
}

export async function newPage(
  browser: Browser,
  baseURL: string,
  options: { mobile?: boolean; at?: { latitude: number; longitude: number } } = {},
): Promise<Page> {
  const context = await browser.newContext({
    baseURL,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    viewport: options.mobile ? { width: 390, height: 844 } : { width: 1440, height: 900 },
    isMobile: options.mobile ?? false,
    hasTouch: options.mobile ?? false,
    geolocation: options.at,
    permissions: options.at ? ['geolocation'] : [],
  })
  const page = await context.newPage()
  page.on('pageerror', (error) => console.error('page error:', error.message))
  return page
}

export async function login(page: Page, username: string, password = 'jiexiang-demo'): Promise<void> {
  await page.goto('/login')
  await page.fill('input[name=username]', username)
  await page.fill('input[name=password]', password)
  await page.click('button[type=submit]')
  await page.waitForSelector('[data-test=who]', { state: 'attached' })  // hidden on phones, present when logged in
}

type PageOptions = Parameters<typeof newPage>[2]

/** One browser for the test file that calls this (launched before its tests, closed after them), and a page in a
 * context of its own signed in as `username`. */
export function signedInPages(): (username: string, options?: PageOptions) => Promise<Page> {
  let browser: Browser
  beforeAll(async () => {
    browser = await launch()
  })
  afterAll(async () => {
    await browser?.close()
  })
  return async (username, options = {}) => {
    const page = await newPage(browser, inject('baseURL'), options)
    await login(page, username)
    return page
  }
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(SCREENSHOTS, { recursive: true })
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) })
}

/** Wait until the map has drawn and is idle, then count the features rendered in `layers`. */
export async function renderedCounts(page: Page, layers: string[]): Promise<Record<string, number>> {
  await page.waitForFunction(() => {
    const map = (window as unknown as { __jiexiang?: { map: { loaded(): boolean } } }).__jiexiang?.map
    return map?.loaded() ?? false
  })
  return page.evaluate((ids) => {
    const map = (window as unknown as { __jiexiang: { map: { queryRenderedFeatures(o: object): unknown[] } } }).__jiexiang.map
    return Object.fromEntries(ids.map((id) => [id, map.queryRenderedFeatures({ layers: [id] }).length]))
  }, layers)
}
