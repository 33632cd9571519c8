import type { BehindTimeline, CommentRef } from '../db/events.js'
import {
  commentsForReactions,
  deleteVanishedEvents,
  lockIssueTimeline,
  markCommentsItemsBehind,
  markTimelineStored,
  storeCommentReactions,
  upsertEventRows
} from '../db/events.js'
import {
  fetchReactions,
  fetchTimelines,
  REACTIONS_WITH_TIMELINES,
  TIMELINE_PAGE,
  TIMELINES_PER_QUERY,
  type CommentReactions,
  type FetchedTimeline
} from '../github/graphql-timeline.js'
import { mapGraphqlTimelineItem, reactionRollup } from '../github/map-graphql-event.js'
import type { PagedEventRow } from '../model/event.js'
import type { Repo } from '../model/repo.js'
import type { Deps } from './types.js'

export interface GraphqlTimelineStats {
  /** Timelines stored. */
  issues: number
  /** Timeline rows inserted or changed. */
  events: number
  /** Rows deleted because their item left the timeline (a deleted comment). */
  deleted: number
  /** GraphQL queries sent. */
  queries: number
  /** Items whose node no longer resolves (deleted, moved, unreadable): left to the transfers task. */
  skipped: number
  /** Timelines stored only up to the page cap. */
  capped: number
  /** Comment rows whose reaction counts were read and changed. */
  reactions: number
  /** `shouldStop` ended the sync before every item was done. */
  stopped: boolean
  /** The items whose timeline was stored, with the updated_at it was stored at. */
  stored: { id: number; updatedAt: Date }[]
}

export interface GraphqlTimelineOptions {
  /** Checked before each query (the GraphQL budget reserve); true stops cleanly. */
  shouldStop?: () => boolean
  /** Most pages read per timeline (100 items a page). */
  maxPages?: number
  /**
   * After the timelines, read the reaction counts still unknown (comments
   * this sync stored) in queries of their own; otherwise they ride along with
   * a later run's timeline query at no extra point.
   */
  settleReactions?: boolean
}

/**
 * Stores the timelines of `items` read through GitHub's GraphQL API: up to
 * 100 issues and pull requests per query by node id, whole timelines (one
 * more query per round of 100 more items for the longer ones). 100
 * `timelineItems(first: 100)` connections cost 1 point, where the REST
 * timeline costs one request per issue and page. Each item is written in
 * its own transaction: its rows (mapped to exactly the rows the REST walk
 * writes), the deletion of rows no longer on its timeline (a deleted
 * comment), and the clearing of its "timeline behind" mark at the
 * updated_at it had when the read began — so an item changed meanwhile stays
 * behind, and a run that dies half-way leaves the rest behind for the next.
 *
 * Comments' reaction counts are not part of a timeline read (they would
 * cost a connection per item); the same query carries the reactions of up
 * to 49 comments stored without them, which keeps it at 1 point.
 */
export async function syncTimelinesGraphql(
  deps: Deps,
  apiUrl: string,
  repos: ReadonlyMap<number, Repo>,
  items: readonly BehindTimeline[],
  options: GraphqlTimelineOptions = {}
): Promise<GraphqlTimelineStats> {
  const stats: GraphqlTimelineStats = {
    issues: 0,
    events: 0,
    deleted: 0,
    queries: 0,
    skipped: 0,
    capped: 0,
    reactions: 0,
    stopped: false,
    stored: []
  }
  const repoIds = [...repos.keys()]
  for (let k = 0; k < items.length; k += TIMELINES_PER_QUERY) {
    if (options.shouldStop?.()) {
      stats.stopped = true
      break
    }
    const batch = items.slice(k, k + TIMELINES_PER_QUERY).filter((i) => i.nodeId)
    const pending = await commentsForReactions(deps.sql, repoIds, REACTIONS_WITH_TIMELINES)
    const before = deps.meter.snapshot().graphqlRequests
    const fetched = await fetchTimelines(
      deps.octokit,
      deps.meter,
      deps.log,
      batch.map((i) => ({ nodeId: i.nodeId as string, isPull: i.isPull })),
      { maxPages: options.maxPages, shouldStop: options.shouldStop, reactionsFor: pending.map((c) => c.nodeId) }
    )
    stats.queries += deps.meter.snapshot().graphqlRequests - before
    stats.reactions += await storeReactions(deps, apiUrl, pending, fetched.reactions)
    for (const item of batch) {
      const repo = repos.get(item.repoId)
      const timeline = fetched.timelines.get(item.nodeId as string)
      if (!repo || !timeline) continue
      if (!timeline.found) {
        stats.skipped++
        deps.log.warning(
          `${repo.name}#${item.number}: its node no longer resolves (deleted, transferred or unreadable); ` +
            'left to the transfers task.'
        )
        continue
      }
      const written = await storeItem(deps, apiUrl, repo, item, timeline)
      stats.issues++
      stats.events += written.events
      stats.deleted += written.deleted
      if (timeline.stopped) stats.stopped = true
      else {
        stats.stored.push({ id: item.id, updatedAt: item.updatedAt })
        if (!timeline.complete) stats.capped++
      }
    }
  }
  if (options.settleReactions && !stats.stopped) {
    const reacted = await settleReactions(deps, apiUrl, repoIds, options.shouldStop)
    stats.reactions += reacted.changed
    stats.queries += reacted.queries
    stats.stopped ||= reacted.stopped
  }
  return stats
}

