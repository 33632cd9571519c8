/**
 * `npm run bench`: what a day of the shipped schedules costs, on the org
 * shape of DESIGN.md (16 repositories, 4 busy, ~15 changed items an hour),
 * in billable units — core and search requests plus GraphQL points — for
 * both kinds of token: a new token every job (what Actions gives: a new
 * GITHUB_TOKEN or App installation token, so no stored ETag ever matches)
 * and one fixed PAT. Against the seed's ~530 search requests per repository
 * per day, and the lower bound of a first sync. Every job is a run() of the
 * action with its own token, as a runner's. Counts come from the simulated
 * GitHub's log, so they are exact; timings are ratios measured in this run.
 *
 * `BENCH_SKIP_SCALE=1` skips the report on the benchmark-size org.
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import postgres from 'postgres'
import type { InputName } from '../src/constants.js'
import { startEmbedded } from '../src/db/embedded.js'
import { createOctokit } from '../src/github/client.js'
import { RequestMeter } from '../src/github/meter.js'
import { readSettings } from '../src/inputs.js'
import type { RunnerIO } from '../src/io.js'
import { MemoryLog } from '../src/log.js'
import { run } from '../src/main.js'
import type { Deps } from '../src/tasks/types.js'
import { generateWorld, startSim, type Sim } from '../sim/index.js'
import { mulberry32 } from '../sim/prng.js'
import { benchReportAtScale } from './report-bench.js'

const REPOS = 16
const BUSY = 4
const CHANGES_PER_HOUR = 15
const SEED_REQUESTS_PER_REPO_DAY = 530
/** Search index lag the simulator applies (no source gives it; a minute is mild). */
const SEARCH_LAG_MS = 60_000

/** The shipped workflows' modes (.github/workflows). */
const WORKFLOWS = {
  'every 10 min': 'issues,events,transfers',
  'every 30 min': 'issues,pulls,unmerged,members,transfers',
  daily: 'daily,transfers'
} as const
type Workflow = keyof typeof WORKFLOWS

interface Spend {
  core: number
  search: number
  points: number
  notModified: number
}
const zero = (): Spend => ({ core: 0, search: 0, points: 0, notModified: 0 })
const units = (s: Spend): number => s.core + s.search + s.points
const SPEND_KEYS = ['core', 'search', 'points', 'notModified'] as const

interface DayResult {
  routes: Map<string, number>
  total: Spend
  byWorkflow: Record<Workflow, Spend & { runs: number; maxUnits: number }>
  /** The costliest 10- or 30-minute run after the day's first hour (which reads the previous day's tail). */
  maxUnitsAfterFirstHour: number
  /** What the 10- and 30-minute runs of the first hour spent. */
  firstHour: Spend
  changes: number
  /**
   * The least any design could spend: every run must at least ask whether
   * anything changed, which with a new token costs a unit (no conditional
   * request can be free); with a PAT a run can ask for free, but reading a
   * change costs at least one unit (its item and timeline in one query).
   */
  lowerBound: number
  ms: number
}

