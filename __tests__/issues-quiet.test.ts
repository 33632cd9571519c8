// The every-30-minutes job end to end through run(): once synced, a run in
// which nothing changed costs 0 billable requests across the whole org, and
// a few changes cost a few requests.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { run, type RunReport } from '../src/main.js'
import { startSim, type Sim } from '../sim/index.js'
import { createTestDatabase, type TestDatabase } from './helpers/db.js'
import { testIO } from './helpers/io.js'
import { dbBriefs, worldBriefs } from './helpers/world-rows.js'

describe('issues,pulls,unmerged every 30 minutes', () => {
  let db: TestDatabase
  let sim: Sim
  beforeAll(async () => {
    db = await createTestDatabase()
    sim = await startSim({ generate: { seed: 11, org: 'acme', repos: 6, items: 1500, members: 10 } })
  })
  afterAll(async () => {
    await sim?.close()
    await db.drop()
  })

  async function job(): Promise<RunReport> {
    sim.log.reset()
    const io = testIO({
      mode: 'issues,pulls,unmerged',
      'github-token': 't',
      'api-url': sim.url,
      'database-url': db.url,
      org: 'acme'
    })
    const report = await run(io, { clock: () => sim.world.now(), msPerSecond: 1 })
    expect(report.ok, report.error).toBe(true)
    expect(report.requests.billable).toBe(sim.log.billable())
    return report
  }

  it('costs nothing when nothing changed, and little when something did', async () => {
    await job()
    sim.world.advance({ minutes: 30 })
    await job() // learns the ETags of the listings whose cursor moved
    sim.world.advance({ minutes: 30 })
    const quiet = await job()
    expect(quiet.requests.billable).toBe(0)
    expect(quiet.requests.notModified).toBeGreaterThanOrEqual(6)

    sim.world.advance({ minutes: 1 })
    const repo = sim.world.repos.find((r) => !r.archived && r.list.some((i) => i.isPull && i.state === 'open'))!
    const pr = repo.list.find((i) => i.isPull && i.state === 'open')!
    sim.world.close(repo.name, pr.number, { actor: 'dev-1' })
    sim.world.openIssue(repo.name, { title: 'new', user: 'dev-2' })
    sim.world.advance({ minutes: 30 })
    const busy = await job()
    // issues: the changed listing (its cursor stays, so its URL and the ETag
    // it learns with it); pulls: nothing within 6 hours of its last listing;
    // unmerged: nothing, the issues rows cover the close.
    expect(busy.requests.billable).toBe(1)
    const selected = sim.world.repos.filter((r) => !r.archived).map((r) => r.name)
    expect(await dbBriefs(db.sql)).toEqual(worldBriefs(sim, selected))
  })
})
