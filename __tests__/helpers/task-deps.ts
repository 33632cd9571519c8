import type { Sim } from '../../sim/index.js'
import type { Sql } from '../../src/db/connect.js'
import { migrate } from '../../src/db/migrate.js'
import { createOctokit } from '../../src/github/client.js'
import { RequestMeter } from '../../src/github/meter.js'
import { readSettings, type Settings } from '../../src/inputs.js'
import { MemoryLog } from '../../src/log.js'
import type { Deps } from '../../src/tasks/types.js'
import type { InputName } from '../../src/constants.js'

/** Deps for calling a task directly against the simulator, on its clock. */
export function simDeps(sim: Sim, sql: Sql, token = 't'): Deps & { log: MemoryLog; meter: RequestMeter } {
  const log = new MemoryLog()
  const meter = new RequestMeter()
  const octokit = createOctokit({ token, baseUrl: sim.url, log, meter, maxRateLimitWaitSeconds: 5, msPerSecond: 1 })
  return { sql, octokit, meter, log, clock: () => sim.world.now() }
}

/** Settings as the action would read them, for `mode` against the simulator. */
export function simSettings(sim: Sim, mode: string, extra: Partial<Record<InputName, string>> = {}): Settings {
  const inputs: Partial<Record<InputName, string>> = {
    mode,
    'github-token': 't',
    'api-url': sim.url,
    'database-url': 'postgres://unused@127.0.0.1:1/unused',
    org: sim.world.org,
    'budget-reserve': '0',
    ...extra
  }
  return readSettings((n) => inputs[n] ?? '', {}, sim.world.now())
}

export async function migrated(sql: Sql): Promise<void> {
  await migrate(sql, new MemoryLog())
}
