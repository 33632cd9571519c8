// mode: report through run() and the command line: no GitHub token, the
// job summary, report-file (JSON and Markdown), the `report` output, and
// --format printing only the report on stdout.
import { execFile } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { afterAll, describe, expect, it } from 'vitest'
import { World } from '../sim/index.js'
import type { InputName } from '../src/constants.js'
import { readSettings } from '../src/inputs.js'
import { run } from '../src/main.js'
import type { Report } from '../src/model/report.js'
import { chartStart, markdownPath, reportPeriod } from '../src/tasks/report.js'
import { testIO } from './helpers/io.js'
import { useSimAndDatabase, simDeps, simSettings } from './helpers/sync.js'
import { runIssues } from '../src/tasks/issues.js'
import { runEvents } from '../src/tasks/events.js'
import { runMembers } from '../src/tasks/members.js'

const root = path.resolve(import.meta.dirname, '..')

function smallWorld(): World {
  const w = new World({ org: 'acme', now: '2025-05-01T00:00:00Z' })
  w.createRepo('app')
  w.createRepo('web')
  w.addMember('dev-1')
  w.advance({ days: 10 })
  w.openIssue('app', { title: 'Outsider asks', user: 'ann' })
  w.advance({ hours: 3 })
  w.comment('app', 1, { user: 'dev-1', body: 'On it' })
  w.advance({ days: 1 })
  w.openIssue('web', { title: 'Still waiting', user: 'bob' })
  w.openIssue('web', { title: 'Fix', user: 'dev-1', isPull: true })
  w.advance({ hours: 5 })
  w.review('web', 2, { user: 'ann', state: 'APPROVED' })
  w.merge('web', 2, 'dev-1')
  w.advance({ days: 5 })
  return w
}

describe('mode: report', () => {
  const env = useSimAndDatabase(smallWorld)
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cm-report-run-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  const sync = async (): Promise<void> => {
    for (const [fn, mode] of [
      [runIssues, 'issues'],
      [runEvents, 'events'],
      [runMembers, 'members']
    ] as const) {
      await fn(simDeps(env.sim, env.db.sql), simSettings(env.sim, { mode, since: '2025-01-01' }))
    }
  }
  const report = async (inputs: Partial<Record<InputName, string>>) => {
    const io = testIO({ mode: 'report', 'database-url': env.db.url, ...inputs })
    const result = await run(io, { clock: () => env.sim.world.now() })
    return { io, result }
  }

  it('needs no token, writes the summary, the JSON and Markdown files and the report output', async () => {
    await sync()
    env.sim.log.reset()
    const file = path.join(dir, 'out', 'report.json')
    const { io, result } = await report({ 'report-file': file })
    expect(io.failure).toBeUndefined()
    expect(result.ok).toBe(true)
    expect(env.sim.log.count()).toBe(0)
    const json = JSON.parse(readFileSync(file, 'utf8')) as Report
    expect(json.organization).toBe('acme')
    expect(json.period).toEqual({ since: '2025-04-17T08:00:00.000Z', until: '2025-05-17T08:00:00.000Z' })
    expect(json.previous_period).toEqual({ since: '2025-03-18T08:00:00.000Z', until: '2025-04-17T08:00:00.000Z' })
    expect(json.org.flow).toMatchObject({ opened: 3, closed: 1, merged: 1 })
    expect(json.org.time_to_first_response.issues).toMatchObject({ n: 1, p50: 3, censored: 1 })
    expect(json.org.time_to_first_response.pull_requests).toMatchObject({ n: 1, p50: 5 })
    expect(json.waiting_on_us.map((w) => `${w.repo}#${w.number}`)).toEqual(['web#1'])
    expect(readFileSync(markdownPath(file), 'utf8')).toContain('## Contributor metrics — acme')
    const summary = io.summaries[0]
    expect(summary).toMatch(
      /\| report \| repositories: 2, opened: 3, active_contributors: 3, waiting_on_us: 1 \| 0 \| 0 \|/
    )
    expect(summary).toContain('## Contributor metrics — acme')
    expect(summary).toContain('[web\\#1](https://github.com/acme/web/issues/1)')
    expect(JSON.parse(io.outputs.get('report') ?? '{}')).toMatchObject({ file, opened: 3, waiting_on_us: 1 })
    expect(JSON.parse(io.outputs.get('results') ?? '{}')).toMatchObject({ report: { repositories: 2 } })
    expect(io.printed).toEqual([])
  })

  it('prints the report in the format asked for, and filters repositories', async () => {
    await sync()
    const { io } = await report({ format: 'json', repos: 'web' })
    expect(io.printed).toHaveLength(1)
    const json = JSON.parse(io.printed[0]) as Report
    expect(json.repositories.map((r) => r.repo)).toEqual(['web'])
    expect(json.org.flow.opened).toBe(2)
    const text = await report({ format: 'text' })
    expect(text.io.printed[0]).toMatch(/^Items opened\s+3\s+0\s+\+3$/m)
  })

  it('two reports at once both run (a report takes no task lock)', async () => {
    await sync()
    const [a, b] = await Promise.all([report({}), report({})])
    for (const r of [a, b]) {
      expect(r.result.ok).toBe(true)
      expect(r.result.tasks[0].skipped).toBeUndefined()
      expect(r.result.tasks[0].counts.opened).toBe(3)
    }
  })

  it('fails on bad inputs, naming them, before reading anything', async () => {
    const bad = await report({ format: 'pdf' })
    expect(bad.io.failure).toBe("Invalid format 'pdf'. Expected one of: md, json, text.")
    const dirOnly = await report({ 'report-file': `${dir}/` })
    expect(dirOnly.io.failure).toMatch(/^Invalid report-file '.*\/'. Expected a file path/)
  })

  it('from a terminal: --format json puts only the report on stdout (logs on stderr)', async () => {
    await sync()
    const exec = promisify(execFile)
    const { stdout, stderr } = await exec(
      process.execPath,
      [
        '--import',
        'tsx',
        'src/cli.ts',
        '--mode',
        'report',
        '--format',
        'json',
        '--since',
        '2025-01-01',
        '--org',
        'acme'
      ],
      { cwd: root, env: { ...process.env, DATABASE_URL: env.db.url, GITHUB_TOKEN: '' } }
    )
    const json = JSON.parse(stdout) as Report
    expect(json.org.flow.opened).toBe(3)
    expect(stderr).toMatch(/report 2025-01-01T00:00:00.000Z/)
  })
})

