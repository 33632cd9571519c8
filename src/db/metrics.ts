// Every query the report runs: the `metrics` schema's period functions and
// views (sql/*_metrics.sql), read into the report's model types.
import type { ByKind, DurationStats, MonthMetrics, PeopleMetrics, ScopeMetrics, WaitingItem } from '../model/report.js'
import type { Queryable, Sql } from './connect.js'

/**
 * Runs the report's queries in one read-only snapshot, so every figure comes
 * from the same state of the tables while a sync writes. Without JIT
 * (compiling the plans takes longer than running them) and without nested
 * loops: the planner cannot estimate how many items a period holds (their
 * creation time is that of the first incarnation, an expression over a
 * join), guesses a handful, and would rescan a 40,000-row aggregate once
 * per item; hash joins read each table once (6× faster on the
 * benchmark-size org).
 */
export async function inReportSnapshot<T>(sql: Sql, fn: (tx: Queryable) => Promise<T>): Promise<T> {
  return (await sql.begin('isolation level repeatable read read only', async (tx) => {
    await tx`set local jit = off`
    await tx`set local enable_nestloop = off`
    return fn(tx)
  })) as T
}

/** What to compute: items created in / activity in [since, until), ages at asOf. */
export interface MetricsScope {
  readonly org: string
  /** Repository names to include; undefined means all of the org's. */
  readonly repos?: readonly string[]
}

export interface PeriodQuery extends MetricsScope {
  readonly since: Date
  readonly until: Date
  readonly asOf: Date
}

/** Organisations that have items stored, most items first. */
export async function storedOrgs(sql: Queryable): Promise<string[]> {
  const rows = await sql<{ org: string }[]>`
    select org from metrics.items where org is not null group by org order by count(*) desc, org`
  return rows.map((r) => r.org)
}

/** The org's repositories that have items stored, by name. */
export async function storedRepos(sql: Queryable, org: string): Promise<string[]> {
  const rows = await sql<{ repo: string }[]>`
    select distinct repo from metrics.items where lower(org) = lower(${org}) and repo is not null order by repo`
  return rows.map((r) => r.repo)
}

interface DurationRow {
  repo: string | null
  month: Date | null
  kind: 'issue' | 'pull_request'
  metric: string
  n: string
  p50: number | null
  p75: number | null
  p90: number | null
  mean: number | null
  censored: string
  censored_age_p50: number | null
}

interface CountsRow {
  repo: string | null
  month: Date | null
  issues: string
  issues_reopened: string
  pulls: string
  pulls_closed: string
  pulls_merged: string
  pulls_closed_unmerged: string
}

interface FlowRow {
  repo: string | null
  month: Date | null
  opened: string
  opened_issues: string
  opened_pulls: string
  closed: string
  closed_issues: string
  closed_pulls: string
  merged: string
}

interface PeopleRow {
  repo: string | null
  month: Date | null
  activity: string
  human_activity: string
  member_activity: string
  bot_activity: string
  active_contributors: string
  new_contributors: string
  absence_factor: string
}

const ts = (d: Date): string => d.toISOString()

function repoList(scope: MetricsScope): string[] | null {
  return scope.repos ? [...scope.repos] : null
}

async function durationRows(sql: Queryable, q: PeriodQuery, monthly: boolean): Promise<DurationRow[]> {
  return sql<DurationRow[]>`
    select repo, month, kind, metric, n, p50, p75, p90, mean, censored, censored_age_p50
    from metrics.durations(${ts(q.since)}::timestamp, ${ts(q.until)}::timestamp, ${ts(q.asOf)}::timestamp,
                           ${monthly}, ${repoList(q)}::text[])
    where lower(org) = lower(${q.org})`
}

async function countRows(sql: Queryable, q: PeriodQuery, monthly: boolean): Promise<CountsRow[]> {
  return sql<CountsRow[]>`
    select repo, month, issues, issues_reopened, pulls, pulls_closed, pulls_merged, pulls_closed_unmerged
    from metrics.item_counts(${ts(q.since)}::timestamp, ${ts(q.until)}::timestamp, ${monthly}, ${repoList(q)}::text[])
    where lower(org) = lower(${q.org})`
}

async function flowRows(sql: Queryable, q: PeriodQuery, monthly: boolean): Promise<FlowRow[]> {
  return sql<FlowRow[]>`
    select repo, month, opened, opened_issues, opened_pulls, closed, closed_issues, closed_pulls, merged
    from metrics.flow(${ts(q.since)}::timestamp, ${ts(q.until)}::timestamp, ${monthly}, ${repoList(q)}::text[])
    where lower(org) = lower(${q.org})`
}

