// Membership read from a list that shifted (issue 13, item 3): GitHub pages
// /orgs/{org}/members by position, so a member who leaves while the list is
// walked pulls the next one onto a page already read. A member missing from
// one walk is not "left" until GET /orgs/{org}/members/{username} says so
// (204 a member, 404 not; one request per member missing), so no false
// leave-and-return span is recorded.
import { afterEach, describe, expect, it } from 'vitest'
import { startSim, World, type Sim } from '../sim/index.js'
import { runMembers } from '../src/tasks/members.js'
import { createTestDatabase, type TestDatabase } from './helpers/db.js'
import { migrated, simDeps, simSettings } from './helpers/task-deps.js'

const LIST = { route: '/orgs/{org}/members' }
const CHECK = { route: '/orgs/{org}/members/{username}' }

describe('members missing from one listing', () => {
  let db: TestDatabase | undefined
  let sim: Sim | undefined
  afterEach(async () => {
    await sim?.close()
    await db?.drop()
  })

  async function setUp(members: number): Promise<{ world: World; sim: Sim; db: TestDatabase }> {
    const world = new World({ org: 'acme', now: '2025-01-01T00:00:00Z' })
    for (let k = 0; k < members; k++) world.addMember(`m${k}`)
    sim = await startSim({ world })
    db = await createTestDatabase()
    await migrated(db.sql)
    return { world, sim, db }
  }
  const spans = async (d: TestDatabase, login: string) =>
    d.sql<{ joined_seen_at: Date; left_seen_at: Date | null }[]>`
      select joined_seen_at, left_seen_at from member_spans where login = ${login} order by joined_seen_at`

  it('REST: a member hidden by a page that shifted is confirmed (204) and stays; a real leave is confirmed (404)', async () => {
    const { world, sim, db } = await setUp(101) // page 1: m0…m99, page 2: m100
    const members = (token = 't') => runMembers(simDeps(sim, db.sql, token), simSettings(sim, 'members'))
    const t0 = world.now()
    expect((await members()).counts).toMatchObject({ members: 101, joined: 101 })

    // m3 leaves after page 1 was read: m100 slides onto page 1, and page 2 comes back empty.
    world.advance({ minutes: 30 })
    sim.log.reset()
    sim.faults.onNth(LIST, 2, () => world.removeMember('m3'))
    const shifted = await members()
    expect(shifted.counts).toMatchObject({ members: 100, left: 0, confirmed_members: 1 })
    expect(sim.log.notModified(LIST)).toBe(1) // page 1, unchanged when it was read
    expect(sim.log.billable(LIST)).toBe(1) // page 2, now empty
    expect(sim.log.billable({ ...CHECK, status: 204 })).toBe(1) // m100: still a member
    expect(sim.log.billable()).toBe(2)
    const [m100] = await db.sql`select inactive from members where login = 'm100'`
    expect(m100.inactive).toBe(false)

    // The next walk shows m100 and misses m3, who did leave: one 404.
    world.advance({ minutes: 30 })
    const t2 = world.now()
    sim.log.reset()
    expect((await members()).counts).toMatchObject({ members: 100, left: 1, joined: 0 })
    expect(sim.log.billable({ ...CHECK, status: 404 })).toBe(1)
    expect(sim.log.billable()).toBe(2)
    // One unbroken span for m100 — no leave-and-return — and m3's closed when first confirmed gone.
    expect(await spans(db, 'm100')).toEqual([{ joined_seen_at: t0, left_seen_at: null }])
    expect(await spans(db, 'm3')).toEqual([{ joined_seen_at: t0, left_seen_at: t2 }])
    const [m3] = await db.sql`select inactive, inactive_dt from members where login = 'm3'`
    expect(m3).toEqual({ inactive: true, inactive_dt: t2 })
  })

  it('GraphQL (a new token per run): a member the snapshot lacks is confirmed before the span closes', async () => {
    const { world, sim, db } = await setUp(3)
    await runMembers(simDeps(sim, db.sql, 'token-1'), simSettings(sim, 'members'))
    world.advance({ minutes: 30 })
    world.removeMember('m1')
    sim.log.reset()
    const rotating = await runMembers(simDeps(sim, db.sql, 'token-2'), simSettings(sim, 'members'))
    expect(rotating.counts).toMatchObject({ members: 2, left: 1 })
    expect(sim.log.count(LIST)).toBe(0) // listed by the snapshot
    expect(sim.log.billable({ ...CHECK, status: 404 })).toBe(1)
    expect(sim.log.billable({ bucket: 'core' })).toBe(1)
    expect((await spans(db, 'm1'))[0].left_seen_at).toEqual(world.now())
  })

  it('an answer that says neither (302: the token is no org member) keeps the member, and asks again next run', async () => {
    const { world, sim, db } = await setUp(2)
    const members = () => runMembers(simDeps(sim, db.sql), simSettings(sim, 'members'))
    await members()
    world.advance({ minutes: 30 })
    world.removeMember('m1')
    sim.world.config.membershipCheckRedirect = true
    const first = await members()
    expect(sim.log.count({ ...CHECK, status: 302 })).toBe(1)
    expect(sim.log.count({ route: '/orgs/{org}/public_members/{username}' })).toBe(0) // not followed
    expect(first.counts).toMatchObject({ members: 1, left: 0, unconfirmed: 1 })
    expect((await spans(db, 'm1'))[0].left_seen_at).toBeNull()
    sim.world.config.membershipCheckRedirect = false
    world.advance({ minutes: 30 })
    expect((await members()).counts).toMatchObject({ left: 1 })
  })
})
