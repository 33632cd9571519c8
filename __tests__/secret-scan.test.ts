// No token or database password in anything a run shows, on success and on
// every kind of failure: the scan itself (it finds a planted secret in each
// place it searches), then real runs with a `ghp_` token and a database
// password full of URL-special characters — a whole sync and report, a
// token GitHub refuses (401), a GitHub 500 whose body echoes the token, an
// unreachable database, a database that does not exist, and database URLs
// mangled so that a naive redaction would leave the password — through run()
// and through the command line (the terminal IO masks nothing itself).
import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { InputName } from '../src/constants.js'
import { run } from '../src/main.js'
import { redactUrl } from '../src/redact.js'
import { startSim, type Sim } from '../sim/index.js'
import { createTestDatabase, passwordLogin, type PasswordLogin, type TestDatabase } from './helpers/db.js'
import { ALL_TASKS, SINCE, SMALL_ORG } from './helpers/full-run.js'
import { testIO, type TestIO } from './helpers/io.js'
import {
  drainStreams,
  findLeaks,
  passwordsIn,
  registerRun,
  scanRegistered,
  secretsOf,
  takeRuns
} from './helpers/secret-scan.js'

/** A password a naive redaction (up to the first `@` or `/`) would cut in two. */
const PASSWORD = `p@ss/w:rd?#%&${randomBytes(6).toString('hex')}`
const root = path.resolve(import.meta.dirname, '..')
const tmp = mkdtempSync(path.join(os.tmpdir(), 'cm-secrets-'))

let db: TestDatabase
let login: PasswordLogin
let sim: Sim
let token: string

beforeAll(async () => {
  db = await createTestDatabase()
  login = await passwordLogin(db, PASSWORD)
  sim = await startSim({ generate: SMALL_ORG })
  token = sim.mintToken('pat')
})
afterAll(async () => {
  await sim?.close()
  await db?.drop()
  await login?.drop()
  rmSync(tmp, { recursive: true, force: true })
})

const options = () => ({ clock: () => sim.world.now(), msPerSecond: 1, requestTimeoutMs: 5_000 })

/** Everything a run showed, by place. */
function shown(io: TestIO): Record<string, string> {
  return {
    log: io.log.lines.join('\n'),
    failure: io.failure ?? '',
    summary: io.summaries.join('\n'),
    outputs: [...io.outputs.values()].join('\n'),
    printed: io.printed.join('\n')
  }
}

/** The run's own secrets are the token and the password: the scan knows both, and none shows. */
function expectClean(io: TestIO, inputs: Partial<Record<InputName, string>>, secrets: string[]): void {
  const known = secretsOf(inputs)
  for (const s of secrets) expect(known, 'the scan must search for every secret the run was given').toContain(s)
  expect(findLeaks(known, shown(io))).toEqual([])
}

