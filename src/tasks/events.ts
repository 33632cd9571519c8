import { countTimelinesBehind, timelinesBehind, type BehindTimeline } from '../db/events.js'
import type { Settings } from '../inputs.js'
import type { Repo } from '../model/repo.js'
import { knowBudget } from './budget.js'
import { STORED_LIST_MAX_AGE_MS, selectRepositories } from './repositories.js'
import { reactionPass } from './reactions.js'
import { syncTimelinesGraphql } from './timelines-graphql.js'
import { syncIssueTimelines } from './timelines.js'
import { tokenMode } from './token-mode.js'
import { restApiBase } from './api-base.js'
import type { Deps, TaskResult } from './types.js'

/** Timelines one run reads at most through GraphQL (100 a point: about 20 points). */
const GRAPHQL_ITEMS_PER_RUN = 2000
/** Timelines one run reads at most through REST (at least a request each). */
const REST_ITEMS_PER_RUN = 300

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
    const pass = await reactionPass(deps, settings, repoIds)
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
