// A real PgBouncer (Debian's `pgbouncer` package) in front of the test
// Postgres, started on a free port for one test file and stopped after it.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { accessSync, chmodSync, constants, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import postgres from 'postgres'
import { freePort } from '../../src/db/embedded.js'

export interface PgBouncer {
  /** postgres://…@127.0.0.1:<port>/<database> through the pooler (no parameters added). */
  url(database: string): string
  /** PgBouncer's admin console: SHOW STATS and the like (simple queries only). */
  show(what: 'STATS' | 'POOLS' | 'SERVERS' | 'CLIENTS'): Promise<Record<string, unknown>[]>
  /** What it printed (for a failing test's message). */
  output(): string
  stop(): Promise<void>
}

export interface PgBouncerOptions {
  poolMode?: 'transaction' | 'session'
  /** Server connections per database/user pair (default 2, so clients really share them). */
  poolSize?: number
}

/** Where the binary is, or why there is none. */
export function findPgBouncer(): { binary: string } | { skip: string } {
  const dirs = [...(process.env.PATH ?? '').split(':'), '/usr/sbin', '/usr/local/sbin', '/usr/bin']
  for (const dir of dirs) {
    if (!dir) continue
    const candidate = path.join(dir, 'pgbouncer')
    try {
      accessSync(candidate, constants.X_OK)
      return { binary: candidate }
    } catch {
      // not here
    }
  }
  return { skip: 'pgbouncer is not installed (Debian: apt-get install -y pgbouncer; .ci/run installs it)' }
}

/**
 * Starts PgBouncer in front of `upstream` (the test server's admin URL):
 * every database name is passed through (`* = …`), logging in to the server
 * as the upstream URL's user and password; clients are not authenticated
 * (`auth_type = any`), which is fine on 127.0.0.1 in a test.
 */
export async function startPgBouncer(upstream: string, options: PgBouncerOptions = {}): Promise<PgBouncer> {
  const found = findPgBouncer()
  if ('skip' in found) throw new Error(found.skip)
  const up = new URL(upstream)
  const port = await freePort()
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cm-pgbouncer-'))
  chmodSync(dir, 0o755)
  const password = decodeURIComponent(up.password)
  const target = [
    `host=${up.hostname}`,
    `port=${up.port || '5432'}`,
    `user=${decodeURIComponent(up.username) || 'postgres'}`,
    ...(password ? [`password=${password}`] : [])
  ].join(' ')
  const lines = [
    '[databases]',
    `* = ${target}`,
    '[pgbouncer]',
    'listen_addr = 127.0.0.1',
    `listen_port = ${port}`,
    'unix_socket_dir =',
    'auth_type = any',
    `pool_mode = ${options.poolMode ?? 'transaction'}`,
    `default_pool_size = ${options.poolSize ?? 2}`,
    `min_pool_size = ${options.poolSize ?? 2}`,
    'max_client_conn = 200',
    // Hand out server sessions in turn rather than the last used first, so
    // consecutive transactions of one client really land on different
    // sessions (as they do on a busy hosted pooler).
    'server_round_robin = 1',
    // Nothing is ignored: the startup parameters postgres.js sends must be
    // ones PgBouncer tracks itself, as on a hosted pooler.
    'ignore_startup_parameters =',
    'server_login_retry = 1',
    'log_connections = 0',
    'log_disconnections = 0'
  ]
  // PgBouncer refuses to run as root; it can switch to another user itself.
  if (process.getuid?.() === 0) lines.push(`user = ${unixUserFor()}`)
  const config = path.join(dir, 'pgbouncer.ini')
  writeFileSync(config, lines.join('\n') + '\n', { mode: 0o644 })

  const child: ChildProcess = spawn(found.binary, [config], { stdio: ['ignore', 'pipe', 'pipe'] })
  let printed = ''
  child.stdout?.on('data', (d: Buffer) => (printed += d.toString()))
  child.stderr?.on('data', (d: Buffer) => (printed += d.toString()))
  let exited = false
  // Never outlive the test process, even when a hook times out before stop().
  const killOnExit = (): void => {
    if (!exited) child.kill('SIGTERM')
  }
  process.once('exit', killOnExit)
  child.on('exit', () => {
    exited = true
    process.off('exit', killOnExit)
  })

  const url = (database: string): string => {
    const u = new URL(upstream)
    u.hostname = '127.0.0.1'
    u.port = String(port)
    u.pathname = `/${database}`
    u.search = ''
    return u.toString()
  }
  const stop = async (): Promise<void> => {
    if (!exited) {
      const gone = new Promise((resolve) => child.once('exit', resolve))
      child.kill('SIGINT')
      await gone
    }
    rmSync(dir, { recursive: true, force: true })
  }
  // Ready once the admin console answers (bounded: 100 tries).
  for (let i = 0; ; i++) {
    if (exited) {
      rmSync(dir, { recursive: true, force: true })
      throw new Error(`pgbouncer exited at start: ${printed}`)
    }
    try {
      await consoleQuery(url('pgbouncer'), 'SHOW VERSION')
      break
    } catch (error) {
      if (i >= 100) {
        await stop()
        throw new Error(`pgbouncer did not answer on port ${port}: ${(error as Error).message}\n${printed}`)
      }
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
  }
  return {
    url,
    show: (what) => consoleQuery(url('pgbouncer'), `SHOW ${what}`),
    output: () => printed,
    stop
  }
}

/** The admin console speaks the simple query protocol only, and has no pg_type to fetch. */
async function consoleQuery(url: string, query: string): Promise<Record<string, unknown>[]> {
  const sql = postgres(url, { max: 1, fetch_types: false, onnotice: () => {}, connect_timeout: 2 })
  try {
    const rows = await sql.unsafe(query).simple()
    return [...rows] as Record<string, unknown>[]
  } finally {
    await sql.end({ timeout: 1 })
  }
}

/** An unprivileged user for PgBouncer to switch to when started as root. */
function unixUserFor(): string {
  for (const user of ['postgres', 'nobody']) {
    try {
      execFileSync('id', ['-u', user], { stdio: 'ignore' })
      return user
    } catch {
      // no such user
    }
  }
  throw new Error('pgbouncer cannot run as root, and there is no postgres or nobody user to switch to')
}