describe('report period', () => {
  const settings = (inputs: Partial<Record<InputName, string>>) =>
    readSettings(
      (n) => ({ mode: 'report', 'database-url': 'postgres://x@127.0.0.1/db', ...inputs })[n] ?? '',
      {},
      new Date('2025-06-10T12:00:00Z')
    )

  it('defaults to the 30 days before now; a date-only until includes that day', () => {
    const now = new Date('2025-06-10T12:00:00Z')
    expect(reportPeriod(settings({}), now)).toEqual({ since: new Date('2025-05-11T12:00:00Z'), until: now })
    expect(reportPeriod(settings({ since: '2025-05-01', until: '2025-05-31' }), now)).toEqual({
      since: new Date('2025-05-01T00:00:00Z'),
      until: new Date('2025-06-01T00:00:00Z')
    })
    // An empty period is a bad input: readSettings refuses it before the run connects anywhere.
    expect(() => reportPeriod(settings({ since: '2025-05-01T00:00:00Z', until: '2025-05-01T00:00:00Z' }), now)).toThrow(
      /Invalid until '2025-05-01T00:00:00Z'. It is the same instant as since/
    )
  })

  it('charts the 12 calendar months ending with the period', () => {
    expect(chartStart(new Date('2025-06-01T00:00:00Z'))).toEqual(new Date('2024-06-01T00:00:00Z'))
    expect(chartStart(new Date('2025-06-10T12:00:00Z'))).toEqual(new Date('2024-07-01T00:00:00Z'))
  })

  it('needs neither a token nor an org; writes the file where asked', () => {
    const s = settings({ 'report-file': 'out/r.json', format: 'MD' })
    expect(s.githubToken).toBe('')
    expect(s.reportFile).toBe(path.resolve('out/r.json'))
    expect(s.format).toBe('md')
    expect(existsSync(path.resolve('out/r.json'))).toBe(false)
  })
})
