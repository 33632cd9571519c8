import postgres from 'postgres'
import { getErrorMessage } from '../redact.js'

/**
 * What a failed database call means for a run:
 * - `connection`: the session is gone (terminated by an administrator or a
 *   pooler, the server restarting or crashed, the socket reset or refused).
 *   The server rolled back the open transaction; what committed stays.
 * - `conflict`: a serialization failure or deadlock; the transaction was
 *   rolled back and may be tried again.
 * - `timeout`: `statement_timeout` (or a cancel) stopped a statement; the
 *   transaction was rolled back. Trying again would likely time out again.
 * - `other`: any other database error (a constraint, a bad migration…).
 */
export type DatabaseFault = 'connection' | 'conflict' | 'timeout' | 'other'

/** SQLSTATEs of a lost session (PostgreSQL appendix A: class 08, and 57P01–57P03). */
const CONNECTION_STATES = new Set(['57P01', '57P02', '57P03'])
/** postgres.js's own codes for a connection that closed under it. */
const DRIVER_CONNECTION_CODES = new Set(['CONNECTION_CLOSED', 'CONNECT_TIMEOUT'])
/** Node's socket errors (a reset, a refused or unreachable server). */
const SOCKET_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN'
])

function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code
  return typeof code === 'string' ? code : undefined
}

/**
 * Classifies an error thrown by a database call, or returns undefined when
 * it did not come from the database (a GitHub error, a bug).
 */
export function classifyDatabaseError(error: unknown): DatabaseFault | undefined {
  const code = codeOf(error)
  if (error instanceof postgres.PostgresError) {
    if (code === undefined) return 'other'
    if (code.startsWith('08') || CONNECTION_STATES.has(code)) return 'connection'
    if (code === '40001' || code === '40P01') return 'conflict'
    if (code === '57014') return 'timeout'
    return 'other'
  }
  if (code === undefined) return undefined
  if (DRIVER_CONNECTION_CODES.has(code) || SOCKET_CODES.has(code)) return 'connection'
  // postgres.js reports a cancelled query (sql.end with a timeout) as a generic 57014.
  if (code === '57014') return 'timeout'
  return undefined
}

/** Whether running a whole task again is a safe answer to this error (see withTaskLock). */
export function isTransientDatabaseError(error: unknown): boolean {
  const kind = classifyDatabaseError(error)
  return kind === 'connection' || kind === 'conflict'
}

/** Thrown when a run fails on the database; its message names the database (password redacted). */
export class DatabaseFailure extends Error {
  readonly fault: DatabaseFault
  constructor(message: string, fault: DatabaseFault, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'DatabaseFailure'
    this.fault = fault
  }
}

/**
 * The message a run fails with when `error` came from the database at
 * `description` (a redacted URL or "embedded Postgres in …"): what happened,
 * that nothing half-written stays, and what to do. Other errors keep their
 * message. Never includes the password: `description` is redacted, and
 * postgres.js's errors carry host and port only.
 */
export function explainDatabaseError(error: unknown, description: string): string {
  const kind = error instanceof DatabaseFailure ? error.fault : classifyDatabaseError(error)
  const message = getErrorMessage(error)
  const code = error instanceof DatabaseFailure ? codeOf(error.cause) : codeOf(error)
  const tag = code && !message.includes(code) ? ` (${code})` : ''
  switch (kind) {
    case undefined:
      return message
    case 'connection':
      return (
        `Lost the connection to the database '${description}': ${message}${tag}. ` +
        'The transaction in progress was rolled back and every committed one is complete, ' +
        'so nothing is half-written; the next run resumes from the stored cursors.'
      )
    case 'conflict':
      return (
        `The database '${description}' rolled back a transaction: ${message}${tag}. ` +
        'Nothing of it was written; the next run resumes from the stored cursors.'
      )
    case 'timeout':
      return (
        `The database '${description}' cancelled a statement: ${message}${tag}. ` +
        'Its transaction was rolled back, so nothing of it was written; the next run resumes from the stored cursors. ' +
        "If the server's statement_timeout is short (some hosted providers set one per role), raise it for this role: " +
        "alter role … set statement_timeout = '5min'."
      )
    default:
      return `The database '${description}' failed: ${message}${tag}.`
  }
}
