import { readFileSync } from 'node:fs'
import postgres from 'postgres'
import { checkServerIdentity, type ConnectionOptions } from 'node:tls'
import type { Log } from '../log.js'
import { redactUrl } from '../redact.js'
import { startEmbedded } from './embedded.js'
import { detectPooler, POOLER_PARAM, type PoolerInfo } from './pooler.js'

/** Where the database lives. */
export type DatabaseTarget =
  /** A Postgres server reached through a connection URL (hosted or local). */
  | { readonly kind: 'url'; readonly url: string }
  /** An embedded Postgres started by this process, kept in `dataDir`. */
  | { readonly kind: 'embedded'; readonly dataDir: string }

export type Sql = postgres.Sql
/** A transaction (inside `sql.begin`). */
export type Tx = postgres.TransactionSql
/** Anything that runs queries: the pool or a transaction. */
export type Queryable = Sql | Tx

/** An open database: the one postgres.js instance tasks share, and how to close it. */
export interface Database {
  readonly sql: Sql
  /** Where it is, with the password redacted. */
  readonly description: string
  close(): Promise<void>
}

/** libpq parameters postgres.js would otherwise send to the server as settings. */
const CLIENT_ONLY_PARAMS = ['sslmode', 'sslrootcert', 'sslcert', 'sslkey', 'channel_binding', 'sslnegotiation']

/**
 * TLS as the URL's `sslmode` says, as libpq does. Without `sslmode` it is
 * `prefer` (libpq's default): TLS when the server offers it, plaintext when
 * it does not, the certificate not checked. `require` encrypts without
 * verifying the certificate; `verify-ca` checks the chain only;
 * `verify-full` checks the chain and the host name. `sslrootcert=<file>`
 * adds a CA (e.g. RDS's bundle; with `require` it then verifies the chain,
 * as libpq does); `sslrootcert=system` means the system CAs and, without an
 * `sslmode`, `verify-full` (libpq 16+).
 */
export function tlsFromUrl(url: URL): false | 'prefer' | 'require' | ConnectionOptions {
  const rootCert = url.searchParams.get('sslrootcert')
  const mode = url.searchParams.get('sslmode') ?? (rootCert === 'system' ? 'verify-full' : 'prefer')
  const ca = rootCert && rootCert !== 'system' ? readFileSync(rootCert, 'utf8') : undefined
  switch (mode) {
    case 'disable':
      return false
    case 'allow':
    case 'prefer':
      return 'prefer'
    case 'require':
    case 'no-verify':
      // libpq: with a root certificate, require behaves like verify-ca.
      return ca ? { rejectUnauthorized: true, ca, checkServerIdentity: () => undefined } : 'require'
    case 'verify-ca':
      return { rejectUnauthorized: true, ca, checkServerIdentity: () => undefined }
    default: {
      // Check the name the URL gives. postgres.js passes no servername for an
      // IP address, and Node then checks the certificate against 'localhost'.
      const host = url.hostname.replace(/^\[(.*)\]$/, '$1')
      return { rejectUnauthorized: true, ca, checkServerIdentity: (_: string, cert) => checkServerIdentity(host, cert) }
    }
  }
}

/** Options shared by every connection this project opens. */
export function connectionOptions(): postgres.Options<Record<string, postgres.PostgresType>> {
  return {
    max: 4,
    onnotice: () => {},
    connection: { application_name: 'contributor-metrics', TimeZone: 'UTC' },
    types: {
      // `timestamp without time zone` (the seed's DateTime) holds UTC here;
      // read it as UTC whatever the process's time zone is.
      timestampUtc: {
        to: 1114,
        from: [1114],
        serialize: (x: Date | string) => (x instanceof Date ? x.toISOString() : x),
        parse: (x: string) => new Date(`${x.replace(' ', 'T')}Z`)
      }
    }
  }
}

/** How a URL is connected to: the URL postgres.js gets, and the options it is given. */
export interface UrlConnection {
  /** The URL without client-only parameters (so none is sent to the server as a setting). */
  readonly url: string
  readonly options: postgres.Options<Record<string, postgres.PostgresType>>
  readonly pooler: PoolerInfo
}