async function main(): Promise<void> {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'cm-bench-'))
  chmodSync(tmp, 0o755)
  const server = process.env.DATABASE_URL ? undefined : await startEmbedded(path.join(tmp, 'pg'), new MemoryLog())
  const adminUrl = process.env.DATABASE_URL ?? server!.url
  try {
    const results: Record<string, Awaited<ReturnType<typeof simulate>>> = {}
    for (const kind of ['new token per job', 'one fixed PAT'] as const) {
      results[kind] = await simulate(adminUrl, kind === 'one fixed PAT' ? 'fixed' : 'fresh')
    }
    const seedDay = REPOS * SEED_REQUESTS_PER_REPO_DAY
    console.log(
      `contributor-metrics benchmark — ${REPOS} repositories (${BUSY} busy), ${results['new token per job'].items} issues and PRs`
    )
    console.log(
      `schedules: ${Object.entries(WORKFLOWS)
        .map(([w, m]) => `${w}: ${m}`)
        .join('; ')}`
    )
    console.log(
      `units = billable core + search requests + GraphQL points; seed: ~${seedDay} a day (530 per repository)`
    )
    console.log(
      'lower bound of a day: one unit per run with a new token per job (each must ask what changed), one per run with a change to read with a PAT'
    )
    console.log('')
    for (const [kind, r] of Object.entries(results)) {
      const line = (label: string, s: Spend): string =>
        `${label}: ${units(s)} units (core ${s.core}, search ${s.search}, GraphQL points ${s.points}; ${s.notModified} answered 304)`
      console.log(`== ${kind}`)
      console.log(
        `${line('first sync (issues, events)', r.first)}; lower bound ${r.lowerBound} (one per 100 items and a timeline batch per 100)`
      )
      console.log(
        `${line(`busy day (${r.busy.changes} changes)`, r.busy.total)} → ${(seedDay / Math.max(1, units(r.busy.total))).toFixed(1)}× fewer than the seed (target ≥ 20×); lower bound ${r.busy.lowerBound}`
      )
      console.log(
        `${line('quiet day', r.quiet.total)} → ${(seedDay / Math.max(1, units(r.quiet.total))).toFixed(0)}× fewer than the seed; lower bound ${r.quiet.lowerBound}`
      )
      for (const w of Object.keys(WORKFLOWS) as Workflow[]) {
        const b = r.busy.byWorkflow[w]
        const q = r.quiet.byWorkflow[w]
        console.log(
          `  ${w.padEnd(12)} busy: ${units(b)} units over ${b.runs} runs (core ${b.core}, search ${b.search}, points ${b.points}); ` +
            `quiet: ${units(q)} units over ${q.runs} runs, the costliest ${q.maxUnits}`
        )
      }
      const top = (m: Map<string, number>): string =>
        [...m]
          .sort((a, b) => b[1] - a[1])
          .slice(0, 8)
          .map(([k, v]) => `${k} ${v}`)
          .join(', ')
      console.log(`  busy day by route: ${top(r.busy.routes)}`)
      console.log(`  quiet day by route: ${top(r.quiet.routes)}`)
      console.log(
        `  a quiet 10- or 30-minute run: at most ${r.quiet.maxUnitsAfterFirstHour} unit(s) (target: 1 with a new token per job, 0 with a PAT); ` +
          `the quiet day's first hour, which reads the busy day's last changes (search's lag, a PAT's 3 follow-up searches): ${units(r.quiet.firstHour)} units`
      )
      console.log(`  time: the busy day took ${(r.busy.ms / r.firstMs).toFixed(1)}× the first sync's wall time`)
    }
    if (!process.env.BENCH_SKIP_SCALE) {
      const big = await benchReportAtScale(adminUrl, depsFor, settingsFor)
      console.log('')
      console.log(
        `report on the benchmark-size org (${big.items} items, ${big.events} timeline rows, loaded in ` +
          `${big.loadSeconds.toFixed(0)} s): ${big.reportSeconds[0].toFixed(1)} s, again ${big.reportSeconds[1].toFixed(1)} s; ` +
          `summary ${(big.summaryBytes / 1024).toFixed(1)} KiB of the 1 MiB step limit, JSON ${(big.jsonBytes / 1024 / 1024).toFixed(1)} MiB`
      )
    }
  } finally {
    await server?.stop()
    rmSync(tmp, { recursive: true, force: true })
  }
}

