// The task lease (src/db/task-lock.ts) on a real Postgres, directly and,
// where pgbouncer is installed, through PgBouncer in transaction mode:
// exclusive while held, given back at the end, taken over once a crashed
// run's lease has expired, renewed while the task runs, fencing a run whose
// lease was taken over, and running a task again after a lost connection
// (but not after a statement timeout).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { connectUrl, type Sql } from '../src/db/connect.js'
import { LeaseLostError, withTaskLock } from '../src/db/task-lock.js'
import { migrate } from '../src/db/migrate.js'
import { MemoryLog } from '../src/log.js'
import { adminUrl, createTestDatabase, type TestDatabase } from './helpers/db.js'
import { findPgBouncer, startPgBouncer, type PgBouncer } from './helpers/pgbouncer.js'

const hasBouncer = !('skip' in findPgBouncer())
if (!hasBouncer) console.warn('task-lock.test.ts: the PgBouncer variant is skipped (pgbouncer is not installed)')

describe.each([
  ['directly', false],
  ['through PgBouncer (transaction mode)', true]
] as const)('task lease, %s', (_, viaBouncer) => {
  let db: TestDatabase
  let bouncer: PgBouncer | undefined
  /** Two independent clients (two runs). */
  let one: Sql
  let two: Sql
  const skip = viaBouncer && !hasBouncer

  beforeAll(async () => {
    if (skip) return
    db = await createTestDatabase('cm_lease')
    await migrate(db.sql, new MemoryLog())
    let url = db.url
    if (viaBouncer) {
      bouncer = await startPgBouncer(adminUrl(), { poolSize: 2 })
      url = `${bouncer.url(new URL(db.url).pathname.slice(1))}?pgbouncer=true`
    }
    one = connectUrl(url)
    two = connectUrl(url)
  })
  afterAll(async () => {
    if (skip) return
    await one.end()
    await two.end()
    await db.drop()
    await bouncer?.stop()
  })

  it.skipIf(skip)('is exclusive while held, names its holder, and is given back at the end', async () => {
    const log = new MemoryLog()
    const result = await withTaskLock(
      one,
      'k1',
      async () => {
        const inner = await withTaskLock(two, 'k1', async () => 'ran', { log, holder: 'second' })
        const [row] = await db.sql`select holder, expires_at > now() as live from task_leases where key = 'k1'`
        return { inner, row }
      },
      { holder: 'first run' }
    )
    expect(result).toEqual({ inner: undefined, row: { holder: 'first run', live: true } })
    expect(log.lines.some((l) => l.startsWith("Task 'k1' is leased to first run since "))).toBe(true)
    expect(await db.sql`select * from task_leases where key = 'k1'`).toEqual([])
    // Free again: the next run takes it.
    expect(await withTaskLock(two, 'k1', async () => 'next')).toBe('next')
  })

  it.skipIf(skip)('is given back when the task throws', async () => {
    await expect(
      withTaskLock(one, 'k2', async () => {
        throw new Error('task failed')
      })
    ).rejects.toThrow('task failed')
    expect(await db.sql`select * from task_leases where key = 'k2'`).toEqual([])
  })

  it.skipIf(skip)("takes over a crashed run's lease once it has expired, not before", async () => {
    await db.sql`
      insert into task_leases (key, owner, holder, acquired_at, expires_at)
      values ('k3', 'crashed', 'a crashed run', now() - interval '10 minutes', now() + interval '1 minute')`
    expect(await withTaskLock(one, 'k3', async () => 'ran')).toBeUndefined()
    await db.sql`update task_leases set expires_at = now() - interval '1 second' where key = 'k3'`
    expect(await withTaskLock(one, 'k3', async () => 'ran')).toBe('ran')
    expect(await db.sql`select * from task_leases where key = 'k3'`).toEqual([])
  })

  it.skipIf(skip)('is renewed while the task runs', async () => {
    const renewed = await withTaskLock(
      one,
      'k4',
      async () => {
        const [{ first }] = await db.sql<
          { first: Date }[]
        >`select expires_at as first from task_leases where key = 'k4'`
        // Bounded wait for the renewal timer (every 20 ms here) to move the expiry on.
        for (let i = 0; i < 200; i++) {
          const [{ now }] = await db.sql<{ now: Date }[]>`select expires_at as now from task_leases where key = 'k4'`
          if (now.getTime() > first.getTime()) return true
          await new Promise((r) => setTimeout(r, 20))
        }
        return false
      },
      { leaseSeconds: 30, renewEveryMs: 20 }
    )
    expect(renewed).toBe(true)
  })

  it.skipIf(skip)('fences a run whose lease was taken over: its next transaction fails, writing nothing', async () => {
    await db.sql`create table if not exists lease_probe (n int)`
    const log = new MemoryLog()
    const outcome = withTaskLock(
      one,
      'k5',
      async (sql) => {
        await sql.begin((tx) => tx`insert into lease_probe values (1)`)
        // Another run takes the lease over (as after this run stalled past its expiry).
        await db.sql`update task_leases set owner = 'thief', holder = 'another run' where key = 'k5'`
        await sql.begin((tx) => tx`insert into lease_probe values (2)`)
      },
      { log }
    )
    await expect(outcome).rejects.toBeInstanceOf(LeaseLostError)
    expect(await db.sql`select n from lease_probe order by n`).toEqual([{ n: 1 }])
    // The thief's lease is left alone.
    expect(await db.sql`select owner from task_leases where key = 'k5'`).toEqual([{ owner: 'thief' }])
    await db.sql`delete from task_leases where key = 'k5'`
  })

  it.skipIf(skip)('runs the task again after its connection was terminated mid-transaction', async () => {
    await db.sql`create table if not exists retry_probe (attempt int)`
    const log = new MemoryLog()
    let attempts = 0
    const result = await withTaskLock(
      one,
      'k6',
      async (sql) => {
        attempts++
        await sql.begin(async (tx) => {
          await tx`insert into retry_probe values (${attempts})`
          if (attempts === 1) await tx`select pg_terminate_backend(pg_backend_pid())`
        })
        return attempts
      },
      { log }
    )
    expect(result).toBe(2)
    // The terminated transaction's row was rolled back; the retry's committed.
    expect(await db.sql`select attempt from retry_probe`).toEqual([{ attempt: 2 }])
    expect(log.lines.some((l) => /^warning: Task 'k6': .*attempt 2 of 3\)\.$/.test(l))).toBe(true)
    expect(await db.sql`select * from task_leases where key = 'k6'`).toEqual([])
  })

  it.skipIf(skip)('does not run the task again after a statement timeout', async () => {
    let attempts = 0
    const outcome = withTaskLock(one, 'k7', async (sql) => {
      attempts++
      await sql.begin(async (tx) => {
        await tx`set local statement_timeout = 50`
        await tx`select pg_sleep(5)`
      })
    })
    await expect(outcome).rejects.toMatchObject({ code: '57014' })
    expect(attempts).toBe(1)
    expect(await db.sql`select * from task_leases where key = 'k7'`).toEqual([])
  })
})