/**
 * Reads the reaction counts of `comments` (or, without, of every comment
 * stored without them), 100 comments a point, and stores them.
 */
export async function settleReactions(
  deps: Deps,
  apiUrl: string,
  repoIds: number[],
  shouldStop?: () => boolean,
  comments?: readonly CommentRef[]
): Promise<{ changed: number; queries: number; stopped: boolean }> {
  const result = { changed: 0, queries: 0, stopped: false }
  let queue = comments ? [...comments] : undefined
  for (;;) {
    const batch = queue ? queue.splice(0, 100) : await commentsForReactions(deps.sql, repoIds, 100)
    if (batch.length === 0) return result
    if (shouldStop?.()) {
      result.stopped = true
      return result
    }
    const before = deps.meter.snapshot().graphqlRequests
    const read = await fetchReactions(
      deps.octokit,
      deps.meter,
      batch.map((c) => c.nodeId)
    )
    result.queries += deps.meter.snapshot().graphqlRequests - before
    result.changed += await storeReactions(deps, apiUrl, batch, read)
    // Gone comments are now left to their timelines' next read; without a
    // queue they stay unknown, so stop rather than ask for them again.
    if (!queue && batch.every((c) => read.get(c.nodeId) === 'gone')) queue = []
  }
}

async function storeReactions(
  deps: Deps,
  apiUrl: string,
  comments: readonly CommentRef[],
  read: ReadonlyMap<string, CommentReactions>
): Promise<number> {
  const rows: { id: string; reactions: Record<string, unknown> }[] = []
  const gone: string[] = []
  for (const c of comments) {
    const r = read.get(c.nodeId)
    if (!r) continue
    if (r === 'gone') gone.push(c.id)
    else rows.push({ id: c.id, reactions: reactionRollup(apiUrl, { org: c.org, name: c.repo }, c.id, r.counts) })
  }
  if (rows.length === 0 && gone.length === 0) return 0
  return deps.sql.begin(async (tx) => {
    await markCommentsItemsBehind(tx, gone)
    return storeCommentReactions(tx, rows)
  })
}

async function storeItem(
  deps: Deps,
  apiUrl: string,
  repo: Repo,
  item: BehindTimeline,
  timeline: Extract<FetchedTimeline, { found: true }>
): Promise<{ events: number; deleted: number }> {
  const rows = new Map<string, PagedEventRow>()
  timeline.items.forEach((node, position) => {
    const row = mapGraphqlTimelineItem(node, item.id, repo, apiUrl)
    if (!row) return
    rows.delete(row.id) // keep timeline order when a key repeats
    rows.set(row.id, { ...row, timeline_page: Math.floor(position / TIMELINE_PAGE) + 1 })
  })
  return deps.sql.begin(async (tx) => {
    await lockIssueTimeline(tx, item.id)
    // Only a whole timeline says what is gone; a capped or stopped one only adds.
    const deleted = timeline.complete
      ? await deleteVanishedEvents(tx, item.id, { pages: [], afterPage: 0, keep: [...rows.keys()], everything: true })
      : 0
    const events = await upsertEventRows(tx, [...rows.values()], { keepReactions: true })
    // A capped timeline is marked stored too (reported, not retried every
    // run); one stopped by the budget stays behind and is read again.
    if (!timeline.stopped) await markTimelineStored(tx, item.id, item.updatedAt)
    return { events, deleted }
  })
}
