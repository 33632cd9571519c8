import { saveBackfill } from '../../db/backfill.js'
import { markTimelineStored } from '../../db/events.js'
import { upsertMapped } from '../../db/issues.js'
import { getPage, type Page } from '../../github/conditional.js'
import { mapIssue } from '../../github/map-issue.js'
import { searchWindows } from '../../github/search.js'
import type { GitHubIssue } from '../../github/types.js'
import type { Settings } from '../../inputs.js'
import type { BackfillState } from '../../model/backfill.js'
import type { Repo } from '../../model/repo.js'
import { restApiBase } from '../api-base.js'
import { syncTimelinesGraphql } from '../timelines-graphql.js'
import { syncIssueTimelines } from '../timelines.js'
import type { Deps } from '../types.js'
import type { Progress } from './progress.js'
import { LIST_ROUTE, listingParams, searchQuery } from './route.js'

/** Counts over the whole run. */
export interface BackfillTotals {
  issues: number
  pulls: number
  events: number
  units: number
}

export interface WalkContext {
  readonly deps: Deps
  readonly repo: Repo
  readonly settings: Pick<Settings, 'apiUrl' | 'timelineApi'>
  readonly timelines: boolean
  /** True when spending `cost` more core requests would pass the reserve. */
  readonly budgetLow: (cost?: number) => boolean
  /** True when the GraphQL bucket is down to the reserve. */
  readonly graphqlLow: () => boolean
  readonly progress: Progress
  readonly totals: BackfillTotals
  /** The repository's state; each stored unit replaces it. */
  state: BackfillState
}

/** How a repository's walk ended: all stored, stopped at the budget reserve, or a search GitHub left incomplete. */
export type WalkOutcome = 'done' | 'budget' | 'incomplete'

/**
 * Reads the listing page by page from the stored `next` link (or the first
 * page), storing each page with the link that follows it.
 */
export async function walkListing(ctx: WalkContext, first?: Page<GitHubIssue[]>): Promise<WalkOutcome> {
  const { deps, repo } = ctx
  const until = Date.parse(ctx.state.until)
  const since = Date.parse(ctx.state.since)
  let prefetched = first
  for (;;) {
    let page = prefetched
    prefetched = undefined
    if (!page) {
      if (ctx.budgetLow(1)) return 'budget'
      page = ctx.state.next
        ? await getPage<GitHubIssue[]>(deps.octokit, ctx.state.next)
        : await getPage<GitHubIssue[]>(deps.octokit, LIST_ROUTE, listingParams(repo, ctx.state))
    }
    if (page.notModified) throw new Error(`backfill: unexpected 304 for the issues of ${repo.fullName}`)
    const created = (i: GitHubIssue): number => Date.parse(i.created_at)
    const inRange = page.data.filter((i) => created(i) >= since && created(i) <= until)
    const pastEnd = !page.links.next || page.data.some((i) => created(i) > until)
    const next: BackfillState = {
      ...ctx.state,
      next: pastEnd ? undefined : page.links.next,
      position: inRange.at(-1)?.created_at ?? ctx.state.position,
      units: ctx.state.units + 1,
      stored: ctx.state.stored + inRange.length,
      done: pastEnd
    }
    if (!(await storeUnit(ctx, inRange, next, `page ${next.units}`))) return 'budget'
    if (pastEnd) return 'done'
  }
}

/**
 * Reads search windows over `created` from the stored end of the last one;
 * windows over 1,000 results are split by searchWindows.
 */
export async function walkSearch(ctx: WalkContext): Promise<WalkOutcome> {
  const { deps, repo } = ctx
  const from = new Date(ctx.state.doneTo ?? ctx.state.since)
  const to = new Date(Date.parse(ctx.state.until) + 1)
  for await (const window of searchWindows(deps.octokit, deps.log, {
    query: searchQuery(repo),
    field: 'created',
    from,
    to
  })) {
    // A window GitHub answered incompletely is not checkpointed: the next run asks again.
    if (!window.complete) return 'incomplete'
    const end = Math.min(window.to.getTime(), Date.parse(ctx.state.until))
    const next: BackfillState = {
      ...ctx.state,
      doneTo: window.to.toISOString(),
      position: new Date(end).toISOString(),
      units: ctx.state.units + 1,
      stored: ctx.state.stored + window.items.length
    }
    const label = `window ${window.from.toISOString()}..${window.to.toISOString()}`
    if (!(await storeUnit(ctx, window.items, next, label))) return 'budget'
  }
  const done: BackfillState = { ...ctx.state, position: ctx.state.until, done: true }
  await deps.sql.begin((tx) => saveBackfill(tx, repo.id, done))
  ctx.state = done
  return 'done'
}

/**
 * Stores one page or window: the timelines of its items first (GraphQL
 * batches, or the REST walk with `timeline-api: rest`; each issue in its own
 * transaction), then its rows together with the state that covers them and
 * the "timeline stored" marks of the items whose timeline was just read. A
 * budget stop inside the timelines stores nothing of the unit, so the next
 * run re-reads it.
 */
async function storeUnit(ctx: WalkContext, items: GitHubIssue[], unit: BackfillState, label: string): Promise<boolean> {
  let next = unit
  const { deps, repo, totals } = ctx
  let events = 0
  let stored: { id: number; updatedAt: Date }[] = []
  // With issues turned off the REST timeline answers 410: such a repository's
  // pull requests are read through GraphQL whatever `timeline-api` says.
  const graphql = ctx.settings.timelineApi === 'graphql' || repo.hasIssues === false
  if (ctx.timelines && items.length > 0) {
    const stats = graphql
      ? await syncTimelinesGraphql(
          deps,
          await restApiBase(deps, ctx.settings),
          new Map([[repo.id, repo]]),
          items.map((i) => ({
            id: i.id,
            nodeId: i.node_id ?? null,
            number: i.number,
            repoId: repo.id,
            updatedAt: new Date(i.updated_at),
            isPull: i.pull_request !== undefined
          })),
          { shouldStop: () => ctx.graphqlLow() }
        )
      : await syncIssueTimelines(
          deps,
          repo,
          items.map((i) => ({ id: i.id, number: i.number, updatedAt: new Date(i.updated_at) })),
          { shouldStop: () => ctx.budgetLow(1) }
        )
    if (stats.stopped) return false
    events = stats.events
    stored = stats.stored
    if (graphql) next = { ...next, reactions: 'pending' }
  }
  const mapped = items.map((i) => mapIssue(i, repo))
  const written = await deps.sql.begin(async (tx) => {
    const w = await upsertMapped(tx, mapped)
    for (const s of stored) await markTimelineStored(tx, s.id, s.updatedAt)
    await saveBackfill(tx, repo.id, next)
    return w
  })
  ctx.state = next
  totals.issues += mapped.filter((m) => m.kind === 'issue').length
  totals.pulls += mapped.filter((m) => m.kind === 'pull').length
  totals.events += events
  totals.units++
  deps.log.info(
    `backfill ${repo.name} ${label}: ${items.length} stored (${written.issues + written.pulls} new or changed` +
      `${ctx.timelines ? `, ${events} timeline rows` : ''}); ${next.stored} in all; ` +
      ctx.progress.describe(next.position ? new Date(next.position) : undefined, next.done)
  )
  return true
}
