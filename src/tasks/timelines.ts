import type { Tx } from '../db/connect.js'
import {
  deleteVanishedEvents,
  getEventPolls,
  lockIssueTimeline,
  markTimelineStored,
  putEventPolls,
  upsertEventRows
} from '../db/events.js'
import { upsertRepositories } from '../db/repositories.js'
import { mapTimelinePage } from '../github/map-event.js'
import { mapRepository, toRepo } from '../github/map-repo.js'
import { repositoryById } from '../github/repos.js'
import { readTimeline, TIMELINE_MAX_PAGES, wasRead, type TimelineRead } from '../github/timeline.js'
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
  /** Issues skipped: moved (301), deleted (410) or unreadable (404); their "timeline behind" mark stays. */
  skipped: number
  /** Timelines longer than the page cap, stored up to it (and marked stored, so not retried every run). */
  capped: number
  /** The repository was found renamed (a 301 to its id) and walked again under its new name. */
  renamed: number
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
  /** Most pages read per timeline (default TIMELINE_MAX_PAGES: 5,000 items). */
  maxPages?: number
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
    capped: 0,
    renamed: 0,
    stopped: false,
    stored: []
  }
  const conditional = options.conditional ?? true
  let current = repo
  for (const issue of issues) {
    if (options.shouldStop?.()) {
      stats.stopped = true
      break
    }
    let read: TimelineRead | undefined
    for (let attempt = 1; ; attempt++) {
      const polls = await getEventPolls(deps.sql, issue.id)
      const readUnder = (repo: Repo): ReturnType<typeof readTimeline> =>
        readTimeline(
          deps.octokit,
          deps.log,
          repo,
          issue,
          conditional ? polls : new Map(),
          conditional,
          options.maxPages ?? TIMELINE_MAX_PAGES
        )
      let walked = await readUnder(current)
      if (!wasRead(walked) && walked.skipped === 'renamed') {
        // The repository was renamed since it was listed: record the new
        // name (every row keyed by its id follows) and walk again under it.
        const renamed = await refreshRepository(deps, current)
        if (renamed && renamed.name !== current.name) {
          stats.renamed++
          current = renamed
          walked = await readUnder(current)
        }
      }
      // Skipped (moved, gone, or a rename not resolved): nothing is written
      // and its "timeline behind" mark stays, so a later run looks again.
      const walk = wasRead(walked) ? walked : undefined
      read = walk
      const stored = await deps.sql.begin(async (tx) => {
        // Another sync (events and backfill at once) may have stored this
        // issue while we walked it: then our ETags and rows may be older
        // than its, so walk again from what it stored.
        await lockIssueTimeline(tx, issue.id)
        if (!samePolls(polls, await getEventPolls(tx, issue.id)) && attempt < MAX_WALKS) return false
        if (walk) {
          const written = await storeTimeline(tx, current, issue, walk, deps.clock())
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
      if (read.capped) stats.capped++
    } else stats.skipped++
    if (read && read.fetched.size > 0) {
      deps.log.debug(
        `${current.name}#${issue.number}: ${read.fetched.size} page(s) changed, ${read.notModified} unchanged, ` +
          `${read.lastPage} page(s) in all`
      )
    }
  }
  return stats
}

/** The repository as GitHub has it now (`GET /repositories/{id}`), recorded by id; undefined when gone. */
async function refreshRepository(deps: Deps, repo: Repo): Promise<Repo | undefined> {
  const now = await repositoryById(deps.octokit, repo.id)
  if (!now) return undefined
  await deps.sql.begin((tx) => upsertRepositories(tx, repo.org, [mapRepository(repo.org, now)]))
  deps.log.info(`${repo.fullName} was renamed to ${now.full_name}; its rows follow the new name.`)
  return toRepo(repo.org, now)
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
      // A capped walk did not reach the end: rows past it are not known gone.
      afterPage: read.capped ? 2_147_483_647 : read.lastPage,
      keep: [...rows.keys()],
      // Every page re-read (and the last one reached): the rows are the whole timeline.
      everything: !read.capped && read.fetched.size === read.polls.length
    })
    events = await upsertEventRows(tx, [...rows.values()])
  }
  const polls = read.polls.map((p) => ({ ...p, id: issue.id, issue_updated_at: issue.updatedAt }))
  await putEventPolls(tx, issue.id, polls, read.lastPage, now)
  // A capped timeline is marked stored too: reported, not retried every run.
  await markTimelineStored(tx, issue.id, issue.updatedAt)
  return { events, deleted }
}

function samePolls(a: Map<number, EventPollRow>, b: Map<number, EventPollRow>): boolean {
  if (a.size !== b.size) return false
  for (const [page, poll] of a) if (b.get(page)?.etag !== poll.etag) return false
  return true
}
