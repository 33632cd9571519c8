import { EVENT_COLUMNS, type EventPollRow, type PagedEventRow } from '../model/event.js'
import type { TimelineIssue } from '../model/issue.js'
import type { Queryable, Sql, Tx } from './connect.js'

const COLUMNS = [...EVENT_COLUMNS, 'timeline_page'] as const
/** 17 parameters a row; postgres.js allows 65,534 a statement. */
const BATCH = 1000

/**
 * Inserts or updates timeline rows. A row is rewritten only when something
 * stored differs — a comment edit (body, updated_at), a reaction change
 * (reactions, which moves no updated_at on GitHub), a renamed repository,
 * a page shift — so re-reading an unchanged page writes nothing. With
 * `keepReactions` (a read that did not see reaction counts), a stored
 * row's `reactions` stay as they are. Returns the rows written.
 */
export async function upsertEventRows(
  tx: Queryable,
  rows: readonly PagedEventRow[],
  options: { keepReactions?: boolean } = {}
): Promise<number> {
  let written = 0
  const reactions = options.keepReactions ? tx`coalesce(events.reactions, excluded.reactions)` : tx`excluded.reactions`
  for (let k = 0; k < rows.length; k += BATCH) {
    const batch = rows.slice(k, k + BATCH)
    const result = await tx`
      insert into events ${tx(batch as never, COLUMNS as unknown as string[])}
      on conflict (id, issue_id) do update set
        repo_id = excluded.repo_id, org = excluded.org, repo = excluded.repo, event = excluded.event,
        body = excluded.body, label = excluded.label, reactions = ${reactions}, state = excluded.state,
        created_at = excluded.created_at, updated_at = excluded.updated_at, node_id = excluded.node_id,
        "user" = excluded."user", author_association = excluded.author_association,
        username = excluded.username, timeline_page = excluded.timeline_page
      where (events.repo_id, events.org, events.repo, events.event, events.body, events.label, events.reactions,
             events.state, events.created_at, events.updated_at, events.node_id, events."user",
             events.author_association, events.username, events.timeline_page)
        is distinct from
            (excluded.repo_id, excluded.org, excluded.repo, excluded.event, excluded.body, excluded.label,
             ${reactions}, excluded.state, excluded.created_at, excluded.updated_at, excluded.node_id,
             excluded."user", excluded.author_association, excluded.username, excluded.timeline_page)`
    written += result.count
  }
  return written
}

/**
 * Deletes an issue's rows that are no longer on its timeline: those last
 * seen on a page that was just re-read (`pages`) or past the new last page
 * (`afterPage`), whose ids were not among the items just read (`keep`).
 * With `everything`, the whole timeline was just read and any other row of
 * the issue goes, including rows not written by this sync. Returns rows deleted.
 */
export async function deleteVanishedEvents(
  tx: Queryable,
  issueId: number,
  scope: { pages: readonly number[]; afterPage: number; keep: readonly string[]; everything?: boolean }
): Promise<number> {
  const keep = scope.keep as string[]
  const result = scope.everything
    ? await tx`
        delete from events where issue_id = ${issueId} and id <> all(${keep}::bigint[])`
    : await tx`
        delete from events
        where issue_id = ${issueId}
          and (timeline_page = any(${scope.pages as number[]}::int[]) or timeline_page > ${scope.afterPage})
          and id <> all(${keep}::bigint[])`
  return result.count
}

/** The stored polls of an issue's timeline pages, by page number. */
export async function getEventPolls(tx: Queryable, issueId: number): Promise<Map<number, EventPollRow>> {
  const rows = await tx<{ page_no: number; etag: string | null; issue_updated_at: Date; item_count: number | null }[]>`
    select page_no, etag, issue_updated_at, item_count from event_polls where id = ${issueId} order by page_no`
  const polls = new Map<number, EventPollRow>()
  for (const r of rows) {
    polls.set(r.page_no, {
      id: issueId,
      page_no: r.page_no,
      etag: r.etag,
      issue_updated_at: r.issue_updated_at,
      // A seed poll has no count: assume a full page, so the next one is checked.
      item_count: r.item_count ?? 100
    })
  }
  return polls
}

