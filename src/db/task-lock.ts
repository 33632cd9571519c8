import { randomUUID } from 'node:crypto'
import os from 'node:os'
import type { Log } from '../log.js'
import { getErrorMessage } from '../redact.js'
import { replaceConnections, type Sql, type Tx } from './connect.js'
import { classifyDatabaseError, DatabaseFailure, isTransientDatabaseError } from './errors.js'
import { beginSafely } from './transaction.js'

/**
 * Task locks are lease rows in `task_leases` (one per task key), not session
 * advisory locks: a transaction-mode pooler (PgBouncer, Supavisor on 6543,
 * Neon's -pooler hosts) hands each transaction to whichever server session is
 * free, so a session lock is taken on one session, leaks there, and is "held"
 * again by any client that lands on it. A lease needs nothing but single
 * transactions, so it works the same directly and through any pooler.
 *
 * - Taking it: in one transaction, delete the key's row if it has expired,
 *   then insert ours (`on conflict do nothing`). Whoever inserts holds it;
 *   everyone else sees the holder and skips the task.
 * - While the task runs, a timer renews `expires_at` every quarter of the
 *   lease's life; a run that dies stops renewing, and its lease expires.
 * - Fencing: every transaction the task opens (`sql.begin`) first locks the
 *   lease row `for key share` and checks that it is still ours. A renewal (an
 *   update of a non-key column) does not conflict with that lock; a takeover
 *   (a delete) waits for the task's transaction to end. So a run whose lease
 *   was taken over — it stalled longer than the lease, e.g. cut off from the
 *   database — cannot commit another transaction: it fails instead.
 * - Giving it back: delete our row. If that fails, the lease just expires.
 *
 * Times come from the database's clock (`now()`), never from the runners'.
 */

/** How long a lease lasts without renewal. A crashed run blocks its task this long at most. */
export const DEFAULT_LEASE_SECONDS = 120
/** Attempts after the first when the connection is lost mid-task. */
export const DEFAULT_TASK_RETRIES = 2

export interface TaskLockOptions {
  log?: Log
  /** Lease length in seconds (default 120). */
  leaseSeconds?: number
  /** Milliseconds between renewals (default a quarter of the lease). */
  renewEveryMs?: number
  /** Who holds the lease, as shown to a run that finds it taken (default: GitHub run, host and pid). */
  holder?: string
  /** How many times a task is run again after losing the database connection (default 2). */
  retries?: number
  /** How long to wait for the database to answer again before a retry, in milliseconds (default 60 s). */
  reconnectWaitMs?: number
}

/** Who another run is waiting on. */
export interface LeaseHolder {
  holder: string
  acquiredAt: Date
  expiresAt: Date
}

/** The lease was taken over by another run (ours expired): this run must stop writing. */
export class LeaseLostError extends Error {
  constructor(key: string) {
    super(
      `Lost the lease on task '${key}': it expired (this run could not renew it in time) and another run took it ` +
        'over, so this run stops here. Nothing of the transaction it was about to write was written.'
    )
    this.name = 'LeaseLostError'
  }
}

/**
 * Runs `fn` while holding the lease named `key`, so two runs never execute
 * the same task at once. `fn` gets a `sql` whose transactions are fenced by
 * the lease; it should use that one. Returns `undefined` without running
 * `fn` when another run holds the lease.
 *
 * When `fn` fails because the database connection was lost (terminated,
 * server restarting, a reset socket) or a transaction was rolled back by a
 * serialization failure or deadlock, the lease is kept, the database is
 * waited for, and the whole task runs again (at most `retries` times). That
 * is safe where retrying one transaction callback is not: tasks keep
 * counters and state in JavaScript around their transactions, every task is
 * idempotent, and each commits its rows together with the cursor that covers
 * them, so a task run again after a partial attempt ends as one clean run
 * (the same as a run killed and re-run). The counts reported are the last
 * attempt's. A statement timeout is not retried: it fails the run.
 */
