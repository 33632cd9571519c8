// The `pulls` task: a conditional scan of the pulls list (newest update
// first) corrects rows whose change slipped past a sync, re-checks open rows
// on the first run, and costs nothing while no pull request changes.
import { beforeEach, describe, expect, it } from 'vitest'
import { runIssues } from '../src/tasks/issues.js'
import { runPulls } from '../src/tasks/pulls.js'
import { World, type Sim } from '../sim/index.js'
import type { TestDatabase } from './helpers/db.js'
import { simDeps, simSettings, useSimAndDatabase } from './helpers/sync.js'
import { dbBriefs, worldBriefs } from './helpers/world-rows.js'

const T0 = Date.parse('2025-01-01T00:00:00Z')
const HOUR = 3_600_000

/** acme/api: 60 PRs over 30 days (some merged, some closed), acme/web: 10 issues. */
function buildWorld(): World {
  const w = new World({ org: 'acme', now: T0 })
  w.createRepo('api')
  w.createRepo('web')
  for (let k = 1; k <= 60; k++) {
    w.setNow(T0 + k * 12 * HOUR)
    const pr = w.openIssue('api', { title: `PR ${k}`, user: `dev-${k % 4}`, isPull: true, draft: k % 7 === 0 })
    if (k % 3 === 0) w.merge('api', pr.number, 'dev-1')
    else if (k % 5 === 0) w.close('api', pr.number, { actor: 'dev-2' })
  }
  for (let k = 1; k <= 10; k++) w.openIssue('web', { title: `issue ${k}`, user: 'dev-1' })
  w.setNow(T0 + 31 * 24 * HOUR)
  return w
}

describe('pulls task', () => {
  const env = useSimAndDatabase(buildWorld)
  let db: TestDatabase
  let sim: Sim
  beforeEach(() => {
    ;({ db, sim } = env)
  })

  it('corrects state and merged in place, re-reads rows a sync missed, then costs nothing', async () => {
    const deps = simDeps(sim, db.sql)
    await runIssues(deps, simSettings(sim))
    // A row with the right updated_at but wrong state (as the seed stored them) …
    const [last] = await db.sql`select id, number from pull_requests where merged order by updated_at desc limit 1`
    await db.sql`update pull_requests set merged = false, merged_at = null, state = 'open', closed_at = null where id = ${last.id}`
    // … and changes the issues task has not seen yet.
    sim.world.advance({ minutes: 10 })
    const open = sim.world.repo('api').list.filter((i) => i.state === 'open')
    sim.world.merge('api', open[0].number, 'dev-1')
    sim.world.close('api', open[1].number, { actor: 'dev-1' })
    sim.world.readyForReview('api', 56, 'dev-1')
    sim.log.reset()
    const result = await runPulls(deps, simSettings(sim))
    expect(result.incomplete).toBeFalsy()
    expect(result.counts).toMatchObject({ corrected: 1, refetched: 3 })
    expect(await dbBriefs(db.sql)).toEqual(worldBriefs(sim))
    const [draft] = await db.sql`select draft from pull_requests where number = 56`
    expect(draft.draft).toBe(false)
    // api: the list page, the open list (first check only) and three pull
    // requests re-read; web: its (empty) list page.
    expect(sim.log.billable({ path: /^\/repos\/acme\/api\/issues\/\d+$/ })).toBe(3)
    expect(sim.log.billable({ path: /^\/repos\// })).toBe(6)

    // Within 6 hours of a listing the pulls list is not read again (the
    // issues task stores every pull request whose updated_at moves) …
    sim.log.reset()
    sim.world.advance({ minutes: 30 })
    await runPulls(deps, simSettings(sim))
    expect(sim.log.count()).toBe(0)
    // … then it is, conditionally: both lists answer 304.
    sim.world.advance({ hours: 6 })
    await runPulls(deps, simSettings(sim))
    expect(sim.log.billable({ route: '/repos/{owner}/{repo}/pulls' })).toBe(0)
    expect(sim.log.notModified({ route: '/repos/{owner}/{repo}/pulls' })).toBe(2)
  })

  it('re-checks only the closed-days window once it has a cursor', async () => {
    const deps = simDeps(sim, db.sql)
    await runIssues(deps, simSettings(sim))
    await runPulls(deps, simSettings(sim, { 'closed-days': '3' }))
    sim.world.advance({ hours: 7 })
    sim.world.comment('api', 60, { user: 'dev-1', body: 'bump' })
    sim.log.reset()
    const result = await runPulls(deps, simSettings(sim, { 'closed-days': '3' }))
    // 60 pull requests, one page: only the last three days' (and the 7 hours since the cursor) are compared.
    expect(result.counts.checked).toBeLessThanOrEqual(8)
    expect(sim.log.billable({ route: '/repos/{owner}/{repo}/pulls' })).toBe(1)
  })

  it('re-reads nothing when only timestamps differ (a pull can be updated after its issue)', async () => {
    const deps = simDeps(sim, db.sql)
    await runIssues(deps, simSettings(sim))
    await db.sql`update pull_requests set updated_at = updated_at - interval '1 minute'`
    sim.log.reset()
    const result = await runPulls(deps, simSettings(sim))
    expect(result.counts).toMatchObject({ corrected: 0, refetched: 0 })
    expect(sim.log.billable({ path: /\/issues\/\d+$/ })).toBe(0)
  })

  it('on its first check finds open rows that were closed long ago', async () => {
    const deps = simDeps(sim, db.sql)
    await runIssues(deps, simSettings(sim))
    // A PR merged weeks ago that the database still holds as open, at an older updated_at.
    const [old] =
      await db.sql`select id, number, updated_at from pull_requests where merged order by updated_at limit 1`
    await db.sql`update pull_requests set state = 'open', merged = false, merged_at = null, closed_at = null,
      updated_at = updated_at - interval '1 hour' where id = ${old.id}`
    const result = await runPulls(deps, simSettings(sim))
    expect(result.counts.refetched).toBe(1)
    expect(await dbBriefs(db.sql)).toEqual(worldBriefs(sim))
  })
})
