import { getCursor, setCursor } from '../db/cursors.js'
import {
  commentsAfter,
  commentsForReactions,
  countComments,
  countTimelinesBehind,
  timelinesBehind,
  type BehindTimeline
} from '../db/events.js'
import type { Settings } from '../inputs.js'
import { CURSORS } from '../model/cursor.js'
import type { Repo } from '../model/repo.js'
import { knowBudget } from './budget.js'
import { STORED_LIST_MAX_AGE_MS, selectRepositories } from './repositories.js'
import { REACTIONS_PER_QUERY } from '../github/graphql-timeline.js'
import { settleReactions, syncTimelinesGraphql } from './timelines-graphql.js'
import { syncIssueTimelines } from './timelines.js'
import { tokenMode } from './token-mode.js'
import { restApiBase } from './api-base.js'
import type { Deps, TaskResult } from './types.js'

/** Timelines one run reads at most through GraphQL (100 a point: about 20 points). */
const GRAPHQL_ITEMS_PER_RUN = 2000
/** Timelines one run reads at most through REST (at least a request each). */
const REST_ITEMS_PER_RUN = 300
/** How often comments' reaction counts are read again. */
const REACTIONS_EVERY_MS = 24 * 3600 * 1000
/** The rolling reaction sweep reads every stored comment once in this many days. */
const SWEEP_DAYS = 30
/** Comments written this recently are re-read by the daily reaction pass. */
const REACTIONS_WINDOW_MS = 7 * 24 * 3600 * 1000

/**
 * `events`: the timelines whose item changed since they were stored. An
 * issue or pull request is "timeline behind" while its updated_at is later
 * than the updated_at its timeline was stored at — whichever task moved it
 * (issues, pulls, unmerged, daily, transfers, backfill), so no item stored
 * late is passed over, and no cursor can skip one. The task reads those
 * timelines, newest first, through GraphQL (100 a query, 1 point; the
 * default) or the REST timeline endpoint (`timeline-api: rest`), and clears
 * each mark in the transaction that stores its rows. A run that stops (the
 * budget reserve, a failure) leaves the rest behind for the next run.
 */
export async function runEvents(deps: Deps, settings: Settings): Promise<TaskResult> {
  const repos = await selectRepositories(deps, settings, { maxAgeMs: STORED_LIST_MAX_AGE_MS })
  const byId = new Map(repos.map((r) => [r.id, r]))
  const repoIds = [...byId.keys()]
  const graphql = settings.timelineApi === 'graphql'
  const limit = graphql ? GRAPHQL_ITEMS_PER_RUN : REST_ITEMS_PER_RUN
  const behind = await timelinesBehind(deps.sql, repoIds, limit, settings.since)
  const counts = {
    repositories: repos.length,
    behind: behind.length,
    issues: 0,
    events: 0,
    deleted: 0,
    skipped: 0,
    capped: 0,
    reactions: 0
  }
  if (behind.length === 0)
    deps.log.info(`events: every stored timeline of the ${repos.length} repositories is current.`)
  let stopped = false
  // With `timeline-api: rest`, items of repositories whose issues are turned
  // off still take GraphQL: their REST timeline answers 410 ("Issues are
  // disabled for this repo"), their pull requests' timelineItems do not.
  const issuesOff = (i: BehindTimeline): boolean => byId.get(i.repoId)?.hasIssues === false && !!i.nodeId
  const viaGraphql = graphql ? behind : behind.filter(issuesOff)
  let rest: BehindTimeline[] = graphql ? behind : behind.filter((i) => !issuesOff(i))
  if (viaGraphql.length > 0) await knowBudget(deps, 'graphql')
  if (graphql || viaGraphql.length > 0) {
    const stats = await syncTimelinesGraphql(deps, await restApiBase(deps, settings), byId, viaGraphql, {
      shouldStop: () => deps.meter.remaining('graphql') <= settings.budgetReserve,
      // The REST path has no reaction pass: read the counts of what GraphQL stored now.
      settleReactions: !graphql
    })
    counts.issues += stats.issues
    counts.events += stats.events
    counts.deleted += stats.deleted
    counts.skipped += stats.skipped
    counts.reactions += stats.reactions
    counts.capped += stats.capped
    Object.assign(counts, { queries: stats.queries })
    stopped = stats.stopped
    // Items GraphQL cannot name (rows without a node id, e.g. from an old import) take the REST walk.
    if (graphql) rest = behind.filter((i) => !i.nodeId)
  }
  if (!stopped && rest.length > 0) {
    const conditional = (await tokenMode(deps)) === 'stable'
    const pages = { pages: 0, notModified: 0 }
    for (const [repo, issues] of byRepository(rest, byId)) {
      const stats = await syncIssueTimelines(deps, repo, issues, {
        conditional,
        shouldStop: () => deps.meter.remaining('core') <= settings.budgetReserve
      })
      counts.issues += stats.issues
      counts.events += stats.events
      counts.deleted += stats.deleted
      counts.skipped += stats.skipped
      counts.capped += stats.capped
      pages.pages += stats.pages
      pages.notModified += stats.notModified
      if (stats.stopped) {
        stopped = true
        break
      }
    }
    Object.assign(counts, pages)
  }
  if (graphql && !stopped) {
    const pass = await reactionPass(deps, settings, repoIds, counts.reactions)
    counts.reactions += pass.changed
    stopped = pass.stopped
  }
  const left = await countTimelinesBehind(deps.sql, repoIds)
  deps.log.info(
    `events: ${counts.issues} timeline(s) stored (${counts.events} rows written, ${counts.deleted} deleted)` +
      (counts.skipped ? `, ${counts.skipped} skipped (moved or gone)` : '') +
      (counts.capped ? `, ${counts.capped} longer than the page cap (stored up to it)` : '') +
      `; ${left} still behind`
  )
  if (!stopped && behind.length < limit) return { counts }
  if (left === 0) return { counts }
  return {
    counts,
    incomplete: true,
    remaining: stopped
      ? `${left} timeline(s) behind: stopped at the budget reserve (${settings.budgetReserve}); the next run continues.`
      : `${left} timeline(s) behind: more than one run reads (${limit}); the next run continues.`
  }
}

