// Global set-up of the end-to-end suite: a real Jiexiang server with a freshly generated demo subdistrict on
// a free port and its own SQLite database, exactly as `jiexiang demo` runs it for a new user.
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import type { TestProject } from 'vitest/node'

declare module 'vitest' {
  export interface ProvidedContext {
    baseURL: string
  }
}

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const probe = createServer()
    probe.once('error', fail)
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number }
      probe.close(() => done(port))
    })
  })
}

async function healthy(url: string, child: ChildProcess, seconds: number): Promise<void> {
  for (let i = 0; i < seconds * 2; i += 1) {
    if (child.exitCode !== null) throw new Error(`jiexiang demo exited with ${child.exitCode}`)
    try {
      if ((await fetch(`${url}/api/health`)).ok) return
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 500))
  }
  throw new Error(`jiexiang demo did not answer at ${url} within ${seconds} s`)
}

export default async function setup(project: TestProject) {
  const external = process.env.JIEXIANG_E2E_URL  // an already running server, for working on the tests
  if (external) {
    project.provide('baseURL', external)
    return
  }
  const folder = mkdtempSync(join(tmpdir(), 'jiexiang-e2e-'))
  const port = await freePort()
  const logPath = join(folder, 'server.log')  // the server's own log, shown if it fails to start
  const log = openSync(logPath, 'w')
  const bin = process.env.JIEXIANG_BIN ?? resolve(process.cwd(), '../.venv/bin/jiexiang')
  const child = spawn(bin, ['demo', '--port', String(port)], {
    cwd: folder,
    env: {
      ...process.env,
      JIEXIANG_DATABASE_URL: `sqlite:///${join(folder, 'jiexiang.db')}`,
      JIEXIANG_MEDIA_DIR: join(folder, 'media'),
    },
    stdio: ['ignore', log, log],
  })
  const url = `http://127.0.0.1:${port}`
  try {
    await healthy(url, child, 300)  // the demo takes ~2 min to build on two busy cores
  } catch (error) {
    console.error(readFileSync(logPath, 'utf8').slice(-4000))
    throw error
  }
  project.provide('baseURL', url)
  return async () => {
    child.kill('SIGINT')
    await new Promise((r) => child.once('exit', r))
    rmSync(folder, { recursive: true, force: true })
  }
}
