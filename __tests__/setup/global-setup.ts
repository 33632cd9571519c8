import { chmodSync, mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { TestProject } from 'vitest/node'
import { startEmbedded, type EmbeddedServer } from '../../src/db/embedded.js'
import { MemoryLog } from '../../src/log.js'

declare module 'vitest' {
  export interface ProvidedContext {
    /** A Postgres URL on which tests may create and drop databases. */
    adminDatabaseUrl: string
  }
}

/**
 * Tests run on a real Postgres: the server named by DATABASE_URL when set
 * (CI's service), else an embedded Postgres started here for this run.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const fromEnv = process.env.DATABASE_URL
  if (fromEnv) {
    project.provide('adminDatabaseUrl', fromEnv)
    return async () => {}
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cm-test-pg-'))
  // As root the server runs as a `postgres` user, which must reach the folder.
  chmodSync(dir, 0o755)
  const server: EmbeddedServer = await startEmbedded(path.join(dir, 'data'), new MemoryLog())
  project.provide('adminDatabaseUrl', server.url)
  return async () => {
    await server.stop()
    rmSync(dir, { recursive: true, force: true })
  }
}