export async function withTaskLock<T>(
  sql: Sql,
  key: string,
  fn: (sql: Sql) => Promise<T>,
  options: TaskLockOptions = {}
): Promise<T | undefined> {
  const log = options.log
  const leaseSeconds = options.leaseSeconds ?? DEFAULT_LEASE_SECONDS
  const retries = options.retries ?? DEFAULT_TASK_RETRIES
  const owner = randomUUID()
  const holder = options.holder ?? defaultHolder()

  const taken = await whenConnected(sql, log, key, options, () => acquireLease(sql, key, owner, holder, leaseSeconds))
  if (taken !== true) {
    log?.info(
      `Task '${key}' is leased to ${taken.holder} since ${taken.acquiredAt.toISOString()}, ` +
        `until ${taken.expiresAt.toISOString()} unless renewed.`
    )
    return undefined
  }

  const renewal = startRenewal(sql, key, owner, leaseSeconds, options.renewEveryMs ?? (leaseSeconds * 1000) / 4, log)
  try {
    const fenced = fence(sql, key, owner)
    for (let attempt = 1; ; attempt++) {
      try {
        return await fn(fenced)
      } catch (error) {
        // Connections that saw a loss are not reused, whether or not the task runs again.
        if (classifyDatabaseError(error) === 'connection') await replaceConnections(sql)
        if (error instanceof LeaseLostError || !isTransientDatabaseError(error) || attempt > retries) throw error
        log?.warning(
          `Task '${key}': ${getErrorMessage(error)}. The transaction in progress was rolled back; ` +
            `running the task again from its stored cursors (attempt ${attempt + 1} of ${retries + 1}).`
        )
        await recover(sql, options, error)
      }
    }
  } finally {
    await renewal.stop()
    await releaseLease(sql, key, owner).catch((error: unknown) => {
      log?.warning(
        `Could not release the lease on '${key}' (${getErrorMessage(error)}); it expires within ${leaseSeconds} s.`
      )
    })
  }
}

async function acquireLease(
  sql: Sql,
  key: string,
  owner: string,
  holder: string,
  leaseSeconds: number
): Promise<true | LeaseHolder> {
  return beginSafely(sql, async (tx) => {
    // A crashed run's lease: gone once expired. (Waits for a transaction of
    // its holder that is still open, then looks again.)
    await tx`delete from task_leases where key = ${key} and expires_at < now()`
    const inserted = await tx`
      insert into task_leases (key, owner, holder, acquired_at, expires_at)
      values (${key}, ${owner}, ${holder}, now(), now() + make_interval(secs => ${leaseSeconds}))
      on conflict (key) do nothing
      returning key`
    if (inserted.length > 0) return true as const
    const [row] = await tx<{ holder: string; acquired_at: Date; expires_at: Date }[]>`
      select holder, acquired_at, expires_at from task_leases where key = ${key}`
    return row
      ? { holder: row.holder, acquiredAt: row.acquired_at, expiresAt: row.expires_at }
      : { holder: 'another run', acquiredAt: new Date(), expiresAt: new Date() }
  })
}

async function releaseLease(sql: Sql, key: string, owner: string): Promise<void> {
  await sql`delete from task_leases where key = ${key} and owner = ${owner}`
}

/** Locks the lease row for the rest of `tx` and checks it is still ours. */
async function assertLease(tx: Tx, key: string, owner: string): Promise<void> {
  const rows = await tx`select 1 from task_leases where key = ${key} and owner = ${owner} for key share`
  if (rows.length === 0) throw new LeaseLostError(key)
}

