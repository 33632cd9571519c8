import type { Sql } from './connect.js'

const LOCK_CLASS = 0x636e // 'cn': task locks

/**
 * Runs `fn` holding a session advisory lock named `key` on a reserved
 * connection, so two runs never execute the same task at once. Returns
 * `undefined` without running `fn` when another run holds the lock.
 */
export async function withTaskLock<T>(sql: Sql, key: string, fn: () => Promise<T>): Promise<T | undefined> {
  const reserved = await sql.reserve()
  try {
    const [{ locked }] = await reserved<{ locked: boolean }[]>`
      select pg_try_advisory_lock(${LOCK_CLASS}, hashtext(${key})) as locked`
    if (!locked) return undefined
    try {
      return await fn()
    } finally {
      await reserved`select pg_advisory_unlock(${LOCK_CLASS}, hashtext(${key}))`
    }
  } finally {
    reserved.release()
  }
}
