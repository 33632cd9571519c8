// Bad inputs through the real run() (and the bundled action, as the runner
// starts it): each fails with a message naming the input, before anything
// is written — no table, migration, row or file — and before any request
// reaches the simulated GitHub. Every run carries a real-looking token and a
// database URL with a working password; the secret scan (setup/secret-scan.ts)
// checks after each test that neither shows anywhere.
import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { InputName } from '../src/constants.js'
import { run } from '../src/main.js'
import { startSim, type Sim } from '../sim/index.js'
import { createTestDatabase, passwordLogin, type PasswordLogin, type TestDatabase } from './helpers/db.js'
import { testIO } from './helpers/io.js'
import { registerRun, secretsOf } from './helpers/secret-scan.js'

const TOKEN = `ghp_${randomBytes(18).toString('hex')}`
const root = path.resolve(import.meta.dirname, '..')
const tmp = mkdtempSync(path.join(os.tmpdir(), 'cm-bad-inputs-'))
/** A file where a folder is expected, and a folder where a file is expected. */
const AFILE = path.join(tmp, 'a-file')
const AFOLDER = path.join(tmp, 'a-folder')
writeFileSync(AFILE, 'x')
mkdirSync(AFOLDER)
/** Where the embedded Postgres would put its data: it must never be created. */
const DATA_DIR = path.join(tmp, 'embedded-data')

let db: TestDatabase
let login: PasswordLogin
let sim: Sim

beforeAll(async () => {
  db = await createTestDatabase()
  login = await passwordLogin(db)
  sim = await startSim({
    generate: { seed: 4, org: 'acme', repos: 2, items: 20, members: 3, days: 30, timeline: { over100: 0, over1000: 0 } }
  })
})
afterAll(async () => {
  await sim?.close()
  await db?.drop()
  await login?.drop()
  rmSync(tmp, { recursive: true, force: true })
})

/** Every input a sync run needs, all good: each case spoils one (or two). */
function baseInputs(): Partial<Record<InputName, string>> {
  return {
    mode: 'issues',
    'github-token': TOKEN,
    'api-url': sim.url,
    'database-url': login.url,
    'data-dir': DATA_DIR,
    org: 'acme'
  }
}

/** The database with the role's password, changed only where a case needs it (sslmode, …). */
const withParams = (params: string): string => `${login.url}${login.url.includes('?') ? '&' : '?'}${params}`

interface Case {
  /** What is wrong, for the test's name. */
  what: string
  /** The input the message must name. */
  input: InputName
  inputs: () => Partial<Record<InputName, string>>
  env?: NodeJS.ProcessEnv
  /** More the message must say. */
  message?: RegExp
  /** A file or folder that must not exist afterwards. */
  notCreated?: string
}

