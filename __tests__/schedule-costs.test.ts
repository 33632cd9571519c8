// The shipped schedules through run(), as a runner makes them: what a quiet
// run costs for the whole org — exactly — with a new token every job (as
// Actions gives) and with one fixed PAT, and that a change is in the
// database (rows and timeline) after the next run of the 10-minute workflow.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { run } from '../src/main.js'
import { startSim, type Sim } from '../sim/index.js'
import { createTestDatabase, type TestDatabase } from './helpers/db.js'
import { testIO } from './helpers/io.js'

const EVERY_10 = 'issues,events,transfers'
const EVERY_30 = 'issues,pulls,unmerged,members,transfers'
const DAILY = 'daily,transfers'

for (const tokens of ['fresh', 'fixed'] as const) {
  describe(`the shipped schedules with ${tokens === 'fresh' ? 'a new token every job' : 'one fixed PAT'}`, () => {
    let sim: Sim
    let db: TestDatabase
    beforeAll(async () => {
      sim = await startSim({
        generate: { seed: 9, org: 'acme', repos: 10, items: 600, members: 12 },
        runTokens: tokens
      })
      db = await createTestDatabase()
    })
    afterAll(async () => {
      await sim?.close()
      await db?.drop()
    })

    const job = async (mode: string): Promise<number> => {
      sim.log.reset()
      const io = testIO({
        mode,
        'github-token': sim.runToken(),
        'api-url': sim.url,
        'database-url': db.url,
        org: 'acme'
      })
      const report = await run(io, { clock: () => sim.world.now(), msPerSecond: 1 })
      expect(report.ok, report.error).toBe(true)
      const units = sim.log.units()
      expect(report.requests.core + report.requests.search + report.requests.points).toBe(units)
      return units
    }

    it('a quiet run costs the org one unit with a new token, nothing with a PAT', async () => {
      await job(`migrate,${EVERY_30},events`) // the first sync
      // Settle: a full cycle of each workflow.
      for (let k = 0; k < 3; k++) {
        sim.world.advance({ minutes: 10 })
        await job(EVERY_10)
      }
      sim.world.advance({ minutes: 10 })
      await job(EVERY_30)
      sim.world.advance({ minutes: 10 })
      await job(EVERY_10)

      const quiet10: number[] = []
      const quiet30: number[] = []
      for (let k = 0; k < 6; k++) {
        sim.world.advance({ minutes: 10 })
        quiet10.push(await job(EVERY_10))
        if (k % 3 === 2) quiet30.push(await job(EVERY_30))
      }
      if (tokens === 'fresh') {
        // One search request, or the consistency listing (one GraphQL point) when due.
        expect(quiet10).toEqual([1, 1, 1, 1, 1, 1])
        expect(quiet30).toEqual([1, 1]) // the run's snapshot: repositories, members, consistency, 1 point
      } else {
        expect(quiet10).toEqual([0, 0, 0, 0, 0, 0])
        expect(quiet30).toEqual([0, 0])
      }
    })

    it('the daily workflow carries the daily passes, so the frequent runs a day later still cost one unit', async () => {
      // 20 hours on, the daily run: merged flags (one org-wide search), the
      // reaction pass (GraphQL) and the transfers task's open-issue listing
      // are all due in it, 4 hours before the frequent runs would take them.
      sim.world.advance({ hours: 20 })
      await job(DAILY)
      // The first reconciliation reads every closed pull request: a search page per 100.
      const [closed] = await db.sql<
        { n: number }[]
      >`select count(*)::int as n from pull_requests where state = 'closed'`
      expect(sim.log.count({ route: '/search/issues' })).toBe(Math.max(1, Math.ceil(closed.n / 100)))
      expect(sim.log.points()).toBeGreaterThanOrEqual(1)
      const now = sim.world.now()
      const passed = await db.sql<{ n: number }[]>`
        select count(*)::int as n from sync_cursors where task = 'reactions' and high_water = ${now}`
      const listed = await db.sql<{ n: number }[]>`
        select count(*)::int as n from sync_cursors where task = 'transfers-open' and state->>'listedAt' = ${now.toISOString()}`
      const repos = await db.sql<{ n: number; issues: number }[]>`
        select count(*)::int as n, count(*) filter (where has_issues)::int as issues
        from repositories where listed and not archived`
      expect(passed[0].n).toBe(repos[0].n)
      expect(listed[0].n).toBe(repos[0].issues)
      // 23 h 50 min later (the next daily run is due soon), nothing is due
      // in the frequent runs: the 30-minute run (which lists the
      // repositories), then the 10-minute one.
      sim.world.advance({ hours: 23, minutes: 50 })
      const expected = tokens === 'fresh' ? 1 : 0
      expect(await job(EVERY_30)).toBe(expected)
      sim.world.advance({ minutes: 10 })
      expect(await job(EVERY_10)).toBe(expected)
    })

    it('a comment is stored, timeline included, by the next 10-minute run', async () => {
      const repo = sim.world.repos.find((r) => !r.archived && r.list.length > 5)!
      const item = repo.list.find((i) => !i.deleted && !i.movedTo && i.state === 'open')!
      sim.world.advance({ minutes: 3 })
      const comment = sim.world.comment(repo.name, item.number, { user: 'dev-2', body: 'fresh news' })
      sim.world.advance({ minutes: 7 })
      const units = await job(EVERY_10)
      const [row] = await db.sql`select body from events where id = ${comment.id}`
      expect(row?.body).toBe('fresh news')
      // Detection (one search, or a listing of the one changed repository), then one timeline query.
      expect(units).toBe(2)
    })
  })
}
