// Stops a run inside one of its transactions, at a known row, without a
// timer: a row-level trigger on a table makes the chosen writes wait
// for an advisory lock this helper holds. The test then sees the run's
// backend waiting (pg_locks) and does what it wants to it — terminate it,
// let statement_timeout cancel it, restart the server — and lets go.
import postgres from 'postgres'
import type { Sql } from '../../src/db/connect.js'

/** The two-key advisory lock the trigger waits on ('cf' 1; the code uses other keys). */
const KEY = [0x6366, 1] as const

export interface Blocker {
  /**
   * Pids of the backends waiting at the trigger, once at least one waits
   * (bounded wait); pids in `except` (already terminated, maybe not yet
   * gone) do not count.
   */
  waiting(except?: readonly number[]): Promise<number[]>
  /** Lets the waiting statement (and every later one) through. */
  release(): Promise<void>
  /** Forgets the lock without a word to the server (it is gone: restarted). */
  abandon(): Promise<void>
  /** Drops the trigger; release() first if still held. */
  disarm(): Promise<void>
}

/**
 * Arms a trigger on `table`: the statement writing its `from`-th row from
 * now on (and, with `every`, every one after) waits while the blocker holds
 * the lock.
 * `sql` is the test's own connection to the run's database, `url` its URL
 * (the lock is held on a connection of its own).
 */
export async function blockWrites(
  sql: Sql,
  url: string,
  table: string,
  { from, every = false }: { from: number; every?: boolean }
): Promise<Blocker> {
  const holder = postgres(url, { max: 1, onnotice: () => {} })
  await holder`select pg_advisory_lock(${KEY[0]}, ${KEY[1]})`
  await sql`create sequence if not exists cm_fault_writes`
  await sql`select setval('cm_fault_writes', 1, false)`
  const condition = every ? `>= ${from}` : `= ${from}`
  await sql.unsafe(`
    create or replace function cm_fault_wait() returns trigger language plpgsql as $$
    begin
      if nextval('cm_fault_writes') ${condition} then
        perform pg_advisory_xact_lock(${KEY[0]}, ${KEY[1]});
      end if;
      return null;
    end $$`)
  await sql.unsafe(`
    create trigger cm_fault_wait after insert or update or delete on ${table}
    for each row execute function cm_fault_wait()`)
  let held = true
  const release = async (): Promise<void> => {
    if (!held) return
    held = false
    try {
      await holder`select pg_advisory_unlock(${KEY[0]}, ${KEY[1]})`
    } finally {
      await holder.end({ timeout: 1 })
    }
  }
  return {
    waiting: async (except = []) => {
      for (let i = 0; i < 600; i++) {
        const rows = await sql<{ pid: number }[]>`
          select pid from pg_locks
          where locktype = 'advisory' and not granted and classid = ${KEY[0]} and objid = ${KEY[1]} and objsubid = 2
            and database = (select oid from pg_database where datname = current_database())`
        const pids = rows.map((r) => r.pid).filter((pid) => !except.includes(pid))
        if (pids.length > 0) return pids
        await new Promise((r) => setTimeout(r, 50))
      }
      throw new Error(`no write to ${table} reached the blocker`)
    },
    release,
    abandon: async () => {
      held = false
      await holder.end({ timeout: 0 })
    },
    disarm: async () => {
      await release()
      await sql.unsafe(`drop trigger if exists cm_fault_wait on ${table}`)
      await sql`drop function if exists cm_fault_wait()`
      await sql`drop sequence if exists cm_fault_writes`
    }
  }
}