/** Stores the polls of the pages just checked and forgets pages past the last one. */
export async function putEventPolls(
  tx: Queryable,
  issueId: number,
  polls: readonly EventPollRow[],
  lastPage: number,
  now: Date
): Promise<void> {
  if (polls.length > 0) {
    const rows = polls.map((p) => ({ ...p, polled_at: now }))
    await tx`
      insert into event_polls ${tx(rows, 'id', 'page_no', 'etag', 'issue_updated_at', 'item_count', 'polled_at')}
      on conflict (id, page_no) do update set
        etag = excluded.etag, issue_updated_at = excluded.issue_updated_at,
        item_count = excluded.item_count, polled_at = excluded.polled_at`
  }
  await tx`delete from event_polls where id = ${issueId} and page_no > ${lastPage}`
}

/**
 * Serialises syncs of one issue's timeline (events and backfill at once):
 * a transaction-scoped advisory lock on the issue id, held until commit.
 */
export async function lockIssueTimeline(tx: Tx, issueId: number): Promise<void> {
  await tx`select pg_advisory_xact_lock(${issueId}::bigint)`
}

/** Whether any issue or pull request of the repository is stored. */
export async function hasStoredIssues(sql: Sql, repoId: number): Promise<boolean> {
  const [row] = await sql<{ any: boolean }[]>`
    select exists (select 1 from issues where repo_id = ${repoId})
        or exists (select 1 from pull_requests where repo_id = ${repoId}) as any`
  return row.any
}

/** Issues and pull requests (by issue id) updated at or after `since`, oldest first. */
export async function issuesUpdatedSince(sql: Sql, repoId: number, since: Date): Promise<TimelineIssue[]> {
  const rows = await sql<{ id: string; number: number; updated_at: Date }[]>`
    select id, number, updated_at from issues where repo_id = ${repoId} and updated_at >= ${since}
    union
    select id, number, updated_at from pull_requests where repo_id = ${repoId} and updated_at >= ${since}
    order by updated_at, id`
  return rows.map((r) => ({ id: Number(r.id), number: r.number, updatedAt: r.updated_at }))
}

/** A timeline that is behind: its item's updated_at moved since its timeline was last stored. */
export interface BehindTimeline {
  id: number
  nodeId: string | null
  number: number
  repoId: number
  updatedAt: Date
  isPull: boolean
}

/**
 * Issues and pull requests of the repositories whose timeline is behind
 * (updated_at later than timeline_updated_at, or never stored), newest
 * first, at most `limit`. Items known to be transferred away or deleted are
 * left to the transfers task. `since` keeps only items updated from then on.
 */
export async function timelinesBehind(
  sql: Queryable,
  repoIds: number[],
  limit: number,
  since?: Date
): Promise<BehindTimeline[]> {
  if (repoIds.length === 0) return []
  const rows = await sql<
    { id: string; node_id: string | null; number: number; repo_id: string; updated_at: Date; is_pull: boolean }[]
  >`
    select * from (
      select id, node_id, number, repo_id, updated_at, false as is_pull from issues
      where repo_id = any(${repoIds}::bigint[])
        and (timeline_updated_at is null or updated_at > timeline_updated_at)
        and coalesce(state, '') not in ('transferred', 'deleted')
        and (${since ?? null}::timestamp is null or updated_at >= ${since ?? null}::timestamp)
      union all
      select id, node_id, number, repo_id, updated_at, true as is_pull from pull_requests
      where repo_id = any(${repoIds}::bigint[])
        and (timeline_updated_at is null or updated_at > timeline_updated_at)
        and (${since ?? null}::timestamp is null or updated_at >= ${since ?? null}::timestamp)
    ) behind
    order by updated_at desc, id desc
    limit ${limit}`
  return rows.map((r) => ({
    id: Number(r.id),
    nodeId: r.node_id,
    number: r.number,
    repoId: Number(r.repo_id),
    updatedAt: r.updated_at,
    isPull: r.is_pull
  }))
}

/** How many timelines of the repositories are behind (for the report of what is left). */
export async function countTimelinesBehind(sql: Queryable, repoIds: number[]): Promise<number> {
  if (repoIds.length === 0) return 0
  const [{ n }] = await sql<{ n: number }[]>`
    select (select count(*) from issues where repo_id = any(${repoIds}::bigint[])
              and (timeline_updated_at is null or updated_at > timeline_updated_at)
              and coalesce(state, '') not in ('transferred', 'deleted'))::int
         + (select count(*) from pull_requests where repo_id = any(${repoIds}::bigint[])
              and (timeline_updated_at is null or updated_at > timeline_updated_at))::int as n`
  return n
}

/**
 * Clears an item's "timeline behind" mark: its timeline as of `updatedAt`
 * (the item's updated_at when the read began) is stored. Never moves the
 * mark back, and leaves the item behind if it changed again meanwhile.
 */