describe('the scan finds a planted secret wherever it looks', () => {
  it('in a log line, the failure, a summary, an output, printed text and a report file', () => {
    const secret = `ghp_${'A'.repeat(36)}`
    for (const place of ['log', 'failure', 'summary', 'output', 'printed'] as const) {
      const io = testIO({ mode: 'issues', 'github-token': secret })
      if (place === 'log') io.log.info(`calling with ${secret}`)
      if (place === 'failure') io.setFailed(`bad: ${secret}`)
      if (place === 'summary') void io.writeSummary(`| ${secret} |`)
      if (place === 'output') io.setOutput('results', secret)
      if (place === 'printed') io.print?.(secret)
      expect(() => scanRegistered(), place).toThrow(/Secret scan: a token or password was shown/)
    }
    const file = path.join(tmp, 'planted.json')
    testIO({ mode: 'report', 'database-url': 'postgres://u:hunter22@h/db', 'report-file': file })
    writeFileSync(file, '{"x":"hunter22"}')
    expect(() => scanRegistered()).toThrow(/in file planted\.json/)
    rmSync(file)
  })

  it('in what the process writes to stdout, stderr and the console', () => {
    const secret = `ghs_${'B'.repeat(36)}`
    testIO({ mode: 'issues', 'github-token': secret })
    process.stderr.write(`oops ${secret}\n`)
    const streams = drainStreams()
    expect(streams.stderr).toContain(secret)
    expect(() => scanRegistered(streams)).toThrow(/process output: secret #1 \(40 chars\) in stderr/)
  })

  it('names where a secret was seen, never the secret', () => {
    const secret = 'correct-horse-battery'
    testIO({ mode: 'migrate', 'database-url': `postgres://u:${secret}@h/db` }).log.info(secret)
    try {
      scanRegistered()
      expect.unreachable()
    } catch (error) {
      expect((error as Error).message).toMatch(/in log/)
      expect((error as Error).message).not.toContain(secret)
    }
  })

  it('knows a password however the URL is mangled', () => {
    expect(passwordsIn('postgres://u:pa@ss@h/db')).toContain('pa@ss')
    expect(passwordsIn('postgres://u:pa/ss@h/db')).toContain('pa/ss')
    expect(passwordsIn('postgres//u:secret@h/db')).toContain('secret')
    expect(passwordsIn('postgres://h/db?password=xyzzy1')).toContain('xyzzy1')
    expect(passwordsIn('postgres://postgres@127.0.0.1:5432/postgres')).toEqual([])
    expect(takeRuns()).toEqual([])
  })
})

describe('redactUrl hides the whole password however the URL is written', () => {
  it.each([
    ['postgres://u:hunter22@h/db', 'postgres://u:***@h/db'],
    ['postgres://u:hun@ter22@h/db', 'postgres://u:***@h/db'],
    ['postgres://u:hun/ter22@h/db', 'postgres://u:***@h/db'],
    ['postgres://:hunter22@h/db', 'postgres://:***@h/db'],
    ['postgres//u:hunter22@h/db', '***@h/db'],
    ['u:hunter22@h', '***@h'],
    ['postgres://h/db?sslmode=require&password=hunter22', 'postgres://h/db?sslmode=require&password=***'],
    ['postgres://h/db?sslpassword=hunter22', 'postgres://h/db?sslpassword=***'],
    ['postgres://u@h/db', 'postgres://u@h/db']
  ])('%s → %s', (raw, redacted) => {
    expect(redactUrl(raw)).toBe(redacted)
  })
})

describe('real runs show neither the token nor the password', () => {
  it('a whole sync and report through a password-protected URL', async () => {
    const file = path.join(tmp, 'out', 'report.json')
    const inputs = {
      mode: `${ALL_TASKS},report`,
      'github-token': token,
      'api-url': sim.url,
      'database-url': login.url,
      org: sim.world.org,
      since: SINCE,
      'report-file': file,
      format: 'md',
      'max-rate-limit-wait': '2'
    }
    const io = testIO(inputs)
    const report = await run(io, options())
    expect(report.ok, io.failure).toBe(true)
    expect(io.log.lines.some((l) => l.startsWith('Database: ') && l.includes(':***@'))).toBe(true)
    expect(io.secrets).toEqual(expect.arrayContaining([token, PASSWORD]))
    expectClean(io, inputs, [token, PASSWORD])
    expect(findLeaks([token, PASSWORD], { json: readFileSync(file, 'utf8') })).toEqual([])
  })

  it('a token GitHub refuses (401)', async () => {
    const strict = await startSim({ generate: SMALL_ORG, tokens: { [`ghp_${'k'.repeat(36)}`]: { kind: 'pat' } } })
    try {
      const refused = `ghp_${randomBytes(18).toString('hex')}`
      const inputs = {
        mode: 'migrate,issues',
        'github-token': refused,
        'api-url': strict.url,
        'database-url': login.url,
        org: 'acme'
      }
      const io = testIO(inputs)
      const report = await run(io, options())
      expect(report.ok).toBe(false)
      expect(io.failure).toMatch(/Bad credentials|401/)
      expect(strict.log.count({ status: 401 })).toBeGreaterThan(0)
      expectClean(io, inputs, [refused, PASSWORD])
    } finally {
      await strict.close()
    }
  })

  it('a GitHub 500 whose body quotes the Authorization header', async () => {
    sim.faults.failRate(1, 7, [{ status: 500, body: 'echo-auth' }])
    try {
      const inputs = {
        mode: 'migrate,issues',
        'github-token': token,
        'api-url': sim.url,
        'database-url': login.url,
        org: sim.world.org,
        'max-rate-limit-wait': '2'
      }
      const io = testIO(inputs)
      const report = await run(io, options())
      expect(report.ok).toBe(false)
      // The body did carry the token: what the run shows must not.
      expect(sim.log.entries.some((e) => e.fault === 'status:500')).toBe(true)
      expect(io.failure).toMatch(/500|Server Error/)
      // The message keeps what GitHub said, with the token hidden.
      expect(io.failure).toMatch(/Authorization: (token|bearer) \*\*\*/i)
      expectClean(io, inputs, [token, PASSWORD])
    } finally {
      sim.faults.clear()
    }
  })

  it.each([
    ['an unreachable database', () => login.url.replace(/:(\d+)\//, ':1/'), /Cannot connect to database-url/],
    [
      'a database that does not exist',
      () => login.url.replace(/\/[^/?]+(\?|$)/, '/cm_no_such_database$1'),
      /does not exist|Cannot connect/
    ],
    [
      'a password with a raw @ (unencoded)',
      () => `postgres://${login.role}:${PASSWORD}@127.0.0.1:1/db`,
      /database-url/
    ],
    ['a typo in the scheme', () => `postgres//${login.role}:${PASSWORD}@127.0.0.1/db`, /Invalid database-url/],
    [
      'a password as a query parameter, and a bad sslmode',
      () => `postgres://127.0.0.1:1/db?password=${encodeURIComponent(PASSWORD)}&sslmode=bogus`,
      /Unknown sslmode/
    ]
  ])('%s', async (_what, url, message) => {
    const inputs = { mode: 'migrate', 'database-url': url() }
    const io = testIO(inputs)
    const report = await run(io, options())
    expect(report.ok).toBe(false)
    expect(io.failure).toMatch(message)
    expect(io.failure).not.toContain(PASSWORD)
    expect(io.failure).not.toContain(encodeURIComponent(PASSWORD))
    expectClean(io, inputs, [PASSWORD])
  })
})

/** The command line (tsx src/cli.ts): the token and URL from the environment, as a terminal user sets them. */
function cli(args: string[], env: Record<string, string>): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'src', 'cli.ts'), ...args], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', ...env }
    })
    let out = ''
    child.stdout.on('data', (d: Buffer) => (out += d.toString()))
    child.stderr.on('data', (d: Buffer) => (out += d.toString()))
    child.on('error', reject)
    child.on('close', (code) => {
      registerRun({
        label: `cli ${args.join(' ')}`,
        secrets: secretsOf({}, env),
        texts: () => ({ 'stdout+stderr': out })
      })
      resolve({ code, out })
    })
  })
}

