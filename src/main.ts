import { Outputs, type Task } from './constants.js'
import { openDatabase, type Database, type Sql } from './db/connect.js'
import { explainDatabaseError } from './db/errors.js'
import { migrate } from './db/migrate.js'
import { withTaskLock } from './db/task-lock.js'
import { createOctokit } from './github/client.js'
import { RequestMeter, usageSince, type Usage } from './github/meter.js'
import { readSettings, type Settings } from './inputs.js'
import { actionsIO, redactingIO, type RunnerIO } from './io.js'
import { getErrorMessage } from './redact.js'
import type { RunReport, TaskReport } from './run-report.js'
import { renderSummary } from './summary.js'
import { TASK_RUNNERS } from './tasks/index.js'
import type { Deps, TaskResult } from './tasks/types.js'

export type { RunReport, TaskReport } from './run-report.js'

/** Knobs tests and the demo turn; the action uses the defaults. */
export interface RunOptions {
  /** The current time (tests pass the simulator's clock). */
  clock?: () => Date
  /** Milliseconds per second of a retry wait (tests shrink it). */
  msPerSecond?: number
  /** Per-request time-out. */
  requestTimeoutMs?: number
}

/**
 * The whole job: settings → database and GitHub client → tasks in order →
 * outputs and summary. Any failure fails the run with a message naming the
 * cause; the database (and an embedded server) is always closed.
 */
export async function run(runner: RunnerIO = actionsIO(), options: RunOptions = {}): Promise<RunReport> {
  const clock = options.clock ?? (() => new Date())
  // Everything the run shows goes through `io`, which hides the token and
  // the database password even where a message quotes a server's answer.
  const secrets: string[] = []
  const io = redactingIO(runner, secrets)
  const meter = new RequestMeter()
  const reports: TaskReport[] = []
  let database: Database | undefined
  let error: string | undefined
  try {
    const settings = readSettings(io.readInput, io.env, clock())
    secrets.push(...maskSecrets(io, settings))
    database = await openDatabase(settings.database, io.log)
    io.log.info(`Database: ${database.description}`)
    const octokit = createOctokit({
      token: settings.githubToken,
      baseUrl: settings.apiUrl,
      log: io.log,
      meter,
      maxRateLimitWaitSeconds: settings.maxRateLimitWaitSeconds,
      msPerSecond: options.msPerSecond,
      requestTimeoutMs: options.requestTimeoutMs
    })
    const deps: Deps = { sql: database.sql, octokit, meter, log: io.log, clock }
    let schemaReady = false
    for (const task of settings.tasks) {
      const report = await io.log.group(task, async () => {
        if (task !== 'migrate' && !schemaReady) {
          // Every task runs on a current schema: pending migrations are
          // applied first (a no-op select when there are none).
          await migrate(deps.sql, io.log)
        }
        schemaReady = true
        return runTask(task, deps, settings)
      })
      reports.push(report)
    }
  } catch (thrown) {
    error = database ? explainDatabaseError(thrown, database.description) : getErrorMessage(thrown)
  } finally {
    if (database) {
      await database.close().catch((closeError: unknown) => {
        io.log.warning(`Closing the database failed: ${getErrorMessage(closeError)}`)
      })
    }
  }
  const report: RunReport = {
    ok: error === undefined,
    error,
    tasks: reports,
    requests: meter.snapshot(),
    incomplete: reports.some((r) => r.incomplete)
  }
  publish(io, report)
  for (const t of report.tasks) if (t.print !== undefined) io.print?.(t.print)
  await io
    .writeSummary(renderSummary(report))
    .catch((e: unknown) => io.log.warning(`Job summary not written: ${getErrorMessage(e)}`))
  if (error !== undefined) io.setFailed(error)
  return report
}

async function runTask(task: Task, deps: Deps, settings: Settings): Promise<TaskReport> {
  const started = Date.now()
  const before = deps.meter.snapshot()
  const run = (sql: Sql): Promise<TaskResult> => TASK_RUNNERS[task]({ ...deps, sql }, settings)
  const lockKey = `${task}:${settings.org.toLowerCase()}:${settings.shard.index}/${settings.shard.count}`
  // migrate locks itself; report only reads (in one snapshot), so two reports never need to exclude each other.
  const unlocked = task === 'migrate' || task === 'report'
  const result = unlocked ? await run(deps.sql) : await withTaskLock(deps.sql, lockKey, run, { log: deps.log })
  const requests = usageSince(before, deps.meter.snapshot())
  const seconds = (Date.now() - started) / 1000
  if (result === undefined) {
    deps.log.warning(`Another run is executing '${task}' for ${settings.org}; skipped it here.`)
    return { task, skipped: true, counts: {}, requests, seconds }
  }
  const counts = Object.entries(result.counts)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ')
  deps.log.info(`${task}: ${counts || 'done'}; ${describeUsage(requests)}`)
  return { task, ...result, requests, seconds }
}

/** Tells the runner to mask the token and the database password, and returns them (for redactingIO). */
function maskSecrets(io: RunnerIO, settings: Settings): string[] {
  const secrets: string[] = []
  if (settings.githubToken) secrets.push(settings.githubToken)
  if (settings.database.kind === 'url') {
    io.setSecret(settings.database.url)
    const url = new URL(settings.database.url)
    for (const password of [url.password, url.searchParams.get('password') ?? '']) {
      if (!password) continue
      secrets.push(password)
      try {
        secrets.push(decodeURIComponent(password))
      } catch {
        // not percent-encoded text: masked as written
      }
    }
  }
  for (const secret of new Set(secrets)) io.setSecret(secret)
  return secrets
}

function publish(io: RunnerIO, report: RunReport): void {
  const results: Record<string, unknown> = {}
  for (const t of report.tasks) {
    results[t.task] = {
      ...t.counts,
      ...(t.skipped ? { skipped: true } : {}),
      ...(t.incomplete ? { incomplete: true } : {})
    }
  }
  io.setOutput(Outputs.Results, JSON.stringify(results))
  io.setOutput(Outputs.RequestsBillable, String(report.requests.billable))
  io.setOutput(Outputs.RequestsNotModified, String(report.requests.notModified))
  io.setOutput(Outputs.GraphqlPoints, String(report.requests.points))
  io.setOutput(
    Outputs.Usage,
    JSON.stringify({
      core: report.requests.core,
      search: report.requests.search,
      graphql_points: report.requests.points,
      not_modified: report.requests.notModified
    })
  )
  io.setOutput(Outputs.Incomplete, String(report.incomplete))
  io.setOutput(
    Outputs.Remaining,
    report.tasks
      .filter((t) => t.incomplete && t.remaining)
      .map((t) => `${t.task}: ${t.remaining}`)
      .join('; ')
  )
  for (const t of report.tasks) for (const [name, value] of Object.entries(t.outputs ?? {})) io.setOutput(name, value)
}

/** `3 core + 1 search requests, 2 GraphQL points; 12 answered 304` */
export function describeUsage(u: Usage): string {
  const parts = [`${u.billable} billable requests (${u.core} core, ${u.search} search)`]
  if (u.graphqlRequests > 0 || u.points > 0) parts.push(`${u.points} GraphQL points (${u.graphqlRequests} queries)`)
  return `${parts.join(', ')}; ${u.notModified} answered 304`
}
