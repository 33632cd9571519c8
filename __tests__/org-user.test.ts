// `org` naming a user account (issue 13, item 10): this action syncs
// organisations (repositories and members), so a user account fails the run
// with a message naming the input — through REST (a stable token), the
// GraphQL snapshot (a new token per run) and the members listing alike.
import { afterEach, describe, expect, it } from 'vitest'
import { startSim, World, type Sim } from '../sim/index.js'
import { run } from '../src/main.js'
import { InputError } from '../src/inputs.js'
import { runMembers } from '../src/tasks/members.js'
import { runSnapshot } from '../src/tasks/org-snapshot.js'
import { createTestDatabase, type TestDatabase } from './helpers/db.js'
import { testIO } from './helpers/io.js'
import { migrated, simDeps, simSettings } from './helpers/task-deps.js'

let sim: Sim | undefined
let db: TestDatabase | undefined
afterEach(async () => {
  await sim?.close()
  await db?.drop()
  sim = db = undefined
})

async function setUp(): Promise<{ sim: Sim; db: TestDatabase }> {
  const w = new World({ org: 'acme', now: '2025-01-01T00:00:00Z' })
  w.createRepo('app')
  w.openIssue('app', { title: 'Issue', user: 'dev-1' })
  w.addMember('dev-1')
  sim = await startSim({ world: w })
  db = await createTestDatabase()
  return { sim, db }
}

const USER = /^Invalid org 'dev-1': it is a user account, not an organisation\..*set 'org' to an organisation's login/

describe('org naming a user account', () => {
  it('fails the run naming the input, before any issue is written', async () => {
    const { sim, db } = await setUp()
    const io = testIO({
      mode: 'issues,members',
      'github-token': 't',
      'api-url': sim.url,
      'database-url': db.url,
      org: 'dev-1'
    })
    const report = await run(io, { clock: () => sim.world.now(), msPerSecond: 1 })
    expect(report.ok).toBe(false)
    expect(io.failure).toMatch(USER)
    expect(sim.log.count({ route: '/users/{username}' })).toBe(1)
    expect((await db.sql`select count(*)::int as n from repositories`)[0].n).toBe(0)
    expect((await db.sql`select count(*)::int as n from issues`)[0].n).toBe(0)
  })

  it('GraphQL snapshot and members listing say the same; an unknown login says it is not seen', async () => {
    const { sim, db } = await setUp()
    await migrated(db.sql)
    const snapshot = await runSnapshot(simDeps(sim, db.sql), simSettings(sim, 'issues', { org: 'dev-1' })).then(
      () => undefined,
      (e: unknown) => e
    )
    expect(snapshot).toBeInstanceOf(InputError)
    expect((snapshot as Error).message).toMatch(USER)
    // The owner's kind rode along with the snapshot query: no extra request.
    expect(sim.log.count({ route: '/users/{username}' })).toBe(0)

    const members = await runMembers(simDeps(sim, db.sql), simSettings(sim, 'members', { org: 'dev-1' })).then(
      () => undefined,
      (e: unknown) => e
    )
    expect((members as Error).message).toMatch(USER)

    const unknown = await runMembers(simDeps(sim, db.sql), simSettings(sim, 'members', { org: 'nobody' })).then(
      () => undefined,
      (e: unknown) => e
    )
    expect((unknown as Error).message).toMatch(/^Invalid org 'nobody': GitHub shows no organisation of that name/)
  })
})
