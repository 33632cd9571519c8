import type { IssueRow, PullRow } from '../github/map-issue.js'
import type { Queryable } from './connect.js'

/** Columns this project writes on both tables (the seed's, plus repo_id). */
const COMMON = [
  'id',
  'repo_id',
  'org',
  'repo',
  'number',
  'title',
  'body',
  'user',
  'username',
  'labels',
  'assignee',
  'assignees',
  'milestone',
  'state',
  'state_reason',
  'locked',
  'active_lock_reason',
  'comments',
  'created_at',
  'updated_at',
  'closed_at',
  'author_association',
  'reactions',
  'performed_via_github_app',
  'url',
  'html_url',
  'node_id',
  'repository_url',
  'labels_url',
  'comments_url',
  'events_url',
  'timeline_url',
  'score'
] as const
const ISSUE_COLUMNS = [...COMMON]
const PULL_COLUMNS = [...COMMON, 'merged', 'merged_at', 'draft', 'pull_request']

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
  mapped: ({ kind: 'issue'; row: IssueRow } | { kind: 'pull'; row: PullRow })[]
): Promise<{ issues: number; pulls: number }> {
  const issues = mapped.flatMap((m) => (m.kind === 'issue' ? [m.row] : []))
  const pulls = mapped.flatMap((m) => (m.kind === 'pull' ? [m.row] : []))
  return { issues: await upsertIssueRows(tx, issues), pulls: await upsertPullRows(tx, pulls) }
}
