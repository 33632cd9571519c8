import type { Sql, Tx } from './connect.js'
import { classifyDatabaseError } from './errors.js'

/**
 * How long a transaction whose query failed with a lost connection waits for
 * postgres.js to report the connection closed (it does so in the same tick,
 * or at the socket's `close` event right after an `error` event).
 */
const CLOSE_NOTICE_MS = 5_000

/**
 * `sql.begin(fn)` that survives the connection dying under it.
 *
 * postgres.js 3.4.9 answers a transaction whose connection closed mid-query
 * by writing ROLLBACK to that connection from a `setImmediate`, after it
 * has set the socket to null: an uncaught TypeError ("Cannot read
 * properties of null (reading 'write')") that kills the process, which no
 * try/catch can stop (porsager/postgres#1133, #1154, #1208; unfixed in
 * 3.4.9, the latest release). The server has rolled the transaction back
 * already, so that ROLLBACK is moot. `sql.begin` also rejects on its own
 * when the connection closes (it races the callback against the
 * connection's close). So when a query in `fn` fails because the
 * connection is gone, and `sql.begin` has rejected for that reason, the
 * callback is left pending instead of rejecting — postgres.js then never
 * writes the ROLLBACK — and the caller gets `sql.begin`'s rejection (a
 * connection error it can act on). If the connection turns out to be alive
 * after all, the error is rethrown and postgres.js rolls back as usual.
 */
export function beginSafely<T>(sql: Sql, fn: (tx: Tx) => Promise<T>): Promise<T>
export function beginSafely<T>(sql: Sql, mode: string, fn: (tx: Tx) => Promise<T>): Promise<T>
export function beginSafely<T>(
  sql: Sql,
  modeOrFn: string | ((tx: Tx) => Promise<T>),
  maybeFn?: (tx: Tx) => Promise<T>
): Promise<T> {
  const fn = (typeof modeOrFn === 'function' ? modeOrFn : maybeFn) as (tx: Tx) => Promise<T>
  let settled!: () => void
  const outerSettled = new Promise<'closed'>((resolve) => (settled = () => resolve('closed')))
  const body = async (tx: Tx): Promise<T> => {
    try {
      return await fn(tx)
    } catch (error) {
      if (classifyDatabaseError(error) === 'connection') {
        let timer: NodeJS.Timeout | undefined
        const noClose = new Promise<'open'>((resolve) => {
          timer = setTimeout(() => resolve('open'), CLOSE_NOTICE_MS)
          timer.unref()
        })
        const state = await Promise.race([outerSettled, noClose])
        clearTimeout(timer)
        // The connection closed and sql.begin has rejected: never settle, so no ROLLBACK is written to it.
        if (state === 'closed') return new Promise<T>(() => {})
      }
      throw error
    }
  }
  const begin = sql.begin as unknown as (...args: unknown[]) => Promise<T>
  const outer = typeof modeOrFn === 'function' ? begin(body) : begin(modeOrFn, body)
  outer.then(settled, settled)
  return outer
}
