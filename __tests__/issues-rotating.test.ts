// The issues task with a new token every run, as Actions gives (a new
// GITHUB_TOKEN or App installation token per job, so no stored ETag ever
// matches): after the first listing, a run costs one unit for the whole org,
// whatever the number of repositories — one search request, or every 45
// minutes the consistency listing (one GraphQL point), which also catches
// what search's lagging index showed too late.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { run, type RunReport } from '../src/main.js'
import { startSim, type Sim } from '../sim/index.js'
import { createTestDatabase, type TestDatabase } from './helpers/db.js'
import { testIO } from './helpers/io.js'
import { dbBriefs, worldBriefs } from './helpers/world-rows.js'

describe('issues with a new token every run', () => {
  let db: TestDatabase
  let sim: Sim
  beforeAll(async () => {
    db = await createTestDatabase()
    sim = await startSim({ generate: { seed: 5, org: 'acme', repos: 12, items: 1200, members: 10 } })
  })
  afterAll(async () => {
    await sim?.close()
    await db.drop()
  })

  async function job(): Promise<RunReport> {
    sim.log.reset()
    const io = testIO({
      mode: 'issues',
      'github-token': sim.runToken(),
      'api-url': sim.url,
      'database-url': db.url,
      org: 'acme'
    })
    const report = await run(io, { clock: () => sim.world.now(), msPerSecond: 1 })
    expect(report.ok, report.error).toBe(true)
    expect(report.requests.billable + report.requests.points).toBe(sim.log.units())
    return report
  }

  const selected = (): string[] => sim.world.repos.filter((r) => !r.archived).map((r) => r.name)
  const searches = (): number => sim.log.billable({ route: '/search/issues' })

  it('lists each repository once, then spends one unit a run for the whole org', async () => {
    await job()
    const live = sim.world.repos.filter((r) => !r.archived)
    const lowerBound = live.reduce((n, r) => n + Math.max(1, Math.ceil(r.list.length / 100)), 1)
    // The first run cannot know the token kind: it learns each listing's ETag
    // (one request per repository), which pays off only if the token is a PAT.
    expect(sim.log.units()).toBe(lowerBound + live.length)
    expect(await dbBriefs(db.sql)).toEqual(worldBriefs(sim, selected()))

    sim.world.advance({ minutes: 10 })
    await job() // no consistency listing yet: it is due
    expect(sim.log.units()).toBe(1)
    expect(sim.log.points()).toBe(1)

    sim.world.advance({ minutes: 10 })
    await job() // within 45 minutes of it: one search
    expect(sim.log.units()).toBe(1)
    expect(searches()).toBe(1)

    sim.world.advance({ minutes: 1 })
    const [a, b] = sim.world.repos.filter((r) => !r.archived)
    sim.world.openIssue(a.name, { title: 'new', user: 'dev-2' })
    sim.world.comment(b.name, b.list[0].number, { user: 'dev-3', body: 'hello' })
    const pr = b.list.find((i) => i.isPull && i.state === 'open')
    if (pr) sim.world.merge(b.name, pr.number, 'dev-1')
    sim.world.advance({ minutes: 9 })
    await job()
    expect(sim.log.units()).toBe(1) // the search finds all three changes, rows included
    expect(searches()).toBe(1)
    expect(await dbBriefs(db.sql)).toEqual(worldBriefs(sim, selected()))
  })

  it('an item search shows too late is stored by the next consistency listing', async () => {
    sim.world.config.searchLagMs = 30 * 60_000 // longer than overlap-minutes (10)
    const repo = sim.world.repos.filter((r) => !r.archived)[3]
    sim.world.advance({ minutes: 1 })
    const late = sim.world.openIssue(repo.name, { title: 'indexed late', user: 'dev-5' })
    sim.world.advance({ minutes: 24 })
    await job() // 45 minutes after the last consistency listing: due
    expect(sim.log.points()).toBe(1)
    // The snapshot saw the new issue; search (still lagging) did not: its
    // repository was listed from its cursor.
    expect(searches()).toBe(1)
    expect(sim.log.billable({ route: '/repos/{owner}/{repo}/issues' })).toBe(1)
    const stored = await db.sql`select id from issues where id = ${late.id}`
    expect(stored).toHaveLength(1)

    // Search alone would have missed it: after the overlap, its index still shows nothing.
    sim.world.advance({ minutes: 1 })
    const missed = sim.world.openIssue(repo.name, { title: 'missed by search', user: 'dev-6' })
    for (let k = 0; k < 2; k++) {
      sim.world.advance({ minutes: 10 })
      await job()
      expect(searches()).toBe(1)
    }
    expect(await db.sql`select id from issues where id = ${missed.id}`).toHaveLength(0)
    sim.world.advance({ minutes: 25 })
    await job() // consistency due again
    expect(await db.sql`select id from issues where id = ${missed.id}`).toHaveLength(1)
    sim.world.config.searchLagMs = 0
    expect(await dbBriefs(db.sql)).toEqual(worldBriefs(sim, selected()))
  })

  it('refreshes the repository list once when a result names a renamed repository', async () => {
    const repo = sim.world.repos.filter((r) => !r.archived)[2]
    sim.world.renameRepo(repo.name, `${repo.name}-renamed`)
    sim.world.advance({ minutes: 1 })
    sim.world.comment(`${repo.name}`, repo.list[1].number, { user: 'dev-4', body: 'after the rename' })
    sim.world.advance({ minutes: 9 })
    await job()
    expect(searches()).toBe(1)
    expect(sim.log.billable({ route: '/orgs/{org}/repos' })).toBe(1)
    expect(await dbBriefs(db.sql)).toEqual(worldBriefs(sim, selected()))
  })
})
