import {
  ISSUE_COLUMNS,
  PULL_COLUMNS,
  type IssueRow,
  type MappedIssue,
  type PullRow,
  type StoredPull
} from '../model/issue.js'
import type { Queryable } from './connect.js'

// Fragments built from the constant column lists above (never from input).
const list = (cols: readonly string[]): string => cols.map((c) => `"${c}"`).join(', ')
const assign = (cols: readonly string[]): string =>
  cols
    .filter((c) => c !== 'id')
    .map((c) => `"${c}" = excluded."${c}"`)
    .join(', ')

/**
 * Upserts issue rows in one statement. Rows only move forward: a row whose
 * stored updated_at is newer is left alone, and an unchanged row (same
 * updated_at, same state and place) is not written at all, so a no-change
 * run leaves no dead tuples. Returns the number of rows written.
 */
export async function upsertIssueRows(tx: Queryable, rows: IssueRow[]): Promise<number> {
  if (rows.length === 0) return 0
  const result = await tx`
    insert into issues (${tx.unsafe(list(ISSUE_COLUMNS))})
    select ${tx.unsafe(list(ISSUE_COLUMNS))}
    from json_populate_recordset(null::issues, ${tx.json(rows as never)}::json)
    on conflict (id) do update set ${tx.unsafe(assign(ISSUE_COLUMNS))}
    where issues.updated_at is null
       or excluded.updated_at > issues.updated_at
       or (excluded.updated_at = issues.updated_at
           and (issues.state, issues.repo, issues.repo_id) is distinct from (excluded.state, excluded.repo, excluded.repo_id))`
  return result.count
}

/**
 * Upserts pull-request rows, forward-only like issues. With an equal
 * updated_at, a differing merged / merged_at / draft / state is still
 * corrected (the pulls API and search can know better than a listing).
 */
export async function upsertPullRows(tx: Queryable, rows: PullRow[]): Promise<number> {
  if (rows.length === 0) return 0
  const result = await tx`
    insert into pull_requests (${tx.unsafe(list(PULL_COLUMNS))})
    select ${tx.unsafe(list(PULL_COLUMNS))}
    from json_populate_recordset(null::pull_requests, ${tx.json(rows as never)}::json)
    on conflict (id) do update set ${tx.unsafe(assign(PULL_COLUMNS))}
    where pull_requests.updated_at is null
       or excluded.updated_at > pull_requests.updated_at
       or (excluded.updated_at = pull_requests.updated_at
           and (pull_requests.state, pull_requests.merged, pull_requests.merged_at, pull_requests.draft,
                pull_requests.repo, pull_requests.repo_id)
               is distinct from (excluded.state, excluded.merged, excluded.merged_at, excluded.draft,
                excluded.repo, excluded.repo_id))`
  return result.count
}

/** Splits mapped items by table and upserts both; returns rows written per table. */
export async function upsertMapped(
  tx: Queryable,
  mapped: readonly MappedIssue[]
): Promise<{ issues: number; pulls: number }> {
  const issues = mapped.flatMap((m) => (m.kind === 'issue' ? [m.row] : []))
  const pulls = mapped.flatMap((m) => (m.kind === 'pull' ? [m.row] : []))
  return { issues: await upsertIssueRows(tx, issues), pulls: await upsertPullRows(tx, pulls) }
}

/** The stored status fields of a repository's pull requests with these numbers. */
export async function storedPullsByNumber(sql: Queryable, repoId: number, numbers: number[]): Promise<StoredPull[]> {
  return sql<StoredPull[]>`
    select id, number, state, merged, merged_at, draft, closed_at, updated_at from pull_requests
    where repo_id = ${repoId} and number = any(${numbers}::int[])`
}

/**
 * Corrects a pull request's status fields in place, only while the row still
 * has the updated_at it was compared at (a newer write wins).
 */
export async function correctPullStatus(
  sql: Queryable,
  row: Pick<StoredPull, 'id' | 'updated_at'>,
  want: Pick<StoredPull, 'state' | 'merged' | 'merged_at' | 'draft' | 'closed_at'>
): Promise<void> {
  await sql`
    update pull_requests set state = ${want.state}, merged = ${want.merged}, merged_at = ${want.merged_at},
      draft = ${want.draft}, closed_at = ${want.closed_at}
    where id = ${row.id} and updated_at = ${row.updated_at}`
}

/** Numbers of the repository's pull requests stored as open, other than `except`. */
export async function openPullNumbers(sql: Queryable, repoId: number, except: Iterable<number>): Promise<number[]> {
  const rows = await sql<{ number: number }[]>`
    select number from pull_requests
    where repo_id = ${repoId} and state = 'open' and not (number = any(${[...except]}::int[]))`
  return rows.map((r) => r.number)
}

/** An open pull request is never merged (rows the seed wrote defaulted to merged = true). Returns rows fixed. */
export async function unmarkOpenPulls(sql: Queryable, repoIds: number[]): Promise<number> {
  if (repoIds.length === 0) return 0
  const result = await sql`
    update pull_requests set merged = false, merged_at = null
    where repo_id = any(${repoIds}::bigint[]) and state = 'open' and (merged is distinct from false or merged_at is not null)`
  return result.count
}

/** Oldest stored pull request (created_at) per repository that has any. */
export async function oldestPullPerRepository(sql: Queryable, repoIds: number[]): Promise<Map<number, Date>> {
  if (repoIds.length === 0) return new Map()
  const rows = await sql<{ repo_id: string; oldest: string }[]>`
    select repo_id, to_char(min(created_at), 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as oldest
    from pull_requests where repo_id = any(${repoIds}::bigint[])
    group by repo_id`
  return new Map(rows.map((r) => [Number(r.repo_id), new Date(r.oldest)]))
}

/** How many of these pull requests are stored with another `merged` than GitHub's. */
export async function countMergedMismatches(
  sql: Queryable,
  github: readonly { id: number; merged: boolean }[]
): Promise<number> {
  if (github.length === 0) return 0
  const [{ n }] = await sql<{ n: number }[]>`
    select count(*)::int as n from pull_requests p
    join json_to_recordset(${sql.json(github as never)}::json) as g(id bigint, merged boolean) on g.id = p.id
    where p.merged is distinct from g.merged`
  return n
}
