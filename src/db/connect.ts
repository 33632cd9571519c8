import { readFileSync } from 'node:fs'
import postgres from 'postgres'
import type { ConnectionOptions } from 'node:tls'
import type { Log } from '../log.js'
import { redactUrl } from '../redact.js'
import { startEmbedded } from './embedded.js'

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
 * TLS as the URL's `sslmode` says. `require` encrypts without verifying the
 * certificate (as libpq does); `verify-ca` checks the chain only;
 * `verify-full` checks the chain and the host name. `sslrootcert=<file>` adds
 * a CA (e.g. RDS's bundle); `sslrootcert=system` means the system CAs.
 */
export function tlsFromUrl(url: URL): false | 'prefer' | 'require' | ConnectionOptions {
  const mode =
    url.searchParams.get('sslmode') ?? (url.searchParams.get('sslrootcert') === 'system' ? 'verify-full' : 'disable')
  const rootCert = url.searchParams.get('sslrootcert')
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
    default:
      return { rejectUnauthorized: true, ca }
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

/** Connects to a URL, stripping client-only parameters and applying its TLS mode. */
export function connectUrl(raw: string): Sql {
  const url = new URL(raw)
  const ssl = tlsFromUrl(url)
  for (const p of CLIENT_ONLY_PARAMS) url.searchParams.delete(p)
  return postgres(url.toString(), { ...connectionOptions(), ssl })
}

/** Opens the hosted database named by the settings, or starts the embedded one. */
export async function openDatabase(target: DatabaseTarget, log: Log): Promise<Database> {
  if (target.kind === 'url') {
    const sql = connectUrl(target.url)
    const description = redactUrl(target.url)
    try {
      await sql`select 1`
    } catch (error) {
      await sql.end({ timeout: 1 }).catch(() => {})
      throw new Error(`Cannot connect to database-url '${description}': ${(error as Error).message}`)
    }
    return { sql, description, close: () => sql.end({ timeout: 5 }) }
  }
  const server = await startEmbedded(target.dataDir, log)
  const sql = postgres(server.url, connectionOptions())
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
