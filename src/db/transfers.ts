import type { HeldRow, IssueLocation, NewIssue, PendingMove, TransferCandidate } from '../model/transfer.js'
import type { Queryable } from './connect.js'

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
export async function pendingMoves(sql: Queryable, repoIds: number[]): Promise<PendingMove[]> {
  const rows = await sql<(HeldRowSql & { transferred_to_url: string; transferred_at: Date })[]>`
    select i.id, i.repo_id, i.org, i.repo, i.number, i.url, i.transferred_to_url, i.transferred_at
    from issues i
    where i.transferred_to_url is not null and i.transferred_to_id is null and i.deleted_at is null
      and i.repo_id = any(${repoIds}::bigint[])
      and not exists (select 1 from transfers t where t.issue_id = i.id)
    order by i.id`
  return rows.map((r) => ({ ...held(r), location: r.transferred_to_url, transferredAt: r.transferred_at }))
}

interface HeldRowSql {
  id: string
  repo_id: string | null
  org: string
  repo: string
  number: number
  url: string
}

function held(r: HeldRowSql): HeldRow {
  return {
    id: Number(r.id),
    repoId: r.repo_id === null ? null : Number(r.repo_id),
    org: r.org,
    repo: r.repo,
    number: r.number,
    url: r.url
  }
}

/**
 * Candidates for a transfer or deletion check, from our rows only:
 * - timeline: an issue holding a `transferred` item (written by the events
 *   task) has an older twin — same author, same created_at, which a transfer
 *   keeps — not yet checked since that item;
 * - duplicate: the seed's heuristic, a username + created_at group of two or
 *   more unmarked issues that gained a member not yet checked; every member
 *   but the newest (a transfer's target has the higher id) is asked once;
 * Only issues of the selected repositories are candidates; each appears once.
 */
export async function findTransferCandidates(sql: Queryable, repoIds: number[]): Promise<TransferCandidate[]> {
  const timeline = await sql<HeldRowSql[]>`
    select distinct o.id, o.repo_id, o.org, o.repo, o.number, o.url
    from events e
    join issues n on n.id = e.issue_id
    join issues o on o.username = n.username and o.created_at = n.created_at and o.id < n.id
    where e.event = 'transferred'
      and o.repo_id = any(${repoIds}::bigint[])
      and o.transferred_at is null and o.deleted_at is null
      and (o.transfer_checked_at is null or o.transfer_checked_at < e.created_at)
      and not exists (select 1 from transfers t where t.new_issue_id = n.id)
    order by o.id`
  const duplicates = await sql<(HeldRowSql & { newest: string })[]>`
    with unmarked as (
      select id, repo_id, org, repo, number, url, username, created_at, transfer_checked_at
      from issues where transferred_at is null and deleted_at is null and created_at is not null
    ), dirty as (
      select username, created_at, max(id) as newest from unmarked
      group by username, created_at
      having count(*) > 1 and bool_or(transfer_checked_at is null)
    )
    select u.id, u.repo_id, u.org, u.repo, u.number, u.url, d.newest
    from unmarked u join dirty d on d.username = u.username and d.created_at = u.created_at
    where u.id < d.newest and u.repo_id = any(${repoIds}::bigint[])
    order by u.id`
  const byId = new Map<number, TransferCandidate>()
  const add = (r: HeldRowSql, signal: TransferCandidate['signal'], newest?: string): void => {
    const known = byId.get(Number(r.id))
    // A candidate found twice keeps its first signal and its duplicate group.
    if (known) known.newest ??= newest === undefined ? undefined : Number(newest)
    else byId.set(Number(r.id), { ...held(r), signal, ...(newest ? { newest: Number(newest) } : {}) })
  }
  for (const r of timeline) add(r, 'timeline')
  for (const r of duplicates) add(r, 'duplicate', r.newest)
  return [...byId.values()]
}

/** Marks the newest issue of each settled duplicate group checked (until another issue joins it). */
export async function markNewestChecked(tx: Queryable, newestIds: number[], now: Date): Promise<void> {
  if (newestIds.length === 0) return
  await tx`
    update issues set transfer_checked_at = ${now}
    where id = any(${newestIds}::bigint[]) and transfer_checked_at is null`
}

/** Issues held as open in the repository that are not among `listed` (ids of its open-issue listing). */
export async function openIssuesNotListed(sql: Queryable, repoId: number, listed: number[]): Promise<HeldRow[]> {
  const rows = await sql<HeldRowSql[]>`
    select id, repo_id, org, repo, number, url from issues
    where repo_id = ${repoId} and state = 'open' and transferred_at is null and deleted_at is null
      and not (id = any(${listed}::bigint[]))
    order by id`
  return rows.map(held)
}

/**
 * Issues we hold in a repository (open or closed, not known moved or
 * deleted, created before `listedFrom`) whose ids a complete listing of its
 * issues did not show: deleted, transferred or no longer readable.
 */
export async function issuesNotListed(
  sql: Queryable,
  repoId: number,
  listed: number[],
  listedFrom: Date
): Promise<HeldRow[]> {
  const rows = await sql<HeldRowSql[]>`
    select id, repo_id, org, repo, number, url from issues
    where repo_id = ${repoId} and transferred_at is null and deleted_at is null
      and coalesce(state, '') not in ('transferred', 'deleted')
      and created_at < ${listedFrom}::timestamp
      and not (id = any(${listed}::bigint[]))
    order by id`
  return rows.map(held)
}
