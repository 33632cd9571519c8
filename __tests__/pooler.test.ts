// Every task through a real PgBouncer in transaction mode (Debian's
// `pgbouncer`, started here on a free port in front of the test Postgres):
// the database ends as a direct run leaves it, and two runs at once through
// the pooler never run one task together. Also shows, on the same pooler,
// the two things that break there and that the code therefore avoids:
// session advisory locks and named prepared statements.
import postgres from 'postgres'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { urlConnection } from '../src/db/connect.js'
import { startSim, type Sim } from '../sim/index.js'
import { adminUrl, createTestDatabase, type TestDatabase } from './helpers/db.js'
import { runAll, snapshot, SMALL_ORG } from './helpers/full-run.js'
import { startGate } from './helpers/http-gate.js'
import { findPgBouncer, startPgBouncer, type PgBouncer } from './helpers/pgbouncer.js'

const found = findPgBouncer()
const missing = 'skip' in found ? found.skip : undefined
if (missing) console.warn(`pooler.test.ts: skipped, ${missing}`)

describe('PgBouncer presence', () => {
  // .ci/run installs pgbouncer and sets this, so CI can never skip the tests below unnoticed.
  it.skipIf(process.env.CM_REQUIRE_PGBOUNCER !== '1')('is installed where CI requires it', () => {
    expect(missing).toBeUndefined()
  })
})