async function peopleRows(sql: Queryable, q: PeriodQuery, monthly: boolean): Promise<PeopleRow[]> {
  return sql<PeopleRow[]>`
    select repo, month, activity, human_activity, member_activity, bot_activity, active_contributors,
           new_contributors, absence_factor
    from metrics.people(${ts(q.since)}::timestamp, ${ts(q.until)}::timestamp, ${monthly}, ${repoList(q)}::text[])
    where lower(org) = lower(${q.org})`
}

export const EMPTY_DURATION: DurationStats = Object.freeze({
  n: 0,
  p50: null,
  p75: null,
  p90: null,
  mean: null,
  censored: 0,
  censored_age_p50: null
})

function stats(row: DurationRow | undefined): DurationStats {
  if (!row) return EMPTY_DURATION
  return {
    n: Number(row.n),
    p50: row.p50,
    p75: row.p75,
    p90: row.p90,
    mean: row.mean,
    censored: Number(row.censored),
    censored_age_p50: row.censored_age_p50
  }
}

const share = (part: number, whole: number): number | null => (whole > 0 ? part / whole : null)

/** Key of a scope in the maps below: the repository name, or '' for the whole org. */
const keyOf = (repo: string | null): string => repo ?? ''

function byKey<T extends { repo: string | null }>(rows: T[]): Map<string, T[]> {
  const out = new Map<string, T[]>()
  for (const r of rows) {
    const k = keyOf(r.repo)
    const list = out.get(k) ?? []
    list.push(r)
    out.set(k, list)
  }
  return out
}

function byKindOf(rows: DurationRow[], metric: string): ByKind {
  return {
    issues: stats(rows.find((r) => r.metric === metric && r.kind === 'issue')),
    pull_requests: stats(rows.find((r) => r.metric === metric && r.kind === 'pull_request'))
  }
}

function peopleOf(p: PeopleRow | undefined): PeopleMetrics {
  const activity = Number(p?.activity ?? 0)
  const member = Number(p?.member_activity ?? 0)
  const bots = Number(p?.bot_activity ?? 0)
  return {
    activity,
    member_activity: member,
    other_activity: Number(p?.human_activity ?? 0) - member,
    bot_activity: bots,
    members_share: share(member, activity),
    bots_share: share(bots, activity),
    active_contributors: Number(p?.active_contributors ?? 0),
    new_contributors: Number(p?.new_contributors ?? 0),
    absence_factor: Number(p?.absence_factor ?? 0)
  }
}

/**
 * Every metric of the period, for the org (key '') and for each repository
 * with anything in it (key: its name). `waiting` gives the waiting-on-us
 * counts (they do not depend on the period).
 */
export async function readPeriod(
  sql: Queryable,
  q: PeriodQuery,
  waiting: readonly WaitingItem[]
): Promise<Map<string, ScopeMetrics>> {
  const [durations, counts, flow, people] = await Promise.all([
    durationRows(sql, q, false),
    countRows(sql, q, false),
    flowRows(sql, q, false),
    peopleRows(sql, q, false)
  ])
  const d = byKey(durations)
  const c = byKey(counts)
  const f = byKey(flow)
  const p = byKey(people)
  const w = new Map<string, number>([['', waiting.length]])
  for (const item of waiting) w.set(item.repo, (w.get(item.repo) ?? 0) + 1)
  const keys = new Set<string>(['', ...d.keys(), ...c.keys(), ...f.keys(), ...p.keys(), ...w.keys()])
  const out = new Map<string, ScopeMetrics>()
  for (const key of keys) {
    const dr = d.get(key) ?? []
    const cr = c.get(key)?.[0]
    const fr = f.get(key)?.[0]
    const pulls = Number(cr?.pulls ?? 0)
    const pullsClosed = Number(cr?.pulls_closed ?? 0)
    const unmerged = Number(cr?.pulls_closed_unmerged ?? 0)
    const issues = Number(cr?.issues ?? 0)
    const reopened = Number(cr?.issues_reopened ?? 0)
    const opened = Number(fr?.opened ?? 0)
    const closed = Number(fr?.closed ?? 0)
    const one = (metric: string, kind: 'issue' | 'pull_request'): DurationStats =>
      stats(dr.find((r) => r.metric === metric && r.kind === kind))
    out.set(key, {
      time_to_first_response: byKindOf(dr, 'time_to_first_response'),
      time_to_first_member_response: byKindOf(dr, 'time_to_first_member_response'),
      pull_requests: {
        opened: pulls,
        closed: pullsClosed,
        merged: Number(cr?.pulls_merged ?? 0),
        closed_unmerged: unmerged,
        closed_unmerged_share: share(unmerged, pullsClosed),
        time_to_first_review: one('time_to_first_review', 'pull_request'),
        time_to_first_approval: one('time_to_first_approval', 'pull_request'),
        approval_to_merge: one('approval_to_merge', 'pull_request'),
        time_to_merge: one('time_to_merge', 'pull_request')
      },
      issues: {
        opened: issues,
        reopened,
        reopened_share: share(reopened, issues),
        time_to_close: {
          all: one('time_to_close', 'issue'),
          completed: one('time_to_close_completed', 'issue'),
          not_planned: one('time_to_close_not_planned', 'issue'),
          other: one('time_to_close_other', 'issue')
        }
      },
      flow: {
        opened,
        opened_issues: Number(fr?.opened_issues ?? 0),
        opened_pull_requests: Number(fr?.opened_pulls ?? 0),
        closed,
        closed_issues: Number(fr?.closed_issues ?? 0),
        closed_pull_requests: Number(fr?.closed_pulls ?? 0),
        merged: Number(fr?.merged ?? 0),
        closure_ratio: share(closed, opened)
      },
      people: peopleOf(p.get(key)?.[0]),
      waiting_on_us: w.get(key) ?? 0
    })
  }
  return out
}

