import { hasUnfinishedBackfill, loadBackfill, saveBackfill } from '../db/backfill.js'
import type { Settings } from '../inputs.js'
import type { BackfillState } from '../model/backfill.js'
import type { Repo } from '../model/repo.js'
import { planRepository } from './backfill/plan.js'
import { Progress } from './backfill/progress.js'
import { chooseRoute } from './backfill/route.js'
import { walkListing, walkSearch, type BackfillTotals, type WalkContext, type WalkOutcome } from './backfill/walk.js'
import { knowBudget } from './budget.js'
import { selectRepositories } from './repositories.js'
import { settleReactions } from './timelines-graphql.js'
import type { Deps, TaskResult } from './types.js'

/**
 * `backfill`: issues and pull requests created between `since` and `until`
 * (default: now), with their timelines unless `backfill-timelines` is off.
 *
 * Per repository it reads the cheaper route (the issues listing or search
 * windows, see chooseRoute) and checkpoints after every page or window, in
 * the transaction that stored its rows; so a run that is killed, or stops at
 * the budget reserve, is continued by the next run — one with the same
 * `since`, or one with no `since` at all (the scheduled continuation) — and
 * ends with the same database as an uninterrupted backfill. It stops before
 * the core rate limit's remaining requests fall under `budget-reserve`, and
 * reports itself incomplete with what is left.
 */
export async function runBackfill(deps: Deps, settings: Settings): Promise<TaskResult> {
  const { log, clock } = deps
  const totals: BackfillTotals = { issues: 0, pulls: 0, events: 0, units: 0 }
  const counts = (repositories: number, finished: number): Record<string, number> => ({
    repositories,
    finished,
    ...totals
  })
  if (!settings.since && !(await hasUnfinishedBackfill(deps.sql))) {
    log.info('backfill: no unfinished backfill to continue; pass since (and until) to start one.')
    return { counts: counts(0, 0) }
  }

  const now = clock()
  const repos = await selectRepositories(deps, settings)
  const budgetLow = (cost = 1): boolean => deps.meter.remaining('core') - cost < settings.budgetReserve
  const unfinished: { repo: Repo; state: BackfillState }[] = []
  let worked = 0
  let finished = 0
  let stopped = false

  // Record every repository's plan first, so a continuation (a run without
  // since) finds the repositories this run never reaches as well.
  const plans: { repo: Repo; state: BackfillState }[] = []
  await deps.sql.begin(async (tx) => {
    for (const repo of repos) {
      const stored = await loadBackfill(tx, repo.id)
      const state = planRepository(stored, settings.since, settings.until, now, settings.backfillTimelines)
      if (!state) continue
      if (state !== stored) await saveBackfill(tx, repo.id, state)
      plans.push({ repo, state })
    }
  })

  for (const { repo, state } of plans) {
    if (state.done) {
      log.info(`backfill ${repo.name}: ${state.since}..${state.until} already stored.`)
      continue
    }
    if (stopped) {
      unfinished.push({ repo, state })
      continue
    }
    worked++
    const ctx: WalkContext = {
      deps,
      repo,
      settings,
      timelines: state.timelines ?? settings.backfillTimelines,
      budgetLow,
      graphqlLow: () => deps.meter.remaining('graphql') <= settings.budgetReserve,
      progress: new Progress(
        new Date(state.since),
        new Date(state.until),
        state.position ? new Date(state.position) : undefined
      ),
      totals,
      state
    }
    const outcome = await backfillRepository(ctx)
    if (outcome === 'done') {
      finished++
      continue
    }
    unfinished.push({ repo, state: ctx.state })
    if (outcome === 'budget') {
      stopped = true
      log.warning(
        `backfill: stopping before the budget reserve (${deps.meter.remaining('core')} core requests left, ` +
          `reserve ${settings.budgetReserve}); the next run continues.`
      )
    } else {
      log.warning(`backfill ${repo.name}: GitHub search answered incompletely; the next run asks again.`)
    }
  }

  // Comments read through GraphQL come without reaction counts; the units'
  // queries carried some, and the rest are read now (100 comments a point).
  // A backfill counts as finished once none is unknown.
  let reactionsLeft: string | undefined
  const pending = (
    await Promise.all(plans.map(async (p) => ({ ...p, state: await loadBackfill(deps.sql, p.repo.id) })))
  ).filter((p) => p.state?.reactions === 'pending')
  if (pending.length > 0 && !stopped) {
    await knowBudget(deps, 'graphql')
    const settled = await settleReactions(
      deps,
      settings.apiUrl,
      pending.map((p) => p.repo.id),
      () => deps.meter.remaining('graphql') <= settings.budgetReserve
    )
    if (settled.changed > 0) log.info(`backfill: reaction counts of ${settled.changed} comment row(s) read.`)
    if (settled.stopped) {
      reactionsLeft = `reaction counts of comments in ${pending.map((p) => p.repo.name).join(', ')} (GraphQL budget reserve reached)`
    } else {
      await deps.sql.begin(async (tx) => {
        for (const p of pending) {
          const current = await loadBackfill(tx, p.repo.id)
          if (current) await saveBackfill(tx, p.repo.id, { ...current, reactions: undefined })
        }
      })
    }
  } else if (pending.length > 0) {
    reactionsLeft = `reaction counts of comments in ${pending.map((p) => p.repo.name).join(', ')}`
  }
  if (reactionsLeft && unfinished.length === 0) {
    return {
      counts: counts(worked, finished),
      incomplete: true,
      remaining: `backfill: ${reactionsLeft}; the next run reads them.`
    }
  }
  if (unfinished.length === 0) return { counts: counts(worked, finished) }
  return { counts: counts(worked, finished), incomplete: true, remaining: describeRemaining(unfinished) }
}

async function backfillRepository(ctx: WalkContext): Promise<WalkOutcome> {
  const { deps, repo } = ctx
  if (ctx.state.route === 'search') return walkSearch(ctx)
  if (ctx.state.route === 'listing') return walkListing(ctx)
  if (ctx.budgetLow(1)) return 'budget'
  const choice = await chooseRoute(deps, repo, ctx.state)
  deps.log.info(
    `backfill ${repo.name}: ${ctx.state.since}..${ctx.state.until} by ${choice.route} ` +
      `(listing ~${choice.listingPages} page(s)` +
      `${choice.searchRequests === undefined ? '' : `, search ~${choice.searchRequests} request(s)`})`
  )
  ctx.state = { ...ctx.state, route: choice.route }
  return choice.route === 'search' ? walkSearch(ctx) : walkListing(ctx, choice.first)
}

function describeRemaining(unfinished: { repo: Repo; state: BackfillState }[]): string {
  const parts = unfinished.map(({ repo, state }) => {
    const from = state.position ?? state.since
    return `${repo.name} from ${from} to ${state.until}`
  })
  const range = unfinished[0].state
  return (
    `${unfinished.length} repositor${unfinished.length === 1 ? 'y' : 'ies'} unfinished: ${parts.join(', ')}. ` +
    `Run backfill again (since ${range.since}) or without since to continue.`
  )
}