const CASES: Case[] = [
  { what: 'an unknown task', input: 'mode', inputs: () => ({ mode: 'bogus' }), message: /Invalid mode 'bogus'/ },
  {
    what: 'an unknown task after a good one',
    input: 'mode',
    inputs: () => ({ mode: 'migrate,issues,explode' }),
    message: /Invalid mode 'explode'/
  },
  { what: 'no mode', input: 'mode', inputs: () => ({ mode: ' ' }), message: /Input 'mode' is required/ },
  { what: 'an unparseable since', input: 'since', inputs: () => ({ since: 'yesterday' }) },
  { what: 'since on a day that does not exist', input: 'since', inputs: () => ({ since: '2024-02-30' }) },
  { what: 'until in month 13', input: 'until', inputs: () => ({ until: '2024-13-01' }) },
  {
    what: 'until before since',
    input: 'until',
    inputs: () => ({ mode: 'backfill', since: '2024-05-02', until: '2024-05-01' }),
    message: /before since/
  },
  {
    what: 'until the same instant as since (an empty range)',
    input: 'until',
    inputs: () => ({ mode: 'report', since: '2024-05-01T00:00:00Z', until: '2024-05-01T00:00:00Z' }),
    message: /same instant as since/
  },
  { what: 'since in the future', input: 'since', inputs: () => ({ since: '2999-01-01' }), message: /in the future/ },
  { what: 'shard 3/2', input: 'shard', inputs: () => ({ shard: '3/2' }) },
  { what: 'shard 0/0', input: 'shard', inputs: () => ({ shard: '0/0' }) },
  { what: 'shard not k/n', input: 'shard', inputs: () => ({ shard: 'half' }) },
  { what: 'a non-numeric budget-reserve', input: 'budget-reserve', inputs: () => ({ 'budget-reserve': 'lots' }) },
  { what: 'a negative budget-reserve', input: 'budget-reserve', inputs: () => ({ 'budget-reserve': '-5' }) },
  {
    what: 'a per-bucket budget-reserve (one number is expected)',
    input: 'budget-reserve',
    inputs: () => ({ 'budget-reserve': 'core=100,graphql=50' })
  },
  { what: 'a fractional overlap-minutes', input: 'overlap-minutes', inputs: () => ({ 'overlap-minutes': '1.5' }) },
  { what: 'a negative closed-days', input: 'closed-days', inputs: () => ({ 'closed-days': '-1' }) },
  { what: 'lookback-days 0', input: 'lookback-days', inputs: () => ({ 'lookback-days': '0' }) },
  {
    what: 'a max-rate-limit-wait that is not a number',
    input: 'max-rate-limit-wait',
    inputs: () => ({ 'max-rate-limit-wait': 'forever' })
  },
  {
    what: 'a max-rate-limit-wait over 6 hours',
    input: 'max-rate-limit-wait',
    inputs: () => ({ 'max-rate-limit-wait': '99999' })
  },
  { what: 'include-archived maybe', input: 'include-archived', inputs: () => ({ 'include-archived': 'maybe' }) },
  {
    what: 'backfill-timelines sometimes',
    input: 'backfill-timelines',
    inputs: () => ({ mode: 'backfill', since: '2025-01-01', 'backfill-timelines': 'sometimes' })
  },
  {
    what: 'an unknown timeline-api',
    input: 'timeline-api',
    inputs: () => ({ mode: 'events', 'timeline-api': 'soap' })
  },
  { what: 'repos of another owner', input: 'repos', inputs: () => ({ repos: 'api, other-org/web' }) },
  { what: 'a repos glob with a space', input: 'repos', inputs: () => ({ repos: 'api docs' }) },
  { what: 'a repos entry with no name', input: 'repos', inputs: () => ({ repos: 'acme/' }) },
  { what: 'a repos entry with a path', input: 'repos', inputs: () => ({ repos: 'acme/api/issues' }) },
  { what: 'an api-url of another scheme', input: 'api-url', inputs: () => ({ 'api-url': 'ftp://api.example.com' }) },
  { what: 'an api-url that is not a URL', input: 'api-url', inputs: () => ({ 'api-url': 'api.github.com' }) },
  {
    what: 'an api-url with the token in it',
    input: 'api-url',
    inputs: () => ({ 'api-url': `${sim.url.replace('://', `://x-access-token:${TOKEN}@`)}` }),
    message: /carries credentials/
  },
  {
    what: 'an api-url with a query string',
    input: 'api-url',
    inputs: () => ({ 'api-url': `${sim.url}/?per_page=5` }),
    message: /no query string/
  },
  {
    what: 'a database-url of another scheme',
    input: 'database-url',
    inputs: () => ({ 'database-url': login.url.replace(/^postgres(ql)?:/, 'mysql:') }),
    message: /postgres:\/\/ or postgresql:\/\/ scheme/
  },
  {
    what: 'a database-url with a bad port',
    input: 'database-url',
    inputs: () => ({ 'database-url': login.url.replace(/:(\d+)\//, ':port/') })
  },
  {
    what: "a database-url whose password has a bare '%'",
    input: 'database-url',
    inputs: () => ({ 'database-url': login.url.replace(/:([^:@/]+)@/, ':50%off$1@') }),
    message: /percent-encoding/
  },
  {
    what: 'a database-url with no host',
    input: 'database-url',
    inputs: () => ({ 'database-url': 'postgres:///metrics' }),
    message: /names no host/
  },
  {
    what: 'an unknown sslmode',
    input: 'database-url',
    inputs: () => ({ 'database-url': withParams('sslmode=sometimes') }),
    message: /Unknown sslmode 'sometimes'/
  },
  {
    what: 'an sslrootcert that does not exist',
    input: 'database-url',
    inputs: () => ({ 'database-url': withParams(`sslmode=verify-full&sslrootcert=${path.join(tmp, 'no-ca.pem')}`) }),
    message: /sslrootcert .* is not a readable file/
  },
  {
    what: 'an unknown pgbouncer',
    input: 'database-url',
    inputs: () => ({ 'database-url': withParams('pgbouncer=maybe') }),
    message: /Unknown pgbouncer 'maybe'/
  },
  {
    what: 'no database-url inside GitHub Actions',
    input: 'database-url',
    inputs: () => ({ 'database-url': '' }),
    env: { GITHUB_ACTIONS: 'true' },
    message: /Input 'database-url' is empty/
  },
  { what: 'an empty org', input: 'org', inputs: () => ({ org: '' }), message: /Input 'org' is empty/ },
  { what: 'an org with a slash', input: 'org', inputs: () => ({ org: 'acme/api' }) },
  { what: 'an org with a space', input: 'org', inputs: () => ({ org: 'acme corp' }) },
  {
    what: 'no github-token for a task that reads GitHub',
    input: 'github-token',
    inputs: () => ({ 'github-token': '' }),
    message: /Input 'github-token' is empty/
  },
  {
    what: 'two tokens pasted into github-token',
    input: 'github-token',
    inputs: () => ({ 'github-token': `${TOKEN} ${TOKEN.replace('ghp_', 'ghs_')}` }),
    message: /contains whitespace/
  },
  {
    what: 'a report-file inside a file',
    input: 'report-file',
    inputs: () => ({ mode: 'report', 'report-file': path.join(AFILE, 'out', 'report.json') }),
    message: /is a file/,
    notCreated: path.join(AFILE, 'out')
  },
  {
    what: 'a report-file that is a folder',
    input: 'report-file',
    inputs: () => ({ mode: 'report', 'report-file': AFOLDER }),
    message: /is a folder/
  },
  {
    what: 'a report-file whose Markdown would be a folder',
    input: 'report-file',
    inputs: () => {
      mkdirSync(path.join(tmp, 'r.md'), { recursive: true })
      return { mode: 'report', 'report-file': path.join(tmp, 'r.json') }
    },
    message: /r\.md is a folder/,
    notCreated: path.join(tmp, 'r.json')
  },
  {
    what: 'a report-file ending in a slash',
    input: 'report-file',
    inputs: () => ({ mode: 'report', 'report-file': `${tmp}/reports/` }),
    notCreated: path.join(tmp, 'reports')
  },
  { what: 'an unknown report format', input: 'format', inputs: () => ({ mode: 'report', format: 'pdf' }) }
]

/** Every relation, function and schema outside the system catalogs, and every table's rows. */
async function databaseState(): Promise<{ objects: string[]; rows: Record<string, string> }> {
  const objects = await db.sql<{ o: string }[]>`
    select n.nspname || '.' || c.relname || ':' || c.relkind::text as o
      from pg_class c join pg_namespace n on n.oid = c.relnamespace
     where n.nspname not in ('pg_catalog', 'information_schema') and n.nspname not like 'pg_toast%'
    union all
    select n.nspname || '.' || p.proname || '()' from pg_proc p join pg_namespace n on n.oid = p.pronamespace
     where n.nspname not in ('pg_catalog', 'information_schema')
    union all
    select 'schema ' || nspname from pg_namespace
     where nspname not in ('pg_catalog', 'information_schema', 'public') and nspname not like 'pg_%'
    order by 1`
  const tables = await db.sql<{ t: string }[]>`
    select table_name as t from information_schema.tables
     where table_schema = 'public' and table_type = 'BASE TABLE' order by 1`
  const rows: Record<string, string> = {}
  for (const { t } of tables) {
    const [r] = await db.sql<{ n: number; digest: string }[]>`
      select count(*)::int as n, md5(coalesce(string_agg(x::text, '|' order by x::text), '')) as digest
        from ${db.sql(t)} x`
    rows[t] = `${r.n} rows, ${r.digest}`
  }
  return { objects: objects.map((o) => o.o), rows }
}

async function expectRejected(c: Case): Promise<void> {
  const inputs = { ...baseInputs(), ...c.inputs() }
  const before = await databaseState()
  const requests = sim.log.entries.length
  const io = testIO(inputs, c.env ?? {})
  const report = await run(io, { clock: () => sim.world.now(), msPerSecond: 1, requestTimeoutMs: 5_000 })

  expect(report.ok).toBe(false)
  expect(report.tasks).toEqual([])
  expect(io.failure, 'the run must fail').toBeDefined()
  const name = c.input.replace(/[-]/g, '\\-')
  expect(io.failure).toMatch(new RegExp(`^(Invalid ${name}\\b|Input '${name}')`))
  if (c.message) expect(io.failure).toMatch(c.message)
  // Nothing was written: no schema, migration or row changed; nothing reached GitHub; no file made.
  expect(await databaseState()).toEqual(before)
  expect(sim.log.entries.slice(requests)).toEqual([])
  expect(report.requests.billable).toBe(0)
  expect(io.log.lines.filter((l) => l.startsWith('Database:'))).toEqual([])
  expect(existsSync(DATA_DIR), 'the embedded Postgres must not start').toBe(false)
  if (c.notCreated) expect(existsSync(c.notCreated)).toBe(false)
  // The failure is still published: outputs say nothing ran, the summary says why.
  expect(io.outputs.get('results')).toBe('{}')
  expect(io.summaries.join('\n')).toContain('**Failed:** ')
}

describe('bad inputs fail before anything is written', () => {
  it(`covers at least 20 distinct inputs and cases (${CASES.length} cases)`, () => {
    expect(CASES.length).toBeGreaterThanOrEqual(20)
    expect(new Set(CASES.map((c) => c.what)).size).toBe(CASES.length)
    expect(new Set(CASES.map((c) => c.input)).size).toBeGreaterThanOrEqual(15)
  })

  describe('on an empty database', () => {
    it('starts empty', async () => {
      expect((await databaseState()).objects).toEqual([])
    })
    it.each(CASES.map((c) => [c.what, c] as const))('%s', async (_what, c) => {
      await expectRejected(c)
      expect((await databaseState()).objects).toEqual([])
    })
  })

  describe('the same inputs, made good, do write and do reach GitHub (the checks above can see both)', () => {
    it('a good run migrates, writes rows and makes requests', async () => {
      const requests = sim.log.entries.length
      const io = testIO({ ...baseInputs(), mode: 'migrate,issues' })
      const report = await run(io, { clock: () => sim.world.now(), msPerSecond: 1 })
      expect(report.ok, io.failure).toBe(true)
      const state = await databaseState()
      expect(state.objects).toContain('public.schema_migrations:r')
      expect(state.rows.issues).not.toMatch(/^0 rows/)
      expect(sim.log.entries.length).toBeGreaterThan(requests)
      // The log names the database — redacted.
      expect(io.log.lines).toContain(`Database: ${login.url.replace(/:[^:@/]+@/, ':***@')}`)
    })
  })

  describe('on a synced database', () => {
    it.each(CASES.map((c) => [c.what, c] as const))('%s', async (_what, c) => {
      await expectRejected(c)
    })
  })
})

/** `node dist/index.js` as the runner starts it, inputs as INPUT_* variables. */
function runAction(inputs: Partial<Record<InputName, string>>): Promise<{ code: number | null; out: string }> {
  const env: Record<string, string> = { PATH: process.env.PATH ?? '', GITHUB_ACTIONS: 'true' }
  for (const [k, v] of Object.entries(inputs)) env[`INPUT_${k.toUpperCase()}`] = v ?? ''
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(root, 'dist', 'index.js')], { cwd: root, env })
    let out = ''
    child.stdout.on('data', (d: Buffer) => (out += d.toString()))
    child.stderr.on('data', (d: Buffer) => (out += d.toString()))
    child.on('error', reject)
    child.on('close', (code) => {
      registerRun({
        label: `node dist/index.js (mode ${inputs.mode})`,
        secrets: secretsOf(inputs),
        // The runner's own mask commands carry the secrets by design; it strips them.
        texts: () => ({ stdout: out.replace(/^::add-mask::.*$/gm, '') })
      })
      resolve({ code, out })
    })
  })
}

describe('the bundled action (node dist/index.js)', () => {
  it.each([
    ['shard', { shard: '3/2' }],
    ['since', { since: 'yesterday' }],
    ['budget-reserve', { 'budget-reserve': 'lots' }]
  ] as const)('a bad %s fails the step naming it, with nothing written or requested', async (input, bad) => {
    const before = await databaseState()
    const requests = sim.log.entries.length
    const { code, out } = await runAction({ ...baseInputs(), ...bad })
    expect(code).toBe(1)
    expect(out).toMatch(new RegExp(`^::error::Invalid ${input}\\b`, 'm'))
    expect(await databaseState()).toEqual(before)
    expect(sim.log.entries.length).toBe(requests)
  })
})
