// The org's repository list changing while it is walked (issue 13, item 2):
// GitHub pages /orgs/{org}/repos by position, so a repository created
// between page 1 and page 2 lists another one twice, and one deleted in
// between hides another from the walk. Neither may fail the run or drop a
// repository from the tasks that read the stored list; a repository missing
// from one walk is confirmed by id before it is marked unlisted.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startSim, World, type Sim } from '../sim/index.js'
import { storedRepositories } from '../src/db/repositories.js'
import { runSnapshot } from '../src/tasks/org-snapshot.js'
import { selectRepositories } from '../src/tasks/repositories.js'
import { createTestDatabase, type TestDatabase } from './helpers/db.js'
import { migrated, simDeps, simSettings } from './helpers/task-deps.js'

const LIST = { route: '/orgs/{org}/repos' }
const BY_ID = { route: '/repositories/{id}' }

describe('a repository list that shifts while it is walked', () => {
  let db: TestDatabase
  let sim: Sim
  let world: World

  beforeEach(async () => {
    // 101 repositories, one minute apart: page 1 (newest first) holds r100…r1, page 2 holds r0.
    world = new World({ org: 'acme', now: '2025-01-01T00:00:00Z' })
    for (let k = 0; k <= 100; k++) {
      world.createRepo(`r${k}`)
      world.advance({ minutes: 1 })
    }
    sim = await startSim({ world })
    db = await createTestDatabase()
    await migrated(db.sql)
    await selectRepositories(simDeps(sim, db.sql), simSettings(sim, 'issues'))
    expect(await storedRepositories(db.sql, 'acme')).toHaveLength(101)
    // A day (and the 3 hours a frequent run leaves the daily workflow) later
    // the list is read whole again (no ETag: a fresh first page).
    world.advance({ hours: 28 })
    sim.log.reset()
  })
  afterEach(async () => {
    await sim.close()
    await db.drop()
  })

  const listedNames = async (): Promise<string[]> =>
    (await storedRepositories(db.sql, 'acme')).map((r) => r.name).sort()

  it('a deletion between pages hides another repository: it is confirmed by id and stays listed and synced', async () => {
    sim.faults.onNth(LIST, 2, () => world.deleteRepo('r50'))
    const selected = await selectRepositories(simDeps(sim, db.sql), simSettings(sim, 'issues'))
    // r0 slid onto page 1 after it was read, so the walk never showed it; one GET /repositories/{id} found it.
    expect(selected.map((r) => r.name)).toContain('r0')
    expect(await listedNames()).toContain('r0')
    expect(sim.log.billable(LIST)).toBe(2)
    expect(sim.log.billable(BY_ID)).toBe(1)
    expect(sim.log.billable()).toBe(3)

    // The next walk misses r50 for real: confirmed gone (404), marked unlisted.
    world.advance({ hours: 28 })
    sim.log.reset()
    const next = await selectRepositories(simDeps(sim, db.sql), simSettings(sim, 'issues'))
    expect(next.map((r) => r.name)).not.toContain('r50')
    expect(await listedNames()).not.toContain('r50')
    expect((await listedNames()).length).toBe(100)
    expect(sim.log.billable(BY_ID)).toBe(1)
    const [row] = await db.sql`select listed from repositories where name = 'r50'`
    expect(row.listed).toBe(false)
  })

  it('a creation between pages lists a repository twice: stored once, the run does not fail', async () => {
    sim.faults.onNth(LIST, 2, () => world.createRepo('fresh'))
    const selected = await selectRepositories(simDeps(sim, db.sql), simSettings(sim, 'issues'))
    expect(selected).toHaveLength(101)
    expect(new Set(selected.map((r) => r.id)).size).toBe(101)
    expect(await listedNames()).toHaveLength(101)
    expect(sim.log.billable()).toBe(2) // nothing was missing: no confirmation asked

    world.advance({ hours: 28 })
    await selectRepositories(simDeps(sim, db.sql), simSettings(sim, 'issues'))
    expect(await listedNames()).toContain('fresh')
  })

  it('the GraphQL snapshot confirms a repository it did not list by node id (1 point) before unlisting it', async () => {
    world.deleteRepo('r7')
    const deps = simDeps(sim, db.sql)
    const run = await runSnapshot(deps, simSettings(sim, 'issues'))
    expect(run.all.map((r) => r.name)).not.toContain('r7')
    expect(await listedNames()).toHaveLength(100)
    // One page of the 100 left, then one confirmation query.
    expect(sim.log.entries.filter((e) => e.route === '/graphql').length).toBe(2)
    expect(sim.log.points()).toBe(2)
    expect(sim.log.billable({ route: '/repositories/{id}' })).toBe(0)
  })
})
