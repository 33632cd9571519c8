import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { Inputs, Outputs } from '../src/constants.js'

// js-yaml ships no types; the one function used here is typed locally.
const yaml = createRequire(import.meta.url)('js-yaml') as { load(text: string): unknown }

const root = path.resolve(import.meta.dirname, '..')
const workflowsDir = path.join(root, '.github', 'workflows')
type Doc = Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any
const load = (file: string): Doc => yaml.load(readFileSync(file, 'utf8')) as Doc
const workflow = (name: string): Doc => load(path.join(workflowsDir, name))
const lintScript = path.join(root, '.ci', 'lint-workflows.mjs')

function lint(files: string[] = []): { status: number | null; out: string } {
  const r = spawnSync(process.execPath, [lintScript, ...files], { cwd: root, encoding: 'utf8' })
  return { status: r.status, out: `${r.stdout}${r.stderr}` }
}

describe('action.yml', () => {
  const action = load(path.join(root, 'action.yml'))

  it('declares exactly the inputs and outputs the code reads and writes', () => {
    expect(Object.keys(action.inputs).sort()).toEqual(Object.values(Inputs).sort())
    expect(Object.keys(action.outputs).sort()).toEqual(Object.values(Outputs).sort())
  })

  it('runs on node24 from the committed bundle', () => {
    expect(action.runs).toEqual({ using: 'node24', main: 'dist/index.js' })
  })
})

describe('workflow linter (.ci/lint-workflows)', () => {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'cm-wf-'))
  afterAll(() => rmSync(tmp, { recursive: true, force: true }))

  it('passes every shipped workflow and action.yml', () => {
    const r = lint()
    expect(r.out).toContain('0 problem(s)')
    expect(r.status).toBe(0)
  })

  it('catches unpinned actions, cancelled syncs, write scopes, missing App token and literal secrets', () => {
    const bad = path.join(tmp, 'bad.yml')
    writeFileSync(
      bad,
      [
        'on: push',
        'permissions: write-all',
        'concurrency:',
        '  group: sync',
        '  cancel-in-progress: true',
        'jobs:',
        '  sync:',
        '    runs-on: ubuntu-latest',
        '    steps:',
        '      - uses: actions/checkout@v4',
        '      - uses: actions/setup-node@49933ea5288caeca8642d1e84afbd3f7d6820020',
        '      - uses: ./',
        '        with:',
        '          mode: issues',
        '          github-token: ghp_abcdefghijklmnopqrstuvwxyz0123456789',
        '          database-url: ${{ env.DB }}',
        ''
      ].join('\n')
    )
    const r = lint([bad])
    expect(r.status).toBe(1)
    expect(r.out).toMatch(/\[permissions\] 'permissions: write-all'/)
    expect(r.out).toMatch(/\[pin\] 'actions\/checkout@v4' is not pinned/)
    expect(r.out).toMatch(/\[pin\] 'actions\/setup-node@4993\w+' needs a version comment/)
    expect(r.out).toMatch(/\[concurrency\] job 'sync' runs a sync: cancel-in-progress must be false/)
    expect(r.out).toMatch(/\[app-token\] job 'sync'/)
    expect(r.out).toMatch(/\[secrets\] 'github-token' must come from secrets/)
    expect(r.out).toMatch(/\[secrets\] 'database-url' must come from the secrets context/)
    expect(r.out).toMatch(/\[secrets\] looks like a GitHub token/)
  })

  it('reports actionlint findings (a typo in an expression)', () => {
    const bad = path.join(tmp, 'typo.yml')
    writeFileSync(
      bad,
      'on: push\npermissions: {}\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.nope }}\n'
    )
    const r = lint([bad])
    expect(r.status).toBe(1)
    expect(r.out).toMatch(/typo\.yml:7: \[actionlint:expression\] property "nope" is not defined/)
  })
})

describe('shipped workflows', () => {
  const actionInputs = Object.keys(load(path.join(root, 'action.yml')).inputs)

  it('every step running the action passes only inputs action.yml declares', () => {
    for (const file of readdirSync(workflowsDir).filter((f) => f.endsWith('.yml'))) {
      const doc = workflow(file)
      for (const job of Object.values<Doc>(doc.jobs ?? {})) {
        for (const step of (job.steps ?? []) as Doc[]) {
          if (step.uses !== './' && !/contributor-metrics@/.test(step.uses ?? '')) continue
          for (const key of Object.keys(step.with ?? {})) expect(actionInputs, `${file}: ${key}`).toContain(key)
        }
      }
    }
  })

  it('daily runs at 05:00 UTC and backfill is dispatched with since, until and repos', () => {
    expect(workflow('daily.yml').on.schedule).toEqual([{ cron: '0 5 * * *' }])
    const backfill = workflow('backfill.yml')
    expect(Object.keys(backfill.on.workflow_dispatch.inputs)).toEqual(
      expect.arrayContaining(['since', 'until', 'repos'])
    )
    expect(backfill.jobs.backfill['timeout-minutes']).toBeLessThan(360)
  })

  it('the reusable workflow is callable with inputs and secrets and returns the outputs', () => {
    const call = workflow('sync-reusable.yml').on.workflow_call
    expect(call.inputs.mode.required).toBe(true)
    expect(call.secrets.DATABASE_URL.required).toBe(true)
    expect(Object.keys(call.outputs)).toEqual(['results', 'incomplete', 'remaining', 'report', 'report-markdown'])
    // Every input but the job's own time-out reaches the action under the same name.
    const step = (workflow('sync-reusable.yml').jobs.sync.steps as Doc[]).find((s) => s.id === 'sync')
    for (const name of Object.keys(call.inputs).filter((n) => n !== 'timeout-minutes')) {
      expect(step?.with[name], name).toBe(
        name === 'org' ? '${{ inputs.org || github.repository_owner }}' : `\${{ inputs.${name} }}`
      )
    }
  })

  it('the README shows the reusable workflow called in a few lines', () => {
    const readme = readFileSync(path.join(root, 'README.md'), 'utf8')
    const block = /```yaml\n(# [^\n]*any repository[^]*?)```/.exec(readme)?.[1] ?? ''
    const doc = yaml.load(block) as Doc
    expect(doc.jobs.sync.uses).toMatch(/\/contributor-metrics\/\.github\/workflows\/sync-reusable\.yml@/)
    expect(doc.jobs.sync.with.mode).toBeTruthy()
    expect(block.trim().split('\n').length).toBeLessThanOrEqual(12)
  })

  it('the matrix example gives each job one shard k/n of the same n', () => {
    const job = workflow('backfill-matrix.yml').jobs.backfill
    const shards: number[] = job.strategy.matrix.shard
    expect(shards).toEqual(shards.map((_, i) => i + 1))
    const step = (job.steps as Doc[]).find((s) => s.uses === './')
    expect(step?.with.shard).toBe(`\${{ matrix.shard }}/${shards.length}`)
    expect(job.strategy['fail-fast']).toBe(false)
  })
})
