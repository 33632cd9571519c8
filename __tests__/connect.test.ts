// Reading a database URL (TLS mode, pooler detection, what is stripped
// before connecting), how database errors are worded, and that a connection
// killed with a query in flight leaves nothing broken behind.
import postgres from 'postgres'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { connectUrl, replaceConnections, tlsFromUrl, urlConnection, type Sql } from '../src/db/connect.js'
import { classifyDatabaseError, explainDatabaseError, isTransientDatabaseError } from '../src/db/errors.js'
import { detectPooler } from '../src/db/pooler.js'
import { beginSafely } from '../src/db/transaction.js'
import { readSettings } from '../src/inputs.js'
import { createTestDatabase, type TestDatabase } from './helpers/db.js'

describe('pooler detection', () => {
  it.each([
    ['postgres://u:p@aws-0-eu-west-1.pooler.supabase.com:6543/postgres', true, /port 6543/],
    ['postgres://u:p@aws-0-eu-west-1.pooler.supabase.com:5432/postgres', false, /no pooler/],
    ['postgres://u:p@db.abcdefgh.supabase.co:6543/postgres', true, /port 6543/],
    ['postgres://u:p@ep-cool-darkness-123456-pooler.us-east-2.aws.neon.tech/db?sslmode=require', true, /-pooler/],
    ['postgres://u:p@ep-cool-darkness-123456.us-east-2.aws.neon.tech/db?sslmode=require', false, /no pooler/],
    ['postgres://u:p@pgbouncer.internal:6432/db?pgbouncer=true', true, /pgbouncer=true/],
    ['postgres://u:p@aws-0-eu-west-1.pooler.supabase.com:6543/postgres?pgbouncer=false', false, /pgbouncer=false/],
    ['postgres://u:p@127.0.0.1:5432/db', false, /no pooler/]
  ])('%s → transaction pooler %s', (url, transaction, reason) => {
    const found = detectPooler(new URL(url))
    expect(found.transaction).toBe(transaction)
    expect(found.reason).toMatch(reason)
  })

  it('turns prepared statements off through a pooler and strips the pgbouncer parameter', () => {
    const pooled = urlConnection('postgres://u:p@h:6432/db?pgbouncer=true&application_name=x')
    expect(pooled.options.prepare).toBe(false)
    expect(pooled.url).toBe('postgres://u:p@h:6432/db?application_name=x')
    const direct = urlConnection('postgres://u:p@h:5432/db?sslmode=require&sslrootcert=system&pgbouncer=false')
    expect(direct.options.prepare).toBeUndefined()
    expect(direct.url).toBe('postgres://u:p@h:5432/db')
  })

  it('rejects a pgbouncer value that is not a boolean before anything is connected', () => {
    const read = (url: string) => () =>
      readSettings((n) => ({ mode: 'migrate', 'database-url': url })[n as string] ?? '', {})
    expect(read('postgres://u:secret@h/db?pgbouncer=maybe')).toThrow(
      "Invalid database-url 'postgres://u:***@h/db?pgbouncer=maybe'. Unknown pgbouncer 'maybe'; expected true (a transaction-mode pooler) or false."
    )
    expect(read('postgres://u:secret@h/db?pgbouncer=true')).not.toThrow()
  })
})

describe('TLS mode from the URL (as libpq)', () => {
  const tls = (query: string) => tlsFromUrl(new URL(`postgres://u@h/db${query}`))
  it('without sslmode: prefer (TLS when offered, unverified), as libpq', () => {
    expect(tls('')).toBe('prefer')
  })
  it('disable, allow, prefer, require', () => {
    expect(tls('?sslmode=disable')).toBe(false)
    expect(tls('?sslmode=allow')).toBe('prefer')
    expect(tls('?sslmode=prefer')).toBe('prefer')
    expect(tls('?sslmode=require')).toBe('require')
  })
  it('verify-full checks chain and host; verify-ca the chain only; sslrootcert=system means verify-full', () => {
    for (const query of ['?sslmode=verify-full', '?sslrootcert=system']) {
      const full = tls(query) as { rejectUnauthorized: boolean; ca: unknown; checkServerIdentity: unknown }
      expect(full.rejectUnauthorized).toBe(true)
      expect(full.ca).toBeUndefined()
      expect(full.checkServerIdentity).toBeTypeOf('function')
    }
    const ca = tls('?sslmode=verify-ca') as { rejectUnauthorized: boolean; checkServerIdentity: () => undefined }
    expect(ca.rejectUnauthorized).toBe(true)
    expect(ca.checkServerIdentity()).toBeUndefined()
  })
})