describe('the command line masks nothing itself, and shows no secret either', () => {
  it('a sync that succeeds, and one whose GitHub answers 500 quoting the token', async () => {
    const env = { GITHUB_TOKEN: token, DATABASE_URL: login.url }
    const ok = await cli(['--mode', 'migrate,issues', '--org', sim.world.org, '--api-url', sim.url], env)
    expect(ok.code, ok.out).toBe(0)
    sim.faults.failRate(1, 9, [{ status: 500, body: 'echo-auth' }])
    try {
      const failed = await cli(
        ['--mode', 'issues', '--org', sim.world.org, '--api-url', sim.url, '--max-rate-limit-wait', '1'],
        env
      )
      expect(failed.code).toBe(1)
      expect(failed.out).toMatch(/error: .*Authorization: (token|bearer) \*\*\*/i)
      expect(findLeaks([token, PASSWORD], { out: ok.out + failed.out })).toEqual([])
    } finally {
      sim.faults.clear()
    }
  })

  it('an unreachable database named with its password', async () => {
    const env = { DATABASE_URL: login.url.replace(/:(\d+)\//, ':1/') }
    const r = await cli(['--mode', 'migrate'], env)
    expect(r.code).toBe(1)
    expect(r.out).toMatch(/Cannot connect to database-url '.*:\*\*\*@127\.0\.0\.1:1\//)
    expect(findLeaks([PASSWORD, encodeURIComponent(PASSWORD)], { out: r.out })).toEqual([])
  })
})
