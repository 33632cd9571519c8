import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { migrate } from '../src/db/migrate.js'
import { MemoryLog } from '../src/log.js'
import { runBackfill } from '../src/tasks/backfill.js'
import { startSim, type Sim } from '../sim/index.js'
import { backfillWorld, dumpBackfill, RANGE } from './helpers/backfill-world.js'
import { createTestDatabase, type TestDatabase } from './helpers/db.js'
import { simDeps, simSettings } from './helpers/sync.js'

const TIMELINES = 'true' as 'true' | 'false'
/** Requests after which the 'killed' run dies, and requests (or points) each budget-limited run may spend. */
const KILL_AFTER = TIMELINES === 'true' ? 8 : 4
const PER_RUN = 3

describe('backfill', () => {
  let sim: Sim
  let reference: TestDatabase
  let db: TestDatabase
  let expected: Record<string, readonly unknown[]>
  const settings = (inputs: Record<string, string> = {}) =>
    simSettings(sim, {
      mode: 'backfill',
      since: RANGE.since,
      until: RANGE.until,
      'backfill-timelines': TIMELINES,
      ...inputs
    })

  beforeAll(async () => {
    sim = await startSim({ world: backfillWorld() })
    reference = await createTestDatabase()
    await migrate(reference.sql, new MemoryLog())
    const deps = simDeps(sim, reference.sql)
    const result = await runBackfill(deps, settings({ 'budget-reserve': '0' }))
    expect(result.incomplete).toBeFalsy()
    expect(result.counts).toMatchObject({ repositories: 3, finished: 3, issues: 209, pulls: 106 })
    expected = await dumpBackfill(reference.sql)
    // The uninterrupted run's cost: 3 listing pages of api, 1 of web, 1 of big
    // (its first page, then search wins), and the timelines through GraphQL:
    // one query (1 point) per page or window of items (api 3, web 1, big 1),
    // each carrying the reaction counts of the comments the one before
    // stored, and one last query for the reaction counts of the last unit's.
    expect(sim.log.billable({ route: '/repos/{owner}/{repo}/issues' })).toBe(5)
    expect(sim.log.billable({ route: '/repos/{owner}/{repo}/issues/{issue_number}/timeline' })).toBe(0)
    expect(sim.log.points()).toBe(TIMELINES === 'true' ? 5 + 1 : 0)
    expect(
      (await reference.sql`select count(*)::int as n from events where event = 'commented' and reactions is null`)[0].n
    ).toBe(0)
    // Search probes for the two listings over 2 pages (api: the listing wins, 3 pages vs 3
    // search requests; big: 5 pages vs 1), then big's one window of 25 items.
    expect(sim.log.billable({ route: '/search/issues' })).toBe(3)
    expect(deps.log.lines.join('\n')).toMatch(/backfill big: .* by search/)
    expect(deps.log.lines.join('\n')).toMatch(/backfill api page 3: \d+ stored .*; 250 in all; 100%, done/)
  }, 120_000)

  afterAll(async () => {
    await sim.close()
    await reference.drop()
  })

  beforeEach(async () => {
    db = await createTestDatabase()
    await migrate(db.sql, new MemoryLog())
    sim.limits.reset()
    sim.log.reset()
  })

  it('stores exactly the items created in the range, with their timelines', async () => {
    const [{ outside }] = await reference.sql<{ outside: number }[]>`
      select count(*)::int as outside from (select created_at from issues union all select created_at from pull_requests) x
      where created_at < '2024-01-01' or created_at >= '2024-02-01'`
    expect(outside).toBe(0)
    if (TIMELINES === 'true') expect(expected.events.length).toBeGreaterThan(100)
    await db.drop()
  })

  it('a run killed half-way, then re-run, ends with the same database as an uninterrupted one', async () => {
    const killed = simDeps(sim, db.sql)
    let sent = 0
    killed.octokit.hook.before('request', () => {
      if (++sent > KILL_AFTER) throw new Error('runner killed')
    })
    await expect(runBackfill(killed, settings({ 'budget-reserve': '0' }))).rejects.toThrow('runner killed')
    const partial = await dumpBackfill(db.sql)
    expect(partial.issues.length + partial.pull_requests.length).toBeGreaterThan(0)
    expect(partial.issues.length + partial.pull_requests.length).toBeLessThan(315)

    const again = await runBackfill(simDeps(sim, db.sql), settings({ 'budget-reserve': '0' }))
    expect(again.incomplete).toBeFalsy()
    expect(await dumpBackfill(db.sql)).toEqual(expected)
    await db.drop()
  })

  it('stops at the budget reserve, reports what remains, and later runs (without since) finish it', async () => {
    const reserve = 5000 - PER_RUN
    const first = await runBackfill(simDeps(sim, db.sql), settings({ 'budget-reserve': String(reserve) }))
    expect(first.incomplete).toBe(true)
    expect(first.remaining).toMatch(/unfinished: api from .* to 2024-01-31T23:59:59.999Z, web from 2024-01-01/)
    expect(first.remaining).toMatch(/Run backfill again/)
    expect(sim.log.billable({ bucket: 'core' })).toBeLessThanOrEqual(PER_RUN)
    expect(sim.log.points()).toBeLessThanOrEqual(PER_RUN)

    let runs = 1
    let last = first
    while (last.incomplete && runs < 10) {
      sim.limits.reset() // the hourly window has passed
      last = await runBackfill(
        simDeps(sim, db.sql),
        simSettings(sim, {
          mode: 'backfill',
          'budget-reserve': String(reserve),
          'backfill-timelines': TIMELINES
        })
      )
      runs++
    }
    expect(last.incomplete).toBeFalsy()
    expect(runs).toBeGreaterThanOrEqual(2)
    const got = await dumpBackfill(db.sql)
    expect(got).toEqual(expected)

    // Finished: a continuation costs nothing, a dispatch of the same range only the repository list.
    sim.log.reset()
    const idle = await runBackfill(simDeps(sim, db.sql), simSettings(sim, { mode: 'backfill' }))
    // (no unfinished backfill: not even the repository list is read)
    expect(idle.counts.repositories).toBe(0)
    expect(sim.log.count()).toBe(0)
    await runBackfill(simDeps(sim, db.sql), settings())
    expect(sim.log.billable()).toBeLessThanOrEqual(1)
    await db.drop()
  })

  it('without timelines reads only the listing and search', async () => {
    const deps = simDeps(sim, db.sql)
    const result = await runBackfill(deps, settings({ 'backfill-timelines': 'false' }))
    expect(result.counts).toMatchObject({ issues: 209, pulls: 106, events: 0 })
    expect(sim.log.billable({ route: '/repos/{owner}/{repo}/issues/{issue_number}/timeline' })).toBe(0)
    expect(sim.log.billable()).toBe(1 + 5 + 3) // repository list, listing pages, 2 search probes + 1 window
    const dump = await dumpBackfill(db.sql)
    // The same rows, but for the mark saying their timeline was stored.
    const unmarked = (rows: readonly unknown[]) =>
      rows.map((r) => ({ ...(r as Record<string, unknown>), timeline_updated_at: null }))
    expect(unmarked(dump.pull_requests)).toEqual(unmarked(expected.pull_requests))
    expect(unmarked(dump.issues)).toEqual(unmarked(expected.issues))
    expect(dump.issues.every((r) => (r as { timeline_updated_at: unknown }).timeline_updated_at === null)).toBe(true)
    await db.drop()
  })
})
