// End-to-end: a real server with the demo subdistrict, driven in Debian's headless Chromium.
import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    environment: 'node',
    include: ['tests/e2e/**/*.e2e.ts'],
    globalSetup: ['tests/e2e/server.ts'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    // A page loads its data in several requests on a busy two-core machine: a second is not enough to wait for it.
    expect: { poll: { timeout: 15_000 } },
    fileParallelism: false,
    // Not in the order they are written: each test sets up what it needs (tests/e2e/api.ts), and this keeps it so.
    sequence: { shuffle: true },
  },
})
