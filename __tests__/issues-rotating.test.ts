// The issues task with a new token every run, as Actions gives (a new
// GITHUB_TOKEN or App installation token per job, so no stored ETag ever
// matches): after the first listing, one org-wide search finds what changed,
// whatever the number of repositories.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { run, type RunReport } from '../src/main.js'
import { startSim, type Sim } from '../sim/index.js'
import { createTestDatabase, type TestDatabase } from './helpers/db.js'
import { testIO } from './helpers/io.js'
import { dbBriefs, worldBriefs } from './helpers/world-rows.js'

describe('issues with a new token every run', () => {
  let db: TestDatabase
  let sim: Sim
  let runs = 0
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
    runs++
    const io = testIO({
      mode: 'issues',
      'github-token': `ghs_run${runs}`,
      'api-url': sim.url,
      'database-url': db.url,
      org: 'acme'
    })
    const report = await run(io, { clock: () => sim.world.now(), msPerSecond: 1 })
    expect(report.ok, report.error).toBe(true)
    return report
  }

  const selected = (): string[] => sim.world.repos.filter((r) => !r.archived).map((r) => r.name)

  it('lists each repository once, then pays one search request a run for the whole org', async () => {
    await job()
    const live = sim.world.repos.filter((r) => !r.archived)
    const lowerBound = live.reduce((n, r) => n + Math.max(1, Math.ceil(r.list.length / 100)), 1)
    // The first run cannot know the token kind: it learns each listing's ETag
    // (one request per repository), which pays off only if the token is a PAT.
    expect(sim.log.billable()).toBe(lowerBound + live.length)
    expect(await dbBriefs(db.sql)).toEqual(worldBriefs(sim, selected()))

    sim.world.advance({ minutes: 10 })
    await job()
    expect(sim.log.billable()).toBe(1)
    expect(sim.log.billable({ route: '/search/issues' })).toBe(1)

    sim.world.advance({ minutes: 1 })
    const [a, b] = sim.world.repos.filter((r) => !r.archived)
    sim.world.openIssue(a.name, { title: 'new', user: 'dev-2' })
    sim.world.comment(b.name, b.list[0].number, { user: 'dev-3', body: 'hello' })
    const pr = b.list.find((i) => i.isPull && i.state === 'open')
    if (pr) sim.world.merge(b.name, pr.number, 'dev-1')
    sim.world.advance({ minutes: 10 })
    await job()
    expect(sim.log.billable()).toBe(1)
    expect(await dbBriefs(db.sql)).toEqual(worldBriefs(sim, selected()))
  })

  it('refreshes the repository list once when a result names a renamed repository', async () => {
    const repo = sim.world.repos.filter((r) => !r.archived)[2]
    sim.world.renameRepo(repo.name, `${repo.name}-renamed`)
    sim.world.advance({ minutes: 1 })
    sim.world.comment(`${repo.name}`, repo.list[1].number, { user: 'dev-4', body: 'after the rename' })
    sim.world.advance({ minutes: 10 })
    await job()
    expect(sim.log.billable({ route: '/search/issues' })).toBe(1)
    expect(sim.log.billable({ route: '/orgs/{org}/repos' })).toBe(1)
    expect(await dbBriefs(db.sql)).toEqual(worldBriefs(sim, selected()))
  })
})
