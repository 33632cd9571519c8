import type { Sql } from '../../src/db/connect.js'
import { createOctokit } from '../../src/github/client.js'
import { RequestMeter } from '../../src/github/meter.js'
import { readSettings, type Settings } from '../../src/inputs.js'
import type { InputName } from '../../src/constants.js'
import { MemoryLog } from '../../src/log.js'
import type { Deps } from '../../src/tasks/types.js'
import { afterAll, beforeAll, beforeEach } from 'vitest'
import { migrate } from '../../src/db/migrate.js'
import { startSim, type Sim, type World } from '../../sim/index.js'
import { createTestDatabase, type TestDatabase } from './db.js'

/** Deps for calling a task directly against the simulated GitHub (fast retries, sim clock). */
export function simDeps(sim: Sim, sql: Sql, token = 't'): Deps & { log: MemoryLog } {
  const log = new MemoryLog()
  const meter = new RequestMeter()
  const octokit = createOctokit({
    token,
    baseUrl: sim.url,
    log,
    meter,
    maxRateLimitWaitSeconds: 5,
    msPerSecond: 1,
    requestTimeoutMs: 5_000
  })
  return { sql, octokit, meter, log, clock: () => sim.world.now() }
}

/** Settings as run() would read them, for a task called directly. */
export function simSettings(sim: Sim, inputs: Partial<Record<InputName, string>> = {}): Settings {
  const all: Partial<Record<InputName, string>> = {
    mode: 'issues',
    'github-token': 't',
    'api-url': sim.url,
    'database-url': 'postgres://unused@127.0.0.1/unused',
    org: sim.world.org,
    ...inputs
  }
  return readSettings((name) => all[name] ?? '', {}, sim.world.now())
}

/** A migrated test database and a fresh simulated GitHub per test, as task tests use them. */
export interface SimAndDatabase {
  db: TestDatabase
  sim: Sim
}

/**
 * Registers the hooks task tests share: one migrated database for the file,
 * emptied of synced rows before each test, and a new simulator serving
 * `buildWorld()` for each test. Read `db` and `sim` inside tests and hooks.
 */
export function useSimAndDatabase(buildWorld: () => World): SimAndDatabase {
  const env = {} as SimAndDatabase
  beforeAll(async () => {
    env.db = await createTestDatabase()
    await migrate(env.db.sql, new MemoryLog())
  })
  afterAll(async () => {
    await env.sim?.close()
    await env.db.drop()
  })
  beforeEach(async () => {
    await env.db.sql`truncate repositories, issues, pull_requests, http_etags, sync_cursors`
    await env.sim?.close()
    env.sim = await startSim({ world: buildWorld() })
  })
  return env
}
