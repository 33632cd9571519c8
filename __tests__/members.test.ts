import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startSim, World, type Sim } from '../sim/index.js'
import { mapMember } from '../src/github/map-member.js'
import { MembersAccessError, runMembers } from '../src/tasks/members.js'
import { storeMembership } from '../src/db/members.js'
import { createTestDatabase, type TestDatabase } from './helpers/db.js'
import { migrated, simDeps, simSettings } from './helpers/task-deps.js'

interface MemberDb {
  id: string
  login: string
  inactive: boolean
  inactive_dt: Date | null
  inserted_dt: Date
}

const MEMBERS_ROUTE = { route: '/orgs/{org}/members' }

describe('members', () => {
  let db: TestDatabase
  let sim: Sim
  let world: World

  beforeEach(async () => {
    world = new World({ org: 'acme', now: '2025-01-01T00:00:00Z' })
    for (const login of ['ada', 'bob', 'cyd']) world.addMember(login)
    sim = await startSim({
      world,
      tokens: { t: { kind: 'app' }, gt: { kind: 'github_token', repos: [] } }
    })
    db = await createTestDatabase()
    await migrated(db.sql)
  })
  afterEach(async () => {
    await sim.close()
    await db.drop()
  })

  const runOnce = async (token = 't') => {
    const deps = simDeps(sim, db.sql, token)
    const result = await runMembers(deps, simSettings(sim, 'members', { 'github-token': token }))
    return { result, deps }
  }
  const members = async () =>
    db.sql<MemberDb[]>`select id, login, inactive, inactive_dt, inserted_dt from members order by login`
  const spans = async () =>
    db.sql<
      {
        login: string
        joined_seen_at: Date
        joined_after: Date | null
        left_seen_at: Date | null
        left_after: Date | null
      }[]
    >`
      select login, joined_seen_at, joined_after, left_seen_at, left_after from member_spans order by login, joined_seen_at`

  it('stores every member with the seed columns, first seen now; an unchanged list costs 0 billable', async () => {
    const t0 = world.now()
    const { result } = await runOnce()
    expect(result.counts).toMatchObject({ members: 3, joined: 3, left: 0 })
    expect(sim.log.billable(MEMBERS_ROUTE)).toBe(1)
    const rows = await members()
    expect(rows.map((r) => r.login)).toEqual(['ada', 'bob', 'cyd'])
    expect(rows.every((r) => !r.inactive && r.inactive_dt === null && r.inserted_dt.getTime() === t0.getTime())).toBe(
      true
    )
    const [ada] = await db.sql`select * from members where login = 'ada'`
    expect(ada).toMatchObject({
      id: String(world.user('ada').id),
      html_url: 'https://github.com/ada',
      type: 'User',
      site_admin: false,
      node_id: expect.any(String),
      avatar_url: expect.stringContaining('avatars'),
      followers_url: expect.stringContaining('/users/ada/followers')
    })
    expect((await spans()).map((s) => [s.login, s.joined_after, s.left_seen_at])).toEqual([
      ['ada', null, null],
      ['bob', null, null],
      ['cyd', null, null]
    ])

    sim.log.reset()
    world.advance({ minutes: 30 })
    const again = await runOnce()
    expect(again.result.counts).toMatchObject({ members: 3, joined: 0, left: 0 })
    expect(sim.log.billable()).toBe(0)
    expect(sim.log.notModified(MEMBERS_ROUTE)).toBe(1)
    expect((await members()).every((r) => r.inserted_dt.getTime() === t0.getTime())).toBe(true)
  })

  it('someone who leaves is inactive from the run that first misses them; someone who returns is active again', async () => {
    const t0 = world.now()
    await runOnce()
    world.advance({ days: 1 })
    const t1 = world.now()
    world.removeMember('bob')
    sim.log.reset()
    const left = await runOnce()
    expect(left.result.counts).toMatchObject({ members: 2, joined: 0, left: 1 })
    // The changed page, and one check of the member it no longer lists (404: left).
    expect(sim.log.billable()).toBe(2)
    expect(sim.log.billable({ route: '/orgs/{org}/members/{username}', status: 404 })).toBe(1)
    const bob = (await members()).find((r) => r.login === 'bob')
    expect(bob).toMatchObject({ inactive: true, inactive_dt: t1 })

    // Still gone a day later: inactive_dt stays the first time they were missed.
    world.advance({ days: 1 })
    await runOnce()
    expect((await members()).find((r) => r.login === 'bob')).toMatchObject({ inactive: true, inactive_dt: t1 })

    world.advance({ days: 1 })
    const t3 = world.now()
    world.addMember('bob')
    world.addMember('dee')
    const back = await runOnce()
    expect(back.result.counts).toMatchObject({ members: 4, joined: 2, returned: 1, left: 0 })
    const rows = await members()
    expect(rows.find((r) => r.login === 'bob')).toMatchObject({ inactive: false, inactive_dt: null, inserted_dt: t0 })
    expect(rows.find((r) => r.login === 'dee')).toMatchObject({ inactive: false, inserted_dt: t3 })
    const bobSpans = (await spans()).filter((s) => s.login === 'bob')
    expect(bobSpans).toEqual([
      { login: 'bob', joined_seen_at: t0, joined_after: null, left_seen_at: t1, left_after: t0 },
      // Joined after the previous run (day 2), first seen on day 3.
      {
        login: 'bob',
        joined_seen_at: t3,
        joined_after: new Date(t3.getTime() - 86_400_000),
        left_seen_at: null,
        left_after: null
      }
    ])
  })

  it('a member listed on two pages (shifted mid-walk) is stored once', async () => {
    const a = mapMember({ id: 501, login: 'a' })
    const b = mapMember({ id: 502, login: 'b' })
    const now = world.now()
    const counts = await db.sql.begin((tx) =>
      storeMembership(
        tx,
        'acme',
        [
          { key: 'p1', ids: [501, 502], rows: [a, b], etag: 'W/"1"' },
          { key: 'p2', ids: [502], rows: [b], etag: 'W/"2"' }
        ],
        [],
        now,
        undefined
      )
    )
    expect(counts).toMatchObject({ joined: 2, left: 0 })
    expect((await members()).map((r) => r.login)).toEqual(['a', 'b'])
  })

  it('in a sharded matrix only shard 1 lists members (org-wide rows, no race between jobs)', async () => {
    const deps = simDeps(sim, db.sql)
    const result = await runMembers(deps, simSettings(sim, 'members', { shard: '2/3' }))
    expect(result.counts).toMatchObject({ skipped_shard: 1 })
    expect(sim.log.count()).toBe(0)
    const shard1 = await runMembers(deps, simSettings(sim, 'members', { shard: '1/3' }))
    expect(shard1.counts).toMatchObject({ members: 3 })
  })

  it('was_member() answers whether a comment author was a member when they wrote it', async () => {
    const t0 = world.now()
    await runOnce()
    world.advance({ days: 10 })
    world.removeMember('bob')
    const left = world.now()
    await runOnce()
    world.advance({ days: 10 })
    world.addMember('bob')
    const back = world.now()
    await runOnce()

    const at = (days: number) => new Date(t0.getTime() + days * 86_400_000)
    const comments = [
      { id: 1, at: at(-100) }, // before tracking began: bob was listed at the first sync
      { id: 2, at: at(5) }, // member
      { id: 3, at: at(15) }, // had left
      { id: 4, at: at(25) } // back
    ]
    for (const c of comments) {
      await db.sql`
        insert into events (id, issue_id, org, repo, event, body, created_at, updated_at, username)
        values (${c.id}, 99, 'acme', 'app', 'commented', 'hi', ${c.at}, ${c.at}, 'bob')`
    }
    await db.sql`
      insert into events (id, issue_id, org, repo, event, created_at, username)
      values (5, 99, 'acme', 'app', 'commented', ${at(5)}, 'stranger')`
    const answers = await db.sql<{ id: string; was_member: boolean }[]>`
      select e.id, was_member(e.username, e.created_at) as was_member from events e order by e.id`
    expect(answers.map((a) => [Number(a.id), a.was_member])).toEqual([
      [1, true],
      [2, true],
      [3, false],
      [4, true],
      [5, false]
    ])
    const bobId = world.user('bob').id
    const [{ by_id }] =
      await db.sql`select was_member_id(${bobId}::bigint, ${new Date(left.getTime() - 1000)}::timestamp) as by_id`
    expect(by_id).toBe(true)
    const [{ gone }] =
      await db.sql`select was_member_id(${bobId}::bigint, ${new Date(back.getTime() - 1000)}::timestamp) as gone`
    expect(gone).toBe(false)
  })

  it("a GITHUB_TOKEN's 403 fails naming the token it needs and deactivates nobody", async () => {
    await runOnce()
    world.advance({ hours: 1 })
    sim.log.reset()
    const deps = simDeps(sim, db.sql, 'gt')
    const error = await runMembers(deps, simSettings(sim, 'members', { 'github-token': 'gt' })).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(MembersAccessError)
    const message = (error as Error).message
    expect(message).toMatch(/GitHub App installation token/)
    expect(message).toMatch(/Members: read/)
    expect(message).toMatch(/read:org/)
    expect(message).toMatch(/GITHUB_TOKEN cannot/)
    expect(message).toMatch(/No member was marked inactive/)
    expect(sim.log.billable()).toBe(1)
    expect((await members()).every((r) => !r.inactive)).toBe(true)
  })

  it('a failed listing (5xx after retries, or a later page failing) writes nothing', async () => {
    await runOnce()
    world.removeMember('ada')
    world.advance({ hours: 1 })
    sim.faults.failRate(1, 1, [{ status: 502 }], MEMBERS_ROUTE)
    await expect(runOnce()).rejects.toThrow()
    sim.faults.clear()
    expect((await members()).every((r) => !r.inactive)).toBe(true)
    expect((await spans()).every((s) => s.left_seen_at === null)).toBe(true)

    // Two pages; page 2 fails on every retry after page 1 answered.
    world.addMember('ada')
    for (let i = 0; i < 120; i++) world.addMember(`dev-${i}`)
    await runOnce()
    world.removeMember('bob')
    world.advance({ hours: 1 })
    for (const n of [2, 3, 4, 5]) sim.faults.failNth(MEMBERS_ROUTE, n, { status: 503 })
    sim.log.reset()
    await expect(runOnce()).rejects.toThrow()
    expect(sim.log.count(MEMBERS_ROUTE)).toBe(5)
    expect((await members()).every((r) => !r.inactive)).toBe(true)
  })

  it('an empty listing for an org that had members deactivates nobody', async () => {
    await runOnce()
    for (const login of ['ada', 'bob', 'cyd']) world.removeMember(login)
    world.advance({ hours: 1 })
    const { result, deps } = await runOnce()
    expect(result.counts).toMatchObject({ members: 0, left: 0, suspicious_empty: 1 })
    expect(deps.log.lines.join('\n')).toMatch(/listed nobody, but 3 members are active/)
    expect((await members()).every((r) => !r.inactive)).toBe(true)
    // The ETag of the empty answer was not stored: the next run asks again in full.
    sim.log.reset()
    await runOnce()
    expect(sim.log.billable(MEMBERS_ROUTE)).toBe(1)
  })

  it('pages: an unchanged page answers 304, only a changed page is paid for, and a full last page is followed', async () => {
    for (let i = 0; i < 147; i++) world.addMember(`dev-${String(i).padStart(3, '0')}`)
    await runOnce()
    expect(sim.log.billable(MEMBERS_ROUTE)).toBe(2)
    expect(Number((await db.sql`select count(*) from members`)[0].count)).toBe(150)

    sim.log.reset()
    world.advance({ minutes: 30 })
    await runOnce()
    expect(sim.log.billable()).toBe(0)
    expect(sim.log.notModified(MEMBERS_ROUTE)).toBe(2)

    // A newcomer has the highest id, so only page 2 changes.
    sim.log.reset()
    world.advance({ minutes: 30 })
    world.addMember('newcomer')
    const { result } = await runOnce()
    expect(result.counts).toMatchObject({ members: 151, joined: 1, left: 0 })
    expect(sim.log.billable(MEMBERS_ROUTE)).toBe(1)
    expect(sim.log.notModified(MEMBERS_ROUTE)).toBe(1)

    // Someone on page 1 leaves: both pages shift.
    sim.log.reset()
    world.advance({ minutes: 30 })
    world.removeMember('ada')
    const after = await runOnce()
    expect(after.result.counts).toMatchObject({ members: 150, joined: 0, left: 1 })
    expect(sim.log.billable(MEMBERS_ROUTE)).toBe(2)
    expect((await members()).filter((r) => r.inactive).map((r) => r.login)).toEqual(['ada'])

    // Exactly 100 members: page 1 is full, so page 2 (empty) is asked too, and
    // a member added later (on page 2) is seen even though page 1 answers 304.
    for (let i = 0; i < 49; i++) world.removeMember(`dev-${String(i).padStart(3, '0')}`)
    world.removeMember('newcomer')
    world.advance({ minutes: 30 })
    sim.log.reset()
    const hundred = await runOnce()
    expect(hundred.result.counts).toMatchObject({ members: 100, left: 50 })
    expect(sim.log.billable(MEMBERS_ROUTE)).toBe(2)
    world.advance({ minutes: 30 })
    world.addMember('late')
    sim.log.reset()
    const late = await runOnce()
    expect(late.result.counts).toMatchObject({ members: 101, joined: 1 })
    expect(sim.log.notModified(MEMBERS_ROUTE)).toBe(1)
    expect(sim.log.billable(MEMBERS_ROUTE)).toBe(1)
  })
})
