// Every sync task through run() against the simulated GitHub, and a dump of
// every table for comparing one database with another.
import type { InputName } from '../../src/constants.js'
import type { Sql } from '../../src/db/connect.js'
import { run, type RunOptions, type RunReport } from '../../src/main.js'
import type { GenerateOptions, Sim } from '../../sim/index.js'
import { testIO, type TestIO } from './io.js'

/** Every task, in the order the docs list them (daily and backfill from `since`). */
export const ALL_TASKS = 'migrate,issues,pulls,unmerged,members,transfers,events,daily,backfill'

/** A small org: every kind of item and event, quick to sync a few times in one file. */
export const SMALL_ORG: GenerateOptions = {
  seed: 11,
  org: 'acme',
  repos: 3,
  items: 100,
  members: 8,
  days: 120,
  timeline: { over100: 0, over1000: 0 }
}

/** `since` for daily and backfill: inside the generated history (which ends 2025-06-01). */
export const SINCE = '2025-03-01'

export interface FullRun {
  report: RunReport
  io: TestIO
}

/** The inputs of runAll(): every task, from `since`, against `sim` (`extra` adds or overrides). */
export function runInputs(
  sim: Sim,
  databaseUrl: string,
  extra: Record<string, string> = {},
  apiUrl = sim.url
): Record<string, string> {
  return {
    mode: ALL_TASKS,
    'github-token': 't',
    'api-url': apiUrl,
    'database-url': databaseUrl,
    org: sim.world.org,
    since: SINCE,
    'max-rate-limit-wait': '2',
    ...extra
  }
}

/** One run of every task, as the action would do it. */
export async function runAll(
  sim: Sim,
  databaseUrl: string,
  extra: Record<string, string> = {},
  options: RunOptions & { apiUrl?: string; onTask?: (task: string) => void } = {}
): Promise<FullRun> {
  const io = testIO(runInputs(sim, databaseUrl, extra, options.apiUrl) as Partial<Record<InputName, string>>)
  if (options.onTask) {
    // Told as each task begins (its log group opens), e.g. to note where its requests start.
    const group = io.log.group.bind(io.log)
    const onTask = options.onTask
    io.log.group = (name, fn) => {
      onTask(name)
      return group(name, fn)
    }
  }
  const report = await run(io, {
    clock: () => sim.world.now(),
    msPerSecond: 1,
    requestTimeoutMs: options.requestTimeoutMs ?? 10_000
  })
  return { report, io }
}

/** Columns the database fills from its own clock (when a row was written is not what was synced). */
const WALL_CLOCK: Record<string, string[]> = {
  repositories: ['first_seen_at', 'last_seen_at'],
  sync_cursors: ['updated_at'],
  http_etags: ['updated_at'],
  members: ['inserted_dt']
}
/** Bookkeeping of runs, not synced data. */
const NOT_SYNCED = new Set(['schema_migrations', 'task_leases'])

/** Every row of every table (bar bookkeeping) as sorted JSON text. */
export async function snapshot(sql: Sql): Promise<Record<string, string[]>> {
  const tables = await sql<{ table_name: string }[]>`
    select table_name from information_schema.tables
    where table_schema = 'public' and table_type = 'BASE TABLE' order by 1`
  const out: Record<string, string[]> = {}
  for (const { table_name: t } of tables) {
    if (NOT_SYNCED.has(t)) continue
    const drop = WALL_CLOCK[t] ?? []
    const rows = await sql<{ j: string }[]>`
      select (to_jsonb(x) - ${drop}::text[])::text as j from ${sql(t)} x order by 1`
    out[t] = rows.map((r) => r.j)
  }
  return out
}

/** Row counts of a snapshot, for a readable assertion message. */
export function counts(s: Record<string, string[]>): Record<string, number> {
  return Object.fromEntries(Object.entries(s).map(([t, rows]) => [t, rows.length]))
}

/** Everything a run showed the outside world: log lines, failure, summaries and outputs. */
export function everythingPrinted(io: TestIO): string {
  return [...io.log.lines, io.failure ?? '', ...io.summaries, ...[...io.outputs.values()]].join('\n')
}