export async function markTimelineStored(tx: Queryable, issueId: number, updatedAt: Date): Promise<void> {
  await tx`
    update issues set timeline_updated_at = greatest(timeline_updated_at, ${updatedAt}::timestamp)
    where id = ${issueId} and timeline_updated_at is distinct from greatest(timeline_updated_at, ${updatedAt}::timestamp)`
  await tx`
    update pull_requests set timeline_updated_at = greatest(timeline_updated_at, ${updatedAt}::timestamp)
    where id = ${issueId} and timeline_updated_at is distinct from greatest(timeline_updated_at, ${updatedAt}::timestamp)`
}

/** A stored comment whose reaction counts are to be read. */
export interface CommentRef {
  id: string
  nodeId: string
  org: string
  repo: string
}

/**
 * Comments of the repositories stored without reaction counts (read
 * through GraphQL, which leaves them unknown), oldest first — or, with
 * `writtenSince`, every comment written since then (the periodic refresh:
 * no documented updated_at moves with a reaction, and reactions come mostly
 * in a comment's first days).
 */
export async function commentsForReactions(
  sql: Queryable,
  repoIds: number[],
  limit: number,
  writtenSince?: Date
): Promise<CommentRef[]> {
  if (repoIds.length === 0 || limit <= 0) return []
  const rows = writtenSince
    ? await sql<{ id: string; node_id: string; org: string; repo: string }[]>`
        select distinct on (e.id) e.id, e.node_id, e.org, e.repo from events e
        where e.event = 'commented' and e.node_id is not null and e.repo_id = any(${repoIds}::bigint[])
          and e.created_at >= ${writtenSince}::timestamp
        order by e.id limit ${limit}`
    : await sql<{ id: string; node_id: string; org: string; repo: string }[]>`
        select distinct on (e.id) e.id, e.node_id, e.org, e.repo from events e
        where e.event = 'commented' and e.reactions is null and e.node_id is not null
          and e.repo_id = any(${repoIds}::bigint[])
        order by e.id limit ${limit}`
  return rows.map((r) => ({ id: r.id, nodeId: r.node_id, org: r.org, repo: r.repo }))
}

/** Stores comments' reaction rollups on every row of each comment (a transferred one has two). */
export async function storeCommentReactions(
  tx: Queryable,
  reactions: readonly { id: string; reactions: Record<string, unknown> }[]
): Promise<number> {
  if (reactions.length === 0) return 0
  const result = await tx`
    update events e set reactions = r.reactions
    from json_to_recordset(${tx.json(reactions as never)}::json) as r(id bigint, reactions jsonb)
    where e.id = r.id and e.event = 'commented' and e.reactions is distinct from r.reactions`
  return result.count
}

/**
 * Comments whose node no longer resolves were deleted (or moved with a
 * transfer): mark their items' timelines behind, so the next timeline read
 * deletes (or re-files) their rows.
 */
export async function markCommentsItemsBehind(tx: Queryable, commentIds: readonly string[]): Promise<void> {
  if (commentIds.length === 0) return
  const ids = commentIds as string[]
  await tx`
    update issues set timeline_updated_at = null
    where id in (select issue_id from events where event = 'commented' and id = any(${ids}::bigint[]))`
  await tx`
    update pull_requests set timeline_updated_at = null
    where id in (select issue_id from events where event = 'commented' and id = any(${ids}::bigint[]))`
}

/** The next `limit` stored comments after `afterId` (by id), for the rolling reaction sweep. */
export async function commentsAfter(
  sql: Queryable,
  repoIds: number[],
  afterId: string | undefined,
  limit: number
): Promise<CommentRef[]> {
  if (repoIds.length === 0 || limit <= 0) return []
  const rows = await sql<{ id: string; node_id: string; org: string; repo: string }[]>`
    select distinct on (e.id) e.id, e.node_id, e.org, e.repo from events e
    where e.event = 'commented' and e.node_id is not null and e.repo_id = any(${repoIds}::bigint[])
      and e.id > ${afterId ?? '-9223372036854775808'}::bigint
    order by e.id limit ${limit}`
  return rows.map((r) => ({ id: r.id, nodeId: r.node_id, org: r.org, repo: r.repo }))
}

/** How many comments of the repositories are stored. */
export async function countComments(sql: Queryable, repoIds: number[]): Promise<number> {
  if (repoIds.length === 0) return 0
  const [{ n }] = await sql<{ n: number }[]>`
    select count(distinct id)::int as n from events where event = 'commented' and repo_id = any(${repoIds}::bigint[])`
  return n
}
