import type { Queryable, Sql } from '../db/connect.js'
import type { IssueLocation } from '../github/transfer-location.js'

/** An issue row the transfers task asks GitHub about. */
export interface HeldRow {
  id: number
  repoId: number | null
  org: string
  repo: string
  number: number
  url: string
}

/** The issue a transferred one became, as far as the seed's transfers columns need it. */
export interface NewIssue {
  id: number
  repoId: number | null
  owner: string
  repo: string
  number: number
  url: string
  htmlUrl: string
}

/** The target of a move, from our own rows (0 requests), if the issues task has it. */
export async function findStoredTarget(sql: Queryable, target: IssueLocation): Promise<NewIssue | undefined> {
  const rows =
    target.form === 'repositories'
      ? await sql<StoredIssue[]>`
          select id, repo_id, org, repo, number, url, html_url from issues
          where repo_id = ${target.repoId} and number = ${target.number}
          order by id desc limit 1`
      : await sql<StoredIssue[]>`
          select i.id, i.repo_id, i.org, i.repo, i.number, i.url, i.html_url from issues i
          left join repositories r on r.id = i.repo_id
          where lower(i.org) = lower(${target.owner}) and i.number = ${target.number}
            and (lower(i.repo) = lower(${target.repo}) or lower(${target.repo}) = any(
                 select lower(n) from unnest(coalesce(r.previous_names, '{}'::varchar[])) n))
          order by i.id desc limit 1`
  const [row] = rows
  if (!row) return undefined
  return {
    id: Number(row.id),
    repoId: row.repo_id === null ? null : Number(row.repo_id),
    owner: row.org,
    repo: row.repo,
    number: row.number,
    url: row.url,
    htmlUrl: row.html_url
  }
}

interface StoredIssue {
  id: string
  repo_id: string | null
  org: string
  repo: string
  number: number
  url: string
  html_url: string
}

/** The probe found nothing new: remember when we asked. */
export async function markChecked(tx: Queryable, ids: number[], now: Date): Promise<void> {
  if (ids.length === 0) return
  await tx`update issues set transfer_checked_at = ${now} where id = any(${ids}::bigint[])`
}

/**
 * 410: deleted. The row and its events stay; deleted_at is when we first saw
 * it, and state 'deleted' keeps it out of the seed's open/closed counts.
 */
export async function markDeleted(tx: Queryable, id: number, now: Date): Promise<void> {
  await tx`
    update issues set deleted_at = coalesce(deleted_at, ${now}), state = 'deleted', transfer_checked_at = ${now}
    where id = ${id}`
}

/**
 * 301 seen: the mapping is stored on the old row at once, so it survives
 * until the new issue is known (from our rows, or one fetch on a later run).
 * Its state changes once the transfer is recorded.
 */
export async function markMoved(tx: Queryable, id: number, location: string, now: Date): Promise<void> {
  await tx`
    update issues set transferred_at = coalesce(transferred_at, ${now}), transferred_to_url = ${location},
      transfer_checked_at = ${now}
    where id = ${id}`
}

/** 404 for an issue of a repository we can read: moved where the token cannot follow. */
export async function recordUnreadable(tx: Queryable, id: number, now: Date): Promise<void> {
  await tx`
    insert into transfers (issue_id, new_issue_id, url, number, repo, title, body, created_at, closed_at, state, org,
      assignee, assignees, labels, "user", username, status, detected_at)
    select id, 0, url, number, repo, title, body, created_at, closed_at, state, org,
      assignee, assignees, labels, "user", username, 'unreadable', ${now}
    from issues where id = ${id}
    on conflict (issue_id, new_issue_id) do nothing`
  await tx`
    update issues set transferred_at = coalesce(transferred_at, ${now}), state = 'transferred',
      transfer_checked_at = ${now}
    where id = ${id}`
}

/**
 * Old → new, with the seed's columns (the old issue's fields as we hold
 * them, the new one's id, repo, number, url and html_url). The old row is
 * kept and points at the new one; an earlier "unreadable" record of the same
 * issue is superseded. `new_repo` is the name inside the org, owner/name
 * outside it.
 */
export async function recordTransfer(
  tx: Queryable,
  oldId: number,
  to: NewIssue,
  location: string | null,
  now: Date
): Promise<boolean> {
  const inserted = await tx`
    insert into transfers (issue_id, new_issue_id, url, number, repo, title, body, created_at, closed_at, state, org,
      assignee, assignees, labels, "user", username, new_repo, new_html_url, new_url, new_number,
      status, new_repo_id, location, detected_at)
    select id, ${to.id}, url, number, repo, title, body, created_at, closed_at,
      -- the state before the move (an earlier 'unreadable' record kept it)
      case when state = 'transferred'
        then (select t.state from transfers t where t.issue_id = issues.id and t.new_issue_id = 0) else state end,
      org, assignee, assignees, labels, "user", username,
      case when lower(org) = lower(${to.owner}) then ${to.repo} else ${`${to.owner}/${to.repo}`} end,
      ${to.htmlUrl}, ${to.url}, ${to.number}, 'moved', ${to.repoId}, ${location}, ${now}
    from issues where id = ${oldId}
    on conflict (issue_id, new_issue_id) do nothing`
  await tx`delete from transfers where issue_id = ${oldId} and new_issue_id = 0`
  await tx`
    update issues set transferred_to_id = ${to.id}, transferred_at = coalesce(transferred_at, ${now}),
      transferred_to_url = coalesce(${location}, transferred_to_url), state = 'transferred',
      transfer_checked_at = ${now}
    where id = ${oldId}`
  return inserted.count > 0
}

/** Old rows whose move is known but whose new issue is not yet (the mapping waits on the row). */
export async function pendingMoves(
  sql: Sql,
  repoIds: number[]
): Promise<(HeldRow & { location: string; transferredAt: Date })[]> {
  const rows = await sql<(HeldRowSql & { transferred_to_url: string; transferred_at: Date })[]>`
    select i.id, i.repo_id, i.org, i.repo, i.number, i.url, i.transferred_to_url, i.transferred_at
    from issues i
    where i.transferred_to_url is not null and i.transferred_to_id is null and i.deleted_at is null
      and i.repo_id = any(${repoIds}::bigint[])
      and not exists (select 1 from transfers t where t.issue_id = i.id)
    order by i.id`
  return rows.map((r) => ({ ...held(r), location: r.transferred_to_url, transferredAt: r.transferred_at }))
}

export interface HeldRowSql {
  id: string
  repo_id: string | null
  org: string
  repo: string
  number: number
  url: string
}

export function held(r: HeldRowSql): HeldRow {
  return {
    id: Number(r.id),
    repoId: r.repo_id === null ? null : Number(r.repo_id),
    org: r.org,
    repo: r.repo,
    number: r.number,
    url: r.url
  }
}
