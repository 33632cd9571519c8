/**
 * `npm run bench`: what a day of scheduled syncs costs, in billable GitHub
 * requests, on the org shape of DESIGN.md (16 repositories, 4 busy, ~15
 * changed items an hour), against the seed's ~530 search requests per
 * repository per day; and what a quiet day costs. Request counts come from
 * the simulated GitHub's log, so they are exact; the one timing reported is
 * a ratio measured within this run.
 */
import { mkdtempSync, rmSync, chmodSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import postgres from 'postgres'
import type { Task } from '../src/constants.js'
import { connectionOptions } from '../src/db/connect.js'
import { startEmbedded } from '../src/db/embedded.js'
import { migrate } from '../src/db/migrate.js'
import { createOctokit } from '../src/github/client.js'
import { RequestMeter } from '../src/github/meter.js'
import { readSettings } from '../src/inputs.js'
import { MemoryLog } from '../src/log.js'
import { NotAvailableError, TASK_RUNNERS } from '../src/tasks/index.js'
import type { Deps } from '../src/tasks/types.js'
import { startSim, generateWorld, type Sim } from '../sim/index.js'
import { mulberry32 } from '../sim/prng.js'
import { benchReportAtScale } from './report-bench.js'
import { runReport } from '../src/tasks/report.js'

const REPOS = 16
const BUSY = 4
const CHANGES_PER_HOUR = 15
const SEED_REQUESTS_PER_REPO_DAY = 530

const EVERY_10: Task[] = ['events', 'transfers']
const EVERY_30: Task[] = ['issues', 'pulls', 'unmerged', 'members', 'transfers']
const DAILY: Task[] = ['daily']

async function main(): Promise<void> {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'cm-bench-'))
  chmodSync(tmp, 0o755)
  const server = process.env.DATABASE_URL ? undefined : await startEmbedded(path.join(tmp, 'pg'), new MemoryLog())
  const admin = postgres(process.env.DATABASE_URL ?? server!.url, { max: 1, onnotice: () => {} })
  const dbName = `cm_bench_${process.pid}`
  await admin`drop database if exists ${admin(dbName)}`
  await admin`create database ${admin(dbName)}`
  const url = new URL(process.env.DATABASE_URL ?? server!.url)
  url.pathname = `/${dbName}`
  const sql = postgres(url.toString(), connectionOptions())
  const world = generateWorld({ seed: 7, repos: REPOS, items: REPOS * 150, members: 30, days: 365 })
  const sim = await startSim({ world })
  try {
    await migrate(sql, new MemoryLog())
    const unavailable = new Set<Task>()
    const runTasks = async (tasks: Task[]): Promise<void> => {
      for (const task of tasks) {
        if (unavailable.has(task)) continue
        const deps = depsFor(sim, sql)
        try {
          await TASK_RUNNERS[task](deps, settingsFor(sim))
        } catch (error) {
          if (error instanceof NotAvailableError) unavailable.add(task)
          else throw error
        }
      }
    }

    // First sync (not part of the daily figure): cost against the lower bound.
    const items = world.repos.reduce((n, r) => n + r.list.length, 0)
    let started = performance.now()
    await runTasks(['issues'])
    const firstSyncMs = performance.now() - started
    const firstSync = sim.log.billable()
    const lowerBound = world.repos.reduce((n, r) => n + Math.ceil(r.list.length / 100), 0) + 1
    await runTasks([...EVERY_30, ...EVERY_10, ...DAILY])

    // A busy day.
    sim.log.reset()
    const rand = mulberry32(11)
    const busy = world.repos.slice(0, BUSY).map((r) => r.name)
    let changes = 0
    started = performance.now()
    for (let minute = 10; minute <= 24 * 60; minute += 10) {
      world.advance({ minutes: 10 })
      const due = (CHANGES_PER_HOUR / 6) * (minute / 10) - changes
      for (let i = 0; i < Math.floor(due); i++, changes++) mutate(sim, busy[Math.floor(rand() * busy.length)], rand)
      await runTasks(EVERY_10)
      if (minute % 30 === 0) await runTasks(EVERY_30)
      if (minute === 5 * 60) await runTasks(DAILY)
    }
    const busyMs = performance.now() - started
    const busyDay = sim.log.billable()
    const busyFree = sim.log.notModified()
    const busyRoutes = sim.log.byRoute()

    // A quiet day.
    sim.log.reset()
    for (let minute = 10; minute <= 24 * 60; minute += 10) {
      world.advance({ minutes: 10 })
      await runTasks(EVERY_10)
      if (minute % 30 === 0) await runTasks(EVERY_30)
      if (minute === 5 * 60) await runTasks(DAILY)
    }
    const quietDay = sim.log.billable()
    const quietRoutes = sim.log.byRoute()

    // The report on this org, beside the sync's time.
    started = performance.now()
    await runReport(depsFor(sim, sql), settingsFor(sim, { mode: 'report', since: '' }))
    const reportMs = performance.now() - started

    const seedDay = REPOS * SEED_REQUESTS_PER_REPO_DAY
    if (unavailable.has('issues')) {
      console.log('The issues task is not available in this build: nothing to measure.')
      process.exitCode = 1
      return
    }
    const ran = [...new Set([...EVERY_30, ...EVERY_10, ...DAILY])].filter((t) => !unavailable.has(t))
    console.log(`contributor-metrics benchmark — ${REPOS} repositories (${BUSY} busy), ${items} issues and PRs`)
    console.log(
      `tasks measured: ${ran.join(', ')}${unavailable.size ? ` (not available yet: ${[...unavailable].join(', ')})` : ''}`
    )
    console.log('')
    console.log(
      `first sync of 'issues': ${firstSync} billable requests; lower bound ${lowerBound} (ratio ${(firstSync / lowerBound).toFixed(2)})`
    )
    console.log(`busy day (${changes} changes): ${busyDay} billable, ${busyFree} answered 304`)
    console.log(
      `seed on the same org: ~${seedDay} billable a day → ${(seedDay / Math.max(busyDay, 1)).toFixed(1)}× fewer (target ≥ 20×)`
    )
    console.log(`quiet day: ${quietDay} billable (target 0)`)
    const show = (label: string, routes: ReturnType<Sim['log']['byRoute']>): void => {
      const rows = Object.entries(routes)
        .filter(([, v]) => v.billable > 0)
        .sort((a, b) => b[1].billable - a[1].billable)
      console.log(`${label}: ${rows.map(([route, v]) => `${route} ${v.billable}`).join(', ') || 'none'}`)
    }
    show('busy day, billable by route', busyRoutes)
    show('quiet day, billable by route', quietRoutes)
    console.log(`time: a scheduled day took ${(busyMs / firstSyncMs).toFixed(1)}× the first sync's wall time`)
    console.log(
      `report (mode: report, last 30 days against the 30 before): ${(reportMs / 1000).toFixed(2)} s, ` +
        `${(reportMs / firstSyncMs).toFixed(2)}× the first sync's wall time`
    )
    const big = await benchReportAtScale(process.env.DATABASE_URL ?? server!.url, depsFor, settingsFor)
    console.log(
      `report on the benchmark-size org (${big.items} items, ${big.events} timeline rows, loaded in ` +
        `${big.loadSeconds.toFixed(0)} s): ${big.reportSeconds[0].toFixed(1)} s, again ${big.reportSeconds[1].toFixed(1)} s; ` +
        `summary ${(big.summaryBytes / 1024).toFixed(1)} KiB of the 1 MiB step limit, JSON ${(big.jsonBytes / 1024 / 1024).toFixed(1)} MiB`
    )
  } finally {
    await sim.close()
    await sql.end()
    await admin`drop database if exists ${admin(dbName)}`
    await admin.end()
    await server?.stop()
    rmSync(tmp, { recursive: true, force: true })
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