/** `sql` whose `begin` checks the lease first (and survives a lost connection, see beginSafely); the rest is `sql`. */
function fence(sql: Sql, key: string, owner: string): Sql {
  const begin = (...args: unknown[]): Promise<unknown> => {
    const fn = args[args.length - 1] as (tx: Tx) => unknown
    const body = async (tx: Tx): Promise<unknown> => {
      await assertLease(tx, key, owner)
      return fn(tx)
    }
    return args.length > 1 ? beginSafely(sql, args[0] as string, body) : beginSafely(sql, body)
  }
  return new Proxy(sql, {
    get: (target, prop, receiver) => (prop === 'begin' ? begin : Reflect.get(target, prop, receiver))
  })
}

interface Renewal {
  stop(): Promise<void>
}

/** Renews the lease on a timer until stopped; failures are logged and retried at the next tick. */
function startRenewal(sql: Sql, key: string, owner: string, leaseSeconds: number, everyMs: number, log?: Log): Renewal {
  let running: Promise<void> | undefined
  let lost = false
  const renew = async (): Promise<void> => {
    try {
      const rows = await sql`
        update task_leases set expires_at = now() + make_interval(secs => ${leaseSeconds})
        where key = ${key} and owner = ${owner}
        returning key`
      if (rows.length === 0 && !lost) {
        lost = true
        log?.warning(`The lease on '${key}' was taken over by another run; this run's next transaction will fail.`)
      }
    } catch (error) {
      log?.debug(`Renewing the lease on '${key}' failed (${getErrorMessage(error)}); trying again at the next tick.`)
    }
  }
  const timer = setInterval(() => {
    if (!running) running = renew().finally(() => (running = undefined))
  }, everyMs)
  timer.unref()
  return {
    stop: async () => {
      clearInterval(timer)
      await running
    }
  }
}

/**
 * Runs `attempt`; when the database is unreachable (restarting), waits for
 * it as waitForDatabase does and tries once more.
 */
async function whenConnected<T>(
  sql: Sql,
  log: Log | undefined,
  key: string,
  options: TaskLockOptions,
  attempt: () => Promise<T>
): Promise<T> {
  try {
    return await attempt()
  } catch (error) {
    if (classifyDatabaseError(error) === 'connection') await replaceConnections(sql)
    if (!isTransientDatabaseError(error)) throw error
    log?.warning(`Task '${key}': ${getErrorMessage(error)} while taking its lease; waiting for the database.`)
    await recover(sql, options, error)
    return attempt()
  }
}

/** After a lost connection (its connections already replaced) or a conflict: wait for the database to answer. */
async function recover(sql: Sql, options: TaskLockOptions, error: unknown): Promise<void> {
  await waitForDatabase(sql, options.reconnectWaitMs ?? 60_000, error)
}

/**
 * Waits until the database answers `select 1` again (a restart, a failover),
 * probing with a growing pause, for at most `maxMs`. Throws `cause` (as a
 * DatabaseFailure) when it does not come back.
 */
export async function waitForDatabase(sql: Sql, maxMs: number, cause: unknown): Promise<void> {
  const deadline = Date.now() + maxMs
  for (let pause = 100; ; pause = Math.min(pause * 2, 5_000)) {
    try {
      await sql`select 1`
      return
    } catch (error) {
      if (!isTransientDatabaseError(error) || Date.now() + pause > deadline) {
        throw new DatabaseFailure(
          `${getErrorMessage(cause)}; the database did not answer again within ${Math.round(maxMs / 1000)} s ` +
            `(last: ${getErrorMessage(error)})`,
          'connection',
          { cause }
        )
      }
    }
    await new Promise((resolve) => setTimeout(resolve, pause))
  }
}

function defaultHolder(): string {
  const env = process.env
  const run = env.GITHUB_RUN_ID
    ? `GitHub run ${env.GITHUB_RUN_ID}${env.GITHUB_RUN_ATTEMPT ? `.${env.GITHUB_RUN_ATTEMPT}` : ''}` +
      `${env.GITHUB_JOB ? ` job ${env.GITHUB_JOB}` : ''} on `
    : ''
  return `${run}${os.hostname()} pid ${process.pid}`
}
