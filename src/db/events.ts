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
 * a page shift — so re-reading an unchanged page writes nothing. Returns
 * the rows written.
 */
export async function upsertEventRows(tx: Queryable, rows: readonly PagedEventRow[]): Promise<number> {
  let written = 0
  for (let k = 0; k < rows.length; k += BATCH) {
    const batch = rows.slice(k, k + BATCH)
    const result = await tx`
      insert into events ${tx(batch as never, COLUMNS as unknown as string[])}
      on conflict (id, issue_id) do update set
        repo_id = excluded.repo_id, org = excluded.org, repo = excluded.repo, event = excluded.event,
        body = excluded.body, label = excluded.label, reactions = excluded.reactions, state = excluded.state,
        created_at = excluded.created_at, updated_at = excluded.updated_at, node_id = excluded.node_id,
        "user" = excluded."user", author_association = excluded.author_association,
        username = excluded.username, timeline_page = excluded.timeline_page
      where (events.repo_id, events.org, events.repo, events.event, events.body, events.label, events.reactions,
             events.state, events.created_at, events.updated_at, events.node_id, events."user",
             events.author_association, events.username, events.timeline_page)
        is distinct from
            (excluded.repo_id, excluded.org, excluded.repo, excluded.event, excluded.body, excluded.label,
             excluded.reactions, excluded.state, excluded.created_at, excluded.updated_at, excluded.node_id,
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
