/**
 * Whether a database URL goes through a transaction-mode pooler (PgBouncer
 * `pool_mode=transaction`, Supabase's Supavisor on port 6543, Neon's
 * `-pooler` hosts). Through one, each transaction may run on another server
 * session, so nothing may outlive a transaction: no session advisory locks
 * (task locks are lease rows, see task-lock.ts) and no named prepared
 * statements (postgres.js prepares every query by default, so `prepare` is
 * turned off). Everything else this project does is per transaction.
 *
 * Sources:
 * - PgBouncer's feature map (pgbouncer.org/features): transaction pooling
 *   breaks session-level advisory locks, SET/RESET, LISTEN and protocol-level
 *   prepared plans (PgBouncer 1.21+ can track them with
 *   `max_prepared_statements`, older ones and other poolers cannot).
 * - Supabase, "Disabling prepared statements": Supavisor in transaction mode
 *   (port 6543) does not support prepared statements; Prisma users add
 *   `?pgbouncer=true`. Since 2025-02-28 port 6543 is transaction mode only
 *   (github.com/orgs/supabase/discussions/32755).
 * - Neon, "enable/disable connection pooling": a pooled connection string has
 *   `-pooler` in its host name and runs PgBouncer in transaction mode.
 * - porsager/postgres#93: CONNECTION_CLOSED through PgBouncer in transaction
 *   mode until prepared statements are turned off (`prepare: false`).
 */

/** The URL parameter that says so explicitly (Prisma's spelling, which Supabase's docs give). */
export const POOLER_PARAM = 'pgbouncer'

export interface PoolerInfo {
  /** True when the connection must be treated as transaction-pooled. */
  readonly transaction: boolean
  /** Why, in words for the log. */
  readonly reason: string
}

/** Supabase's transaction-pooler port (Supavisor and its dedicated PgBouncer). */
const SUPABASE_TRANSACTION_PORT = '6543'

/**
 * Reads the pooler mode from a database URL: `pgbouncer=true|false` when
 * given (it wins), else the host and port of the known hosted poolers.
 */
export function detectPooler(url: URL): PoolerInfo {
  const explicit = url.searchParams.get(POOLER_PARAM)
  if (explicit !== null) {
    const on = parsePoolerParam(explicit)
    if (on === undefined)
      throw new Error(`Invalid ${POOLER_PARAM}='${explicit}' in database-url; expected true or false.`)
    return on
      ? { transaction: true, reason: `${POOLER_PARAM}=true in database-url` }
      : { transaction: false, reason: `${POOLER_PARAM}=false in database-url` }
  }
  const host = url.hostname.toLowerCase()
  if (url.port === SUPABASE_TRANSACTION_PORT) {
    return { transaction: true, reason: `port ${SUPABASE_TRANSACTION_PORT} (Supabase's transaction pooler)` }
  }
  const firstLabel = host.split('.')[0]
  if (firstLabel.endsWith('-pooler')) {
    return { transaction: true, reason: `a '-pooler' host (Neon's pooled endpoint)` }
  }
  return { transaction: false, reason: 'no pooler detected' }
}

/** `true`/`false` (and the usual spellings) → boolean; anything else → undefined. */
export function parsePoolerParam(raw: string): boolean | undefined {
  const v = raw.trim().toLowerCase()
  if (['true', '1', 'yes', 'on'].includes(v)) return true
  if (['false', '0', 'no', 'off'].includes(v)) return false
  return undefined
}