/** A first sync, a busy day and a quiet day of the shipped schedules, with one kind of token. */
async function simulate(adminUrl: string, tokens: 'fresh' | 'fixed') {
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} })
  const dbName = `cm_bench_${process.pid}_${tokens}`
  await admin`drop database if exists ${admin(dbName)}`
  await admin`create database ${admin(dbName)}`
  const url = new URL(adminUrl)
  url.pathname = `/${dbName}`
  const world = generateWorld({ seed: 7, repos: REPOS, items: REPOS * 150, members: 30, days: 365 })
  world.config.searchLagMs = SEARCH_LAG_MS
  // A simulated day passes in seconds of real time, and the simulator's rate
  // windows run on the real clock: budgets wide enough for a day.
  const sim = await startSim({
    world,
    runTokens: tokens,
    budget: { core: 1e7, search: 1e7, graphql: 1e7, graphqlPerMinute: 1e7 }
  })
  let routes: Map<string, number> | undefined
  const job = async (mode: string): Promise<Spend> => {
    const before = sim.log.entries.length
    const io = silentIO({
      mode,
      'github-token': sim.runToken(),
      'api-url': sim.url,
      'database-url': url.toString(),
      org: sim.world.org
    })
    const report = await run(io, { clock: () => sim.world.now(), msPerSecond: 1 })
    if (!report.ok) throw new Error(`bench: ${mode} failed: ${report.error}`)
    const spent = zero()
    for (const e of sim.log.entries.slice(before)) {
      if (e.notModified) {
        spent.notModified++
        continue
      }
      if (!e.billable) continue
      if (routes) {
        const key = `${mode === WORKFLOWS['every 10 min'] ? '10m' : mode === WORKFLOWS['every 30 min'] ? '30m' : mode} ${e.route}`
        routes.set(key, (routes.get(key) ?? 0) + (e.bucket === 'graphql' ? (e.points ?? 0) : 1))
      }
      if (e.bucket === 'graphql') spent.points += e.points ?? 0
      else if (e.bucket === 'search') spent.search++
      else spent.core++
    }
    return spent
  }
  try {
    const items = world.repos.reduce((n, r) => n + r.list.length, 0)
    const lowerBound =
      world.repos.filter((r) => !r.archived).reduce((n, r) => n + Math.ceil(r.list.length / 100), 0) +
      1 +
      Math.ceil(items / 100)
    let started = performance.now()
    const first = await job('issues,events')
    const firstMs = performance.now() - started
    // One full cycle of every workflow before the days are measured.
    for (const w of Object.keys(WORKFLOWS) as Workflow[]) await job(WORKFLOWS[w])

    const day = async (busy: boolean): Promise<DayResult> => {
      const result: DayResult = {
        routes: new Map(),
        total: zero(),
        byWorkflow: Object.fromEntries(
          Object.keys(WORKFLOWS).map((w) => [w, { ...zero(), runs: 0, maxUnits: 0 }])
        ) as DayResult['byWorkflow'],
        changes: 0,
        maxUnitsAfterFirstHour: 0,
        firstHour: zero(),
        lowerBound: 0,
        ms: 0
      }
      let changesSeen = 0
      const rand = mulberry32(11)
      const busyRepos = world.repos.slice(0, BUSY).map((r) => r.name)
      const t0 = performance.now()
      routes = result.routes
      for (let minute = 10; minute <= 24 * 60; minute += 10) {
        world.advance({ minutes: 10 })
        if (busy) {
          const due = (CHANGES_PER_HOUR / 6) * (minute / 10) - result.changes
          for (let i = 0; i < Math.floor(due); i++, result.changes++) {
            mutate(sim, busyRepos[Math.floor(rand() * busyRepos.length)], rand)
          }
        }
        const runs: Workflow[] = ['every 10 min']
        if (minute % 30 === 0) runs.push('every 30 min')
        // The daily workflow: 24 hours after the warm-up cycle's daily run, as
        // a cron schedule runs it (the day starts at its hour).
        if (minute === 24 * 60) runs.push('daily')
        for (const w of runs) {
          result.lowerBound += tokens === 'fresh' || result.changes > changesSeen ? 1 : 0
          changesSeen = result.changes
          const s = await job(WORKFLOWS[w])
          const into = result.byWorkflow[w]
          for (const k of SPEND_KEYS) {
            into[k] += s[k]
            result.total[k] += s[k]
          }
          into.runs++
          into.maxUnits = Math.max(into.maxUnits, units(s))
          if (w !== 'daily' && minute > 60)
            result.maxUnitsAfterFirstHour = Math.max(result.maxUnitsAfterFirstHour, units(s))
          if (w !== 'daily' && minute <= 60) for (const k of SPEND_KEYS) result.firstHour[k] += s[k]
        }
      }
      result.ms = performance.now() - t0
      routes = undefined
      return result
    }
    started = performance.now()
    const busy = await day(true)
    // The first hours of the quiet day still read the busy day's tail (timelines, reactions).
    const quiet = await day(false)
    return { items, lowerBound, first, firstMs, busy, quiet }
  } finally {
    await sim.close()
    await admin`drop database if exists ${admin(dbName)} with (force)`
    await admin.end()
  }
}

function silentIO(inputs: Partial<Record<InputName, string>>): RunnerIO {
  return {
    readInput: (name) => inputs[name] ?? '',
    env: {},
    log: new MemoryLog(),
    setSecret: () => {},
    setOutput: () => {},
    writeSummary: async () => {},
    setFailed: () => {}
  }
}

function depsFor(sim: Sim, sql: postgres.Sql): Deps {
  const log = new MemoryLog()
  const meter = new RequestMeter()
  const octokit = createOctokit({
    token: 'bench',
    baseUrl: sim.url,
    log,
    meter,
    maxRateLimitWaitSeconds: 5,
    msPerSecond: 1
  })
  return { sql, octokit, meter, log, clock: () => sim.world.now() }
}

function settingsFor(sim: Sim, extra: Record<string, string> = {}) {
  const inputs: Record<string, string> = {
    mode: 'issues',
    'github-token': 'bench',
    'api-url': sim.url,
    'database-url': 'postgres://unused@127.0.0.1/unused',
    org: sim.world.org,
    since: '2000-01-01',
    ...extra
  }
  return readSettings((name) => inputs[name] ?? '', {}, sim.world.now())
}

/** One realistic change on a busy repository. */
function mutate(sim: Sim, repoName: string, rand: () => number): void {
  const w = sim.world
  const repo = w.repo(repoName)
  const open = repo.list.filter((i) => i.state === 'open' && !i.deleted && !i.movedTo)
  const pick = open[Math.floor(rand() * open.length)]
  const who = `bench-user-${Math.floor(rand() * 20)}`
  if (!w.usersByLogin.has(who)) w.addUser(who)
  const r = rand()
  if (!pick || r < 0.2)
    w.openIssue(repoName, { title: `bench ${Math.floor(rand() * 1e6)}`, user: who, isPull: rand() < 0.4 })
  else if (r < 0.6) w.comment(repoName, pick.number, { user: who, body: 'bench comment' })
  else if (r < 0.75) w.label(repoName, pick.number, 'bug', who)
  else if (r < 0.85) w.react(repoName, pick.number, '+1', who)
  else if (pick.isPull && r < 0.93) w.merge(repoName, pick.number, who)
  else w.close(repoName, pick.number, { actor: who })
}

await main()
