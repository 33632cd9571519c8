import type { Tx } from '../db/connect.js'
import {
  deleteVanishedEvents,
  getEventPolls,
  lockIssueTimeline,
  markTimelineStored,
  putEventPolls,
  upsertEventRows
} from '../db/events.js'
import { mapTimelinePage } from '../github/map-event.js'
import { readTimeline, type TimelineRead } from '../github/timeline.js'
import type { EventPollRow, PagedEventRow } from '../model/event.js'
import type { TimelineIssue } from '../model/issue.js'
import type { Repo } from '../model/repo.js'
import type { Deps } from './types.js'

/** Walks of one issue when another sync keeps storing it meanwhile; the last one is stored regardless. */
const MAX_WALKS = 3

export interface TimelineStats {
  /** Timeline rows inserted or changed. */
  events: number
  /** Pages answered 200 (billable). */
  pages: number
  /** Pages answered 304 (free). */
  notModified: number
  /** Rows deleted because their item left the timeline (a deleted comment). */
  deleted: number
  /** Issues whose timeline was checked. */
  issues: number
  /** Issues skipped: moved (301), deleted (410) or unreadable (404). */
  skipped: number
  /** True when `shouldStop` ended the walk before every issue was done. */
  stopped: boolean
  /** The issues whose timeline was stored, with the updated_at it was stored at. */
  stored: { id: number; updatedAt: Date }[]
}

export interface TimelineOptions {
  /** Checked before each issue, e.g. the budget reserve; true ends the walk early. */
  shouldStop?: () => boolean
  /**
   * Send the stored page ETags (a stable token: an unchanged page answers
   * 304, free). With a rotating token no stored ETag can match, so pages are
   * read plainly and the walk follows the Link header alone.
   */
  conditional?: boolean
}

/**
 * Fetches or refreshes the timelines of `issues` through the REST timeline
 * endpoint into `events`, one transaction per issue holding its rows, its
 * page ETags and the clearing of its "timeline behind" mark. With a stable
 * token every known page is requested with its stored ETag, so an
 * unchanged timeline costs nothing and a changed one costs one billable
 * request per page that changed or was added; the walk goes past the last
 * known page when it is full, so growth is never missed. The GraphQL batch
 * (timelines-graphql.ts) is the default; this walk serves `timeline-api:
 * rest` and issues GraphQL cannot name (no node id).
 */
export async function syncIssueTimelines(
  deps: Deps,
  repo: Repo,
  issues: readonly TimelineIssue[],
  options: TimelineOptions = {}
): Promise<TimelineStats> {
  const stats: TimelineStats = {
    events: 0,
    pages: 0,
    notModified: 0,
    deleted: 0,
    issues: 0,
    skipped: 0,
    stopped: false,
    stored: []
  }
  const conditional = options.conditional ?? true
  for (const issue of issues) {
    if (options.shouldStop?.()) {
      stats.stopped = true
      break
    }
    let read: TimelineRead | undefined
    for (let attempt = 1; ; attempt++) {
      const polls = await getEventPolls(deps.sql, issue.id)
      read = await readTimeline(deps.octokit, deps.log, repo, issue, conditional ? polls : new Map(), conditional)
      const walk = read
      const stored = await deps.sql.begin(async (tx) => {
        // Another sync (events and backfill at once) may have stored this
        // issue while we walked it: then our ETags and rows may be older
        // than its, so walk again from what it stored.
        await lockIssueTimeline(tx, issue.id)
        if (!samePolls(polls, await getEventPolls(tx, issue.id)) && attempt < MAX_WALKS) return false
        if (walk) {
          const written = await storeTimeline(tx, repo, issue, walk, deps.clock())
          stats.events += written.events
          stats.deleted += written.deleted
          stats.pages += walk.fetched.size
          stats.notModified += walk.notModified
        }
        return true
      })
      if (stored) break
    }
    if (read) {
      stats.issues++
      stats.stored.push({ id: issue.id, updatedAt: issue.updatedAt })
    } else stats.skipped++
    if (read && read.fetched.size > 0) {
      deps.log.debug(
        `${repo.name}#${issue.number}: ${read.fetched.size} page(s) changed, ${read.notModified} unchanged, ` +
          `${read.lastPage} page(s) in all`
      )
    }
  }
  return stats
}

/**
 * Writes one walk: rows of the pages that changed, deletion of rows whose
 * item left those pages (or lies past the new last page), and the page
 * ETags. Rows are keyed across pages, so an item that shifted to another
 * page (a comment before it was deleted) is moved, not lost.
 */
async function storeTimeline(
  tx: Tx,
  repo: Repo,
  issue: TimelineIssue,
  read: TimelineRead,
  now: Date
): Promise<{ events: number; deleted: number }> {
  let events = 0
  let deleted = 0
  if (read.fetched.size > 0) {
    const rows = new Map<string, PagedEventRow>()
    for (const [page, items] of read.fetched) {
      for (const row of mapTimelinePage(items, issue.id, repo)) {
        rows.delete(row.id) // keep Map order = timeline order when an item repeats
        rows.set(row.id, { ...row, timeline_page: page })
      }
    }
    deleted = await deleteVanishedEvents(tx, issue.id, {
      pages: [...read.fetched.keys()],
      afterPage: read.lastPage,
      keep: [...rows.keys()],
      // Every page re-read: the rows are the whole timeline.
      everything: read.fetched.size === read.polls.length
    })
    events = await upsertEventRows(tx, [...rows.values()])
  }
  const polls = read.polls.map((p) => ({ ...p, id: issue.id, issue_updated_at: issue.updatedAt }))
  await putEventPolls(tx, issue.id, polls, read.lastPage, now)
  await markTimelineStored(tx, issue.id, issue.updatedAt)
  return { events, deleted }
}

function samePolls(a: Map<number, EventPollRow>, b: Map<number, EventPollRow>): boolean {
  if (a.size !== b.size) return false
  for (const [page, poll] of a) if (b.get(page)?.etag !== poll.etag) return false
  return true
}
