// Several organisations in one database (issue 13, item 4): membership spans
// are per organisation, syncing org B never ends a membership of org A, and
// the seed's members.inactive means "a member of no synced organisation".
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startSim, World, type Sim } from '../sim/index.js'
import { loadMigrations, migrate } from '../src/db/migrate.js'
import { MemoryLog } from '../src/log.js'
import { runMembers } from '../src/tasks/members.js'
import { createTestDatabase, type TestDatabase } from './helpers/db.js'
import { migrated, simDeps, simSettings } from './helpers/task-deps.js'

// The same accounts in the same order in both worlds: the same GitHub user ids.
const PEOPLE = ['ada', 'bob', 'cyd', 'dee']

function org(name: string, members: string[]): World {
  const w = new World({ org: name, now: '2025-01-01T00:00:00Z' })
  for (const login of PEOPLE) w.addUser(login)
  for (const login of members) w.addMember(login)
  return w
}

describe('members of two organisations in one database', () => {
  let db: TestDatabase
  let a: Sim
  let b: Sim
  beforeEach(async () => {
    a = await startSim({ world: org('acme', ['ada', 'bob']) })
    b = await startSim({ world: org('beta', ['ada', 'cyd']) })
    db = await createTestDatabase()
    await migrated(db.sql)
  })
  afterEach(async () => {
    await a.close()
    await b.close()
    await db.drop()
  })

  const sync = (sim: Sim) => runMembers(simDeps(sim, db.sql), simSettings(sim, 'members'))
  const advance = (minutes: number) => {
    a.world.advance({ minutes })
    b.world.advance({ minutes })
  }
  const members = async () =>
    Object.fromEntries(
      (
        await db.sql<{ login: string; inactive: boolean; inactive_dt: Date | null }[]>`
        select login, inactive, inactive_dt from members order by login`
      ).map((r) => [r.login, { inactive: r.inactive, inactive_dt: r.inactive_dt }])
    )
  const spans = async () =>
    (
      await db.sql<{ org: string; login: string; left: boolean }[]>`
        select org, login, left_seen_at is not null as left from member_spans order by org, login, joined_seen_at`
    ).map((s) => `${s.org}:${s.login}${s.left ? ' (left)' : ''}`)

  it('syncing one organisation never marks the other one`s members inactive; inactive means in every organisation', async () => {
    await sync(a)
    advance(5)
    const bRun = await sync(b)
    expect(bRun.counts).toMatchObject({ members: 2, joined: 2, left: 0 })
    expect(await spans()).toEqual(['acme:ada', 'acme:bob', 'beta:ada', 'beta:cyd'])
    expect(await members()).toEqual({
      ada: { inactive: false, inactive_dt: null },
      bob: { inactive: false, inactive_dt: null },
      cyd: { inactive: false, inactive_dt: null }
    })
    // Nobody was asked about: bob is not beta's to check.
    expect(b.log.count({ route: '/orgs/{org}/members/{username}' })).toBe(0)

    // ada leaves acme but stays in beta: her acme span closes, she is still active.
    advance(30)
    a.world.removeMember('ada')
    expect((await sync(a)).counts).toMatchObject({ left: 1 })
    advance(5)
    await sync(b)
    expect(await spans()).toEqual(['acme:ada (left)', 'acme:bob', 'beta:ada', 'beta:cyd'])
    expect((await members()).ada).toEqual({ inactive: false, inactive_dt: null })

    // Then beta too: a member of no synced organisation, inactive from then.
    advance(30)
    b.world.removeMember('ada')
    const gone = b.world.now()
    await sync(b)
    expect((await members()).ada).toEqual({ inactive: true, inactive_dt: gone })

    // was_member() means any synced organisation; the three-argument form asks about one.
    const at = new Date(gone.getTime() - 10 * 60_000) // after ada left acme, before she left beta
    const [row] = await db.sql`
      select was_member('ada', ${at}::timestamp) as any_org,
             was_member('ada', ${at}::timestamp, 'acme') as acme,
             was_member('ada', ${at}::timestamp, 'BETA') as beta,
             was_member_id(${a.world.user('ada').id}, ${at}::timestamp, 'beta') as beta_by_id,
             was_member('bob', ${at}::timestamp, 'beta') as bob_beta`
    expect(row).toEqual({ any_org: true, acme: false, beta: true, beta_by_id: true, bob_beta: false })
  })

  it('spans recorded before the migration belong to the organisation the members cursor names, else to the first one listed', async () => {
    for (const cursorNamesOrg of [true, false]) {
      const old = await createTestDatabase()
      try {
        // A database as the previous version left it (migrations up to 0008), with one organisation's spans.
        await migrate(old.sql, new MemoryLog(), loadMigrations().slice(0, 8))
        await old.sql`insert into members (id, login, inserted_dt, inactive) values (1, 'ada', '2024-01-01', false)`
        await old.sql`insert into member_spans (user_id, login, joined_seen_at) values (1, 'ada', '2024-01-01')`
        if (cursorNamesOrg) {
          await old.sql`insert into sync_cursors (task, repo_id, state) values ('members', 0, ${old.sql.json({ org: 'acme', pages: [] })})`
        }
        await migrate(old.sql, new MemoryLog())
        const [span] = await old.sql`select org from member_spans`
        expect(span.org).toBe(cursorNamesOrg ? 'acme' : '')
        // was_member() still answers for them, whichever organisation is asked about.
        const [row] =
          await old.sql`select was_member('ada', '2025-01-01'::timestamp) as any, was_member('ada', '2025-01-01'::timestamp, 'acme') as acme`
        expect(row).toEqual({ any: true, acme: true })
        if (!cursorNamesOrg) {
          // Unattributed (a seed database: one organisation): the first members run claims them.
          await runMembers(simDeps(b, old.sql), simSettings(b, 'members'))
          const orgs = await old.sql`select distinct org from member_spans`
          expect(orgs.map((r) => r.org)).toEqual(['beta'])
        }
      } finally {
        await old.drop()
      }
    }
  })
})