function byRepository(items: readonly BehindTimeline[], repos: ReadonlyMap<number, Repo>): Map<Repo, BehindTimeline[]> {
  const out = new Map<Repo, BehindTimeline[]>()
  for (const item of items) {
    const repo = repos.get(item.repoId)
    if (!repo) continue
    const list = out.get(repo) ?? []
    list.push(item)
    out.set(repo, list)
  }
  return out
}

/**
 * Comments' reaction counts, which GitHub's GraphQL timeline read leaves
 * out (a connection per item would multiply its price by 100). Counts still
 * unknown ride along with the next timeline query for free. Once a day this
 * pass reads, 100 comments a point: the counts still unknown, every comment
 * written in the last 7 days (reactions come mostly in a comment's first
 * days), and the next slice of a rolling sweep over all stored comments — a
 * 30th of them, at least 100 — so that a reaction on any comment is seen
 * within 30 days, on a recent one within a day. GitHub does not document
 * that a reaction moves any updated_at, so nothing else would notice one.
 */
async function reactionPass(
  deps: Deps,
  settings: Settings,
  repoIds: number[],
  _changed: number
): Promise<{ changed: number; stopped: boolean }> {
  const cursor = await getCursor(deps.sql, CURSORS.reactions, 0)
  const now = deps.clock()
  const apiBase = await restApiBase(deps, settings)
  const shouldStop = (): boolean => deps.meter.remaining('graphql') <= settings.budgetReserve
  if (cursor.highWater && now.getTime() - cursor.highWater.getTime() < REACTIONS_EVERY_MS) {
    // Not due: only a full point's worth of unknown counts (a first sync, a backfill) is read now.
    const unknown = await commentsForReactions(deps.sql, repoIds, REACTIONS_PER_QUERY)
    if (unknown.length < REACTIONS_PER_QUERY) return { changed: 0, stopped: false }
    await knowBudget(deps, 'graphql')
    const settled = await settleReactions(deps, apiBase, repoIds, shouldStop)
    return { changed: settled.changed, stopped: settled.stopped }
  }
  await knowBudget(deps, 'graphql')
  const unknown = await settleReactions(deps, apiBase, repoIds, shouldStop)
  const recent = await commentsForReactions(deps.sql, repoIds, 100_000, new Date(now.getTime() - REACTIONS_WINDOW_MS))
  const sweepAfter = (cursor.state as { sweepAfter?: string }).sweepAfter
  const slice = Math.max(REACTIONS_PER_QUERY, Math.ceil((await countComments(deps.sql, repoIds)) / SWEEP_DAYS))
  let sweep = await commentsAfter(deps.sql, repoIds, sweepAfter, slice)
  if (sweep.length < slice)
    sweep = [...sweep, ...(await commentsAfter(deps.sql, repoIds, undefined, slice - sweep.length))]
  const seen = new Set(recent.map((c) => c.id))
  const queue = [...recent, ...sweep.filter((c) => !seen.has(c.id))]
  const refreshed = unknown.stopped
    ? { changed: 0, queries: 0, stopped: true }
    : await settleReactions(deps, apiBase, repoIds, shouldStop, queue)
  const stopped = unknown.stopped || refreshed.stopped
  if (!stopped) {
    const next = sweep.length > 0 ? sweep[sweep.length - 1].id : undefined
    await setCursor(deps.sql, CURSORS.reactions, 0, { highWater: now, state: next ? { sweepAfter: next } : {} })
  }
  deps.log.info(
    `events: reaction counts read for ${recent.length} recent comment(s), ${sweep.length} of the rolling sweep ` +
      `and those stored without; ${unknown.changed + refreshed.changed} row(s) changed`
  )
  return { changed: unknown.changed + refreshed.changed, stopped }
}