describe.skipIf(missing !== undefined)('through PgBouncer, pool_mode=transaction', () => {
  let bouncer: PgBouncer
  let sim: Sim
  const dbs: TestDatabase[] = []
  let direct: TestDatabase
  let clean: Record<string, string[]>
  let cleanTwice: Record<string, string[]>

  const newDb = async (): Promise<TestDatabase> => {
    const db = await createTestDatabase('cm_pool')
    dbs.push(db)
    return db
  }
  const nameOf = (db: TestDatabase): string => new URL(db.url).pathname.slice(1)
  /** The database through the pooler, flagged as the docs say. */
  const pooled = (db: TestDatabase): string => `${bouncer.url(nameOf(db))}?pgbouncer=true`

  beforeAll(async () => {
    bouncer = await startPgBouncer(adminUrl(), { poolMode: 'transaction', poolSize: 2 })
    sim = await startSim({ generate: SMALL_ORG })
    direct = await newDb()
    const first = await runAll(sim, direct.url)
    expect(first.report.ok, first.report.error).toBe(true)
    clean = await snapshot(direct.sql)
    expect(clean.events.length).toBeGreaterThan(100)
    // What a second run on an unchanged org adds (unmerged caches its steady-state search from then on).
    const second = await runAll(sim, direct.url)
    expect(second.report.ok, second.report.error).toBe(true)
    cleanTwice = await snapshot(direct.sql)
  })
  afterAll(async () => {
    await sim?.close()
    for (const db of dbs) await db.drop()
    await bouncer?.stop()
  })

  it('breaks session advisory locks and prepared statements (what the code must not use)', async () => {
    const db = await newDb()
    const url = bouncer.url(nameOf(db))
    // Two clients, one server session (pool size 2, the first is idle): both "hold" the same session lock.
    const a = postgres(url, { max: 1, onnotice: () => {} })
    const b = postgres(url, { max: 1, onnotice: () => {} })
    try {
      const [x] = await a<{ ok: boolean }[]>`select pg_try_advisory_lock(42) as ok`
      // PgBouncer hands a's server session back a moment after its answer
      // reaches a; until then b gets the other one. Ask until b lands on it.
      let y = { ok: false }
      for (let attempt = 0; attempt < 20 && !y.ok; attempt++) {
        if (attempt > 0) await new Promise((r) => setTimeout(r, 50))
        ;[y] = await b<{ ok: boolean }[]>`select pg_try_advisory_lock(42) as ok`
      }
      expect([x.ok, y.ok]).toEqual([true, true])
    } finally {
      await a.end()
      await b.end()
    }
    // A statement prepared outside a transaction on one server session, then
    // run inside a transaction that lands on another: 26000 with postgres.js's
    // default prepare: true, fine with prepare: false.
    const outcome = async (prepare: boolean): Promise<string> => {
      const client = postgres(url, { max: 1, prepare, onnotice: () => {} })
      const other = postgres(url, { max: 1, onnotice: () => {} })
      let letGo!: () => void
      let entered!: () => void
      const inside = new Promise<void>((r) => (entered = r))
      const hold = new Promise<void>((r) => (letGo = r))
      try {
        await client`select ${1}::int as n`
        const busy = other.begin(async (tx) => {
          await tx`select 1`
          entered()
          await hold
        })
        await inside
        try {
          const [row] = await client.begin((tx) => tx<{ n: number }[]>`select ${2}::int as n`)
          return `ok ${row.n}`
        } catch (error) {
          return `error ${(error as { code?: string }).code}`
        } finally {
          letGo()
          await busy
        }
      } finally {
        await client.end()
        await other.end()
      }
    }
    expect(await outcome(true)).toBe('error 26000')
    expect(await outcome(false)).toBe('ok 2')
  })

  it('accepts the startup parameters postgres.js sends, and tracks them per client', async () => {
    const db = await newDb()
    const c = urlConnection(pooled(db))
    expect(c.pooler.transaction).toBe(true)
    expect(c.options.prepare).toBe(false)
    expect(new URL(c.url).searchParams.has('pgbouncer')).toBe(false)
    const sql = postgres(c.url, c.options)
    try {
      const rows = await sql.begin(async (tx) => [
        ...(await tx`select current_setting('TimeZone') as tz, current_setting('application_name') as app`)
      ])
      expect(rows).toEqual([{ tz: 'UTC', app: 'contributor-metrics' }])
    } finally {
      await sql.end()
    }
    // A setting in the URL is a startup parameter PgBouncer refuses (hosted poolers too): say so.
    const withSetting = postgres(`${bouncer.url(nameOf(db))}?search_path=public`, { max: 1, onnotice: () => {} })
    await expect(withSetting`select 1`).rejects.toThrow(/unsupported startup parameter: search_path/)
    await withSetting.end()
  })

  it('runs every task through it and ends with the database a direct run makes', async () => {
    const db = await newDb()
    const before = await xactCount(bouncer, nameOf(db))
    const { report, io } = await runAll(sim, pooled(db))
    expect(report.ok, report.error).toBe(true)
    expect(report.tasks.map((t) => t.task).join(',')).toBe(
      'migrate,issues,pulls,unmerged,members,transfers,events,daily,backfill'
    )
    expect(report.tasks.filter((t) => t.skipped)).toEqual([])
    expect(io.log.lines).toContain(
      'Database: through a transaction-mode pooler (pgbouncer=true in database-url); prepared statements off.'
    )
    // It really went through PgBouncer: its counters moved for this database.
    expect((await xactCount(bouncer, nameOf(db))) - before).toBeGreaterThan(100)
    expect(await snapshot(db.sql)).toEqual(clean)
    // Every lease was given back, and no session lock was left on a server session.
    expect(await db.sql`select key from task_leases`).toEqual([])
    expect(
      await db.sql`
        select 1 from pg_locks
        where locktype = 'advisory' and database = (select oid from pg_database where datname = current_database())`
    ).toEqual([])
  })

  it('two runs at once: the second skips the task the first holds, and nothing is written twice', async () => {
    const db = await newDb()
    const gateA = await startGate(sim.url)
    const gateB = await startGate(sim.url)
    try {
      // Run A stops inside 'members' (holding its lease) at its first members request.
      const held = gateA.holdNext(/^\/orgs\/acme\/members$/)
      const runA = runAll(sim, pooled(db), {}, { apiUrl: gateA.url, requestTimeoutMs: 120_000 })
      await held.arrived
      // Meanwhile run B, through the same pooler, runs every task.
      const b = await runAll(sim, pooled(db), {}, { apiUrl: gateB.url })
      held.release()
      const a = await runA

      expect(a.report.ok, a.report.error).toBe(true)
      expect(b.report.ok, b.report.error).toBe(true)
      expect(a.report.tasks.filter((t) => t.skipped)).toEqual([])
      expect(b.report.tasks.filter((t) => t.skipped).map((t) => t.task)).toEqual(['members'])
      expect(b.io.log.lines).toContain("warning: Another run is executing 'members' for acme; skipped it here.")
      expect(b.io.log.lines.some((l) => /^Task 'members:acme:1\/1' is leased to .* pid \d+ since /.test(l))).toBe(true)
      expect(JSON.parse(b.io.outputs.get('results') ?? '{}').members).toEqual({ skipped: true })
      // B asked GitHub nothing for members; A did all of it.
      expect(gateB.paths.filter((p) => p === '/orgs/acme/members')).toEqual([])
      expect(gateA.paths.filter((p) => p === '/orgs/acme/members').length).toBeGreaterThan(0)
      // Two runs of an unchanged org leave what two runs one after the other leave.
      expect(await snapshot(db.sql)).toEqual(cleanTwice)
      expect(await db.sql`select key from task_leases`).toEqual([])
    } finally {
      await gateA.close()
      await gateB.close()
    }
  })
})

/** Transactions PgBouncer has passed to a database so far. */
async function xactCount(bouncer: PgBouncer, database: string): Promise<number> {
  const rows = await bouncer.show('STATS')
  const row = rows.find((r) => r.database === database)
  return row ? Number(row.total_xact_count) : 0
}
