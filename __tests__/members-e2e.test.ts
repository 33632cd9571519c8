import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startSim, World, type Sim } from '../sim/index.js'
import { run } from '../src/main.js'
import { createTestDatabase, type TestDatabase } from './helpers/db.js'
import { testIO } from './helpers/io.js'

// The every-30-minutes job end to end: issues, then members and transfers,
// through run() on the simulator's clock.
describe('members and transfers through run()', () => {
  let db: TestDatabase
  let sim: Sim
  let world: World

  beforeEach(async () => {
    world = new World({ org: 'acme', now: '2025-03-01T00:00:00Z' })
    world.createRepo('app')
    world.createRepo('docs')
    for (const login of ['ada', 'bob']) world.addMember(login)
    world.openIssue('app', {
      title: 'Moves later',
      user: 'ann',
      labels: ['bug']
    })
    world.openIssue('app', { title: 'Stays', user: 'bob' })
    world.advance({ hours: 1 })
    sim = await startSim({ world })
    db = await createTestDatabase()
  })
  afterEach(async () => {
    await sim.close()
    await db.drop()
  })

  const job = async () => {
    const io = testIO({
      mode: 'issues,members,transfers',
      'github-token': 't',
      'api-url': sim.url,
      'database-url': db.url,
      org: 'acme'
    })
    const report = await run(io, {
      clock: () => sim.world.now(),
      msPerSecond: 1
    })
    expect(io.failure).toBeUndefined()
    return { report, results: JSON.parse(io.outputs.get('results') ?? '{}') }
  }
  const requestsOf = (report: Awaited<ReturnType<typeof job>>['report'], task: string) =>
    report.tasks.find((t) => t.task === task)?.requests

  it('a quiet org costs members and transfers nothing; a leave and a transfer are picked up on the next run', async () => {
    const first = await job()
    expect(first.results.members).toMatchObject({ members: 2, joined: 2 })
    expect(requestsOf(first.report, 'members')).toMatchObject({
      billable: 1,
      notModified: 0
    })

    world.advance({ minutes: 30 })
    const quiet = await job()
    expect(requestsOf(quiet.report, 'members')).toMatchObject({
      billable: 0,
      notModified: 1
    })
    expect(requestsOf(quiet.report, 'transfers')?.billable).toBe(0)

    world.advance({ minutes: 5 })
    world.removeMember('bob')
    const moved = world.transfer('app', 1, 'docs', 'ada')
    world.advance({ minutes: 25 })
    const busy = await job()
    expect(busy.results.members).toMatchObject({ members: 1, left: 1 })
    expect(busy.results.transfers).toMatchObject({ transferred: 1 })
    // The changed page, and the check that bob, no longer listed, left (404).
    expect(requestsOf(busy.report, 'members')?.billable).toBe(2)
    expect(requestsOf(busy.report, 'transfers')?.billable).toBe(1)
    const [t] = await db.sql`select issue_id, new_issue_id, repo, new_repo, title from transfers`
    expect(t).toMatchObject({
      repo: 'app',
      new_repo: 'docs',
      new_issue_id: String(moved.id),
      title: 'Moves later'
    })
    expect((await db.sql`select inactive from members where login = 'bob'`)[0].inactive).toBe(true)
  })
})