/**
 * Reads a database URL: its TLS mode, whether a transaction-mode pooler is
 * in the way (then prepared statements are off: such a pooler may run the
 * next statement on another server session, where the prepared one does not
 * exist), and the URL left once client-only parameters are stripped.
 */
export function urlConnection(raw: string): UrlConnection {
  const url = new URL(raw)
  const ssl = tlsFromUrl(url)
  const pooler = detectPooler(url)
  for (const p of CLIENT_ONLY_PARAMS) url.searchParams.delete(p)
  url.searchParams.delete(POOLER_PARAM)
  const options = { ...connectionOptions(), ssl, ...(pooler.transaction ? { prepare: false } : {}) }
  return { url: url.toString(), options, pooler }
}

/** Connects to a URL, stripping client-only parameters and applying its TLS and pooler modes. */
export function connectUrl(raw: string): Sql {
  const c = urlConnection(raw)
  return replaceable(() => postgres(c.url, c.options))
}

const replacers = new WeakMap<object, () => Promise<void>>()

/**
 * One `sql` whose postgres.js instance can be swapped for a fresh one (see
 * replaceConnections). Everything — tagged queries, `sql(rows)`, `begin`,
 * `end` — goes to the current instance.
 */
export function replaceable(create: () => Sql): Sql {
  let current = create()
  const handle = new Proxy((() => undefined) as unknown as Sql, {
    apply: (_target, thisArg, args) => Reflect.apply(current as unknown as CallableFunction, thisArg, args),
    get: (_target, prop) => Reflect.get(current, prop),
    has: (_target, prop) => Reflect.has(current, prop)
  })
  replacers.set(handle, async () => {
    const old = current
    current = create()
    // Terminate the old instance's connections now: queries still queued or
    // sent on it (an abandoned transaction callback, a renewal) fail with
    // CONNECTION_DESTROYED instead of running on a reused connection.
    await old.end({ timeout: 0 }).catch(() => {})
  })
  return handle
}

/**
 * After a lost connection, replaces every connection of `sql` (one made by
 * connectUrl or openDatabase) with new ones; returns false for any other
 * `sql`. postgres.js 3.4.9 leaves a connection that died with a query in
 * flight in a broken state — its next query can get the old backend's
 * error, hang, or throw where nothing can catch it (porsager/postgres#1215,
 * #1216) — and a transaction callback that outlived its connection can go
 * on to run statements on it once it is reused by another transaction
 * (#1155, #1216). Ending the old instance and starting a new one leaves
 * neither a way in.
 */
export async function replaceConnections(sql: Sql): Promise<boolean> {
  const replace = replacers.get(sql)
  if (!replace) return false
  await replace()
  return true
}

/** Opens the hosted database named by the settings, or starts the embedded one. */
export async function openDatabase(target: DatabaseTarget, log: Log): Promise<Database> {
  if (target.kind === 'url') {
    const description = redactUrl(target.url)
    let connection: UrlConnection
    try {
      connection = urlConnection(target.url)
    } catch (error) {
      throw new Error(`Invalid database-url '${description}': ${(error as Error).message}`)
    }
    if (connection.pooler.transaction) {
      log.info(`Database: through a transaction-mode pooler (${connection.pooler.reason}); prepared statements off.`)
    }
    const sql = replaceable(() => postgres(connection.url, connection.options))
    try {
      await sql`select 1`
    } catch (error) {
      await sql.end({ timeout: 1 }).catch(() => {})
      throw new Error(`Cannot connect to database-url '${description}': ${(error as Error).message}`)
    }
    return { sql, description, close: () => sql.end({ timeout: 5 }) }
  }
  const server = await startEmbedded(target.dataDir, log)
  const sql = replaceable(() => postgres(server.url, connectionOptions()))
  return {
    sql,
    description: `embedded Postgres in ${target.dataDir}`,
    close: async () => {
      try {
        await sql.end({ timeout: 5 })
      } finally {
        await server.stop()
      }
    }
  }
}
