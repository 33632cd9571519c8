// TLS against real servers: one embedded Postgres of our own, first with
// TLS off, then restarted with TLS on (a test CA and a certificate for
// `localhost`, made with openssl). pg_stat_ssl says whether the connection
// is encrypted. Without sslmode the connection behaves as libpq's `prefer`.
import { execFileSync } from 'node:child_process'
import { chmodSync, chownSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openDatabase } from '../src/db/connect.js'
import { startEmbedded, type EmbeddedServer } from '../src/db/embedded.js'
import { MemoryLog } from '../src/log.js'
import { run } from '../src/main.js'
import { testIO } from './helpers/io.js'

const hasOpenssl = (() => {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
})()
if (!hasOpenssl) console.warn('tls.test.ts: skipped, openssl is not installed (apt-get install -y openssl)')

describe.skipIf(!hasOpenssl)('TLS', () => {
  let dir: string
  let dataDir: string
  let server: EmbeddedServer
  let port: number
  let password: string
  let caFile: string

  /** The server's URL with `host` and a query. */
  const url = (query = '', host = '127.0.0.1'): string => {
    const u = new URL(server.url)
    u.hostname = host
    return `${u.toString()}${query}`
  }
  /** Whether the connection openDatabase makes is encrypted, or the error it fails with. */
  const encrypted = async (target: string): Promise<boolean | string> => {
    let db
    try {
      db = await openDatabase({ kind: 'url', url: target }, new MemoryLog())
    } catch (error) {
      return (error as Error).message
    }
    try {
      const [row] = await db.sql<{ ssl: boolean }[]>`select ssl from pg_stat_ssl where pid = pg_backend_pid()`
      return row.ssl
    } finally {
      await db.close()
    }
  }

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'cm-tls-'))
    // As root the server runs as a `postgres` user, which must reach the folder.
    chmodSync(dir, 0o755)
    dataDir = path.join(dir, 'data')
    server = await startEmbedded(dataDir, new MemoryLog())
    port = Number(new URL(server.url).port)
    password = decodeURIComponent(new URL(server.url).password)
    caFile = path.join(dir, 'ca.crt')
  })
  afterAll(async () => {
    await server?.stop()
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  describe('a server with TLS off', () => {
    it('connects in plaintext without sslmode (prefer), and with sslmode=disable', async () => {
      expect(await encrypted(url())).toBe(false)
      expect(await encrypted(url('?sslmode=disable'))).toBe(false)
    })
    it('refuses sslmode=require with a message naming the database, not its password', async () => {
      const message = await encrypted(url('?sslmode=require'))
      expect(message).toMatch(
        new RegExp(
          `^Cannot connect to database-url 'postgres://postgres:\\*\\*\\*@127\\.0\\.0\\.1:${port}/postgres\\?sslmode=require': `
        )
      )
      expect(message).not.toContain(password)
    })
  })

  describe('a server with TLS on', () => {
    beforeAll(async () => {
      makeCertificates(dir, statSync(dataDir))
      await server.stop()
      server = await startEmbedded(dataDir, new MemoryLog(), {
        port,
        postgresFlags: [
          '-c',
          'ssl=on',
          '-c',
          `ssl_cert_file=${path.join(dir, 'server.crt')}`,
          '-c',
          `ssl_key_file=${path.join(dir, 'server.key')}`
        ]
      })
    })

    it('encrypts without sslmode (prefer), not with sslmode=disable', async () => {
      expect(await encrypted(url())).toBe(true)
      expect(await encrypted(url('?sslmode=disable'))).toBe(false)
      expect(await encrypted(url('?sslmode=require'))).toBe(true)
    })

    it('verify-full with the CA accepts the certificate of the host it names, and only that host', async () => {
      expect(await encrypted(url(`?sslmode=verify-full&sslrootcert=${caFile}`, 'localhost'))).toBe(true)
      const wrongHost = await encrypted(url(`?sslmode=verify-full&sslrootcert=${caFile}`))
      expect(wrongHost).toMatch(
        /^Cannot connect to database-url '.*': Hostname\/IP does not match certificate's altnames/
      )
      // verify-ca checks the chain only.
      expect(await encrypted(url(`?sslmode=verify-ca&sslrootcert=${caFile}`))).toBe(true)
    })

    it("refuses a certificate the system's CAs do not vouch for (sslrootcert=system, verify-full)", async () => {
      const message = await encrypted(url('?sslrootcert=system', 'localhost'))
      expect(message).toMatch(
        /^Cannot connect to database-url '.*sslrootcert=system': .*(self[- ]signed|unable to get local issuer|unable to verify)/i
      )
      expect(message).not.toContain(password)
    })

    it('a whole run works over it without sslmode in the URL', async () => {
      const io = testIO({ mode: 'migrate', 'database-url': url() })
      const report = await run(io)
      expect(report.ok, report.error).toBe(true)
      const db = await openDatabase({ kind: 'url', url: url() }, new MemoryLog())
      try {
        const [{ n }] = await db.sql<{ n: number }[]>`select count(*)::int as n from schema_migrations`
        expect(n).toBeGreaterThan(0)
      } finally {
        await db.close()
      }
    })
  })
})

/** A test CA and a certificate for DNS name `localhost` signed by it; the key owned by the server's user. */
function makeCertificates(dir: string, owner: { uid: number; gid: number }): void {
  const at = (f: string): string => path.join(dir, f)
  const openssl = (...args: string[]): void => {
    execFileSync('openssl', args, { stdio: 'ignore' })
  }
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes']
  openssl('req', '-x509', ...ec, '-keyout', at('ca.key'), '-out', at('ca.crt'), '-days', '2', '-subj', '/CN=cm test CA')
  openssl('req', ...ec, '-keyout', at('server.key'), '-out', at('server.csr'), '-subj', '/CN=localhost')
  writeFileSync(at('server.ext'), 'subjectAltName=DNS:localhost\nbasicConstraints=CA:FALSE\n')
  openssl(
    'x509',
    '-req',
    '-in',
    at('server.csr'),
    '-CA',
    at('ca.crt'),
    '-CAkey',
    at('ca.key'),
    '-CAcreateserial',
    '-out',
    at('server.crt'),
    '-days',
    '2',
    '-extfile',
    at('server.ext')
  )
  // Postgres insists that its key is the server user's own and private.
  if (process.getuid?.() === 0) {
    chownSync(at('server.key'), owner.uid, owner.gid)
    chownSync(at('server.crt'), owner.uid, owner.gid)
  }
  chmodSync(at('server.key'), 0o600)
  chmodSync(at('server.crt'), 0o644)
  chmodSync(at('ca.crt'), 0o644)
}