describe('database errors', () => {
  const pgError = (code: string, message: string): Error =>
    Object.assign(Object.create(postgres.PostgresError.prototype) as Error, { code, message })
  it('are classified: lost connection, conflict, timeout, other; GitHub errors are not database errors', () => {
    expect(classifyDatabaseError(pgError('57P01', 'terminating connection due to administrator command'))).toBe(
      'connection'
    )
    expect(classifyDatabaseError(pgError('08006', 'connection failure'))).toBe('connection')
    expect(
      classifyDatabaseError(Object.assign(new Error('write CONNECTION_CLOSED'), { code: 'CONNECTION_CLOSED' }))
    ).toBe('connection')
    expect(classifyDatabaseError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }))).toBe(
      'connection'
    )
    expect(classifyDatabaseError(pgError('40P01', 'deadlock detected'))).toBe('conflict')
    expect(classifyDatabaseError(pgError('57014', 'canceling statement due to statement timeout'))).toBe('timeout')
    expect(classifyDatabaseError(pgError('23505', 'duplicate key'))).toBe('other')
    expect(classifyDatabaseError(Object.assign(new Error('Not Found'), { status: 404 }))).toBeUndefined()
    // A task is run again after a lost connection or a conflict, never after a timeout.
    expect(isTransientDatabaseError(pgError('40001', 'could not serialize access'))).toBe(true)
    expect(isTransientDatabaseError(pgError('57014', 'canceling statement due to statement timeout'))).toBe(false)
  })

  it('name the database (redacted) and say nothing was half-written', () => {
    const where = 'postgres://u:***@db.example.com:5432/metrics'
    expect(explainDatabaseError(pgError('57014', 'canceling statement due to statement timeout'), where)).toMatch(
      /^The database 'postgres:\/\/u:\*\*\*@db\.example\.com:5432\/metrics' cancelled a statement: canceling statement due to statement timeout \(57014\)\. Its transaction was rolled back, so nothing of it was written/
    )
    expect(explainDatabaseError(new Error('Invalid mode'), where)).toBe('Invalid mode')
  })
})

describe('a connection killed with a query in flight', () => {
  let db: TestDatabase
  let sql: Sql
  let killer: Sql
  beforeAll(async () => {
    db = await createTestDatabase('cm_conn')
    sql = connectUrl(db.url)
    killer = postgres(db.url, { max: 1, onnotice: () => {} })
  })
  afterAll(async () => {
    await sql.end({ timeout: 1 })
    await killer.end()
    await db.drop()
  })

  it('fails its transaction with a connection error, and fresh connections then answer every query', async () => {
    for (let round = 1; round <= 3; round++) {
      let pid = 0
      const tx = beginSafely(sql, async (t) => {
        const [row] = await t<{ pid: number }[]>`select pg_backend_pid() as pid`
        pid = row.pid
        await t`select pg_sleep(30)`
      })
      for (let i = 0; i < 200 && !pid; i++) await new Promise((r) => setTimeout(r, 10))
      await killer`select pg_terminate_backend(${pid})`
      const error = await tx.then(
        () => undefined,
        (e: unknown) => e
      )
      expect(classifyDatabaseError(error)).toBe('connection')
      expect(await replaceConnections(sql)).toBe(true)
      // More queries at once than the pool has connections, then a transaction.
      const answers = await Promise.all(
        Array.from({ length: 9 }, (_, i) => sql<{ n: number }[]>`select ${i}::int as n`)
      )
      expect(answers.map((r) => r[0].n)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8])
      expect(await sql.begin((t) => t<{ x: number }[]>`select 42 as x`)).toEqual([{ x: 42 }])
    }
  })
})
