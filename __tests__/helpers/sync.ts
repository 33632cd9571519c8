import type { Sql } from '../../src/db/connect.js'
import { createOctokit } from '../../src/github/client.js'
import { RequestMeter } from '../../src/github/meter.js'
import { readSettings, type Settings } from '../../src/inputs.js'
import type { InputName } from '../../src/constants.js'
import { MemoryLog } from '../../src/log.js'
import type { Deps } from '../../src/tasks/types.js'
import type { Sim } from '../../sim/index.js'

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