const monthKey = (d: Date): string => d.toISOString().slice(0, 7)

/** The org per calendar month in [since, until) (since is a month's first instant), every month listed. */
export async function readMonthly(sql: Queryable, q: PeriodQuery): Promise<MonthMetrics[]> {
  const [durations, flow, people] = await Promise.all([
    durationRows(sql, q, true),
    flowRows(sql, q, true),
    peopleRows(sql, q, true)
  ])
  const org = <T extends { repo: string | null; month: Date | null }>(rows: T[]): Map<string, T[]> => {
    const out = new Map<string, T[]>()
    for (const r of rows) {
      if (r.repo !== null || r.month === null) continue
      const k = monthKey(r.month)
      out.set(k, [...(out.get(k) ?? []), r])
    }
    return out
  }
  const d = org(durations)
  const f = org(flow)
  const p = org(people)
  const months: MonthMetrics[] = []
  const cursor = new Date(Date.UTC(q.since.getUTCFullYear(), q.since.getUTCMonth(), 1))
  while (cursor.getTime() < q.until.getTime()) {
    const k = monthKey(cursor)
    const fr = f.get(k)?.[0]
    const pr = p.get(k)?.[0]
    months.push({
      month: k,
      time_to_first_response: byKindOf(d.get(k) ?? [], 'time_to_first_response'),
      opened: Number(fr?.opened ?? 0),
      closed: Number(fr?.closed ?? 0),
      merged: Number(fr?.merged ?? 0),
      active_contributors: Number(pr?.active_contributors ?? 0),
      new_contributors: Number(pr?.new_contributors ?? 0)
    })
    cursor.setUTCMonth(cursor.getUTCMonth() + 1)
  }
  return months
}

/** Every item waiting on us now, longest-waiting first, with its wait counted to asOf. */
export async function readWaiting(sql: Queryable, scope: MetricsScope, asOf: Date): Promise<WaitingItem[]> {
  const rows = await sql<
    {
      repo: string
      number: number
      kind: 'issue' | 'pull_request'
      title: string | null
      html_url: string | null
      author: string | null
      waiting_since: Date
      waited_hours: number
    }[]
  >`
    select repo, number, kind, title, html_url, author, waiting_since,
           metrics.hours(${ts(asOf)}::timestamp - waiting_since) as waited_hours
    from metrics.waiting_on_us
    where lower(org) = lower(${scope.org}) and (${repoList(scope)}::text[] is null or repo = any(${repoList(scope)}::text[]))
    order by waiting_since, repo collate "C", number`
  return rows.map((r) => ({
    repo: r.repo,
    number: r.number,
    kind: r.kind,
    title: r.title ?? '',
    html_url: r.html_url ?? '',
    author: r.author ?? 'ghost',
    waiting_since: r.waiting_since.toISOString(),
    waited_hours: r.waited_hours
  }))
}
