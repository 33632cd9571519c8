import { getCursor, setCursor } from '../db/cursors.js'
import { commentsAfter, commentsForReactions, countComments, type CommentRef } from '../db/events.js'
import { REACTIONS_PER_QUERY } from '../github/graphql-timeline.js'
import type { Settings } from '../inputs.js'
import { CURSORS } from '../model/cursor.js'
import { restApiBase } from './api-base.js'
import { knowBudget } from './budget.js'
import { isDue } from './due.js'
import { settleReactions } from './timelines-graphql.js'
import type { Deps } from './types.js'

/** How often comments' reaction counts are read again. */
export const REACTIONS_EVERY_MS = 24 * 3600 * 1000
/** The rolling sweep reads every stored comment of a repository once in this many days. */
const SWEEP_DAYS = 30
/** Comments written this recently are re-read by every pass. */
const REACTIONS_WINDOW_MS = 7 * 24 * 3600 * 1000

export interface ReactionPass {
  /** Comment rows whose counts changed. */
  changed: number
  /** Comments whose counts were read (not counting those still unknown). */
  read: number
  /** Repositories the pass was due for. */
  repositories: number
  stopped: boolean
}

/**
 * Comments' reaction counts, which GitHub's GraphQL timeline read leaves
 * out (a connection per item would multiply its price by 100). Counts still
 * unknown ride along with timeline queries for free; once 100 are unknown
 * (a first sync, a backfill) they are read at once, 100 comments a point.
 * Once a day per repository (`isDue`: in the daily workflow's run, so the
 * frequent runs stay at their one unit) the pass reads, 100 comments a
 * point: the counts still unknown, every comment written in the last 7 days
 * (reactions come mostly in a comment's first days), and the next 30th of a
 * rolling sweep over the repository's stored comments, so that a reaction on
 * any comment is seen within 30 days, on a recent one within a day. GitHub
 * does not document that a reaction moves any updated_at, so nothing else
 * would notice one. The cursor is per repository (task `reactions`): a
 * shard, or a `repos` selection, passes only over its own repositories.
 */
export async function reactionPass(deps: Deps, settings: Settings, repoIds: number[]): Promise<ReactionPass> {
  const now = deps.clock()
  const apiBase = await restApiBase(deps, settings)
  const shouldStop = (): boolean => deps.meter.remaining('graphql') <= settings.budgetReserve
  const result: ReactionPass = { changed: 0, read: 0, repositories: 0, stopped: false }
  const due: { repoId: number; next?: string }[] = []
  const queue: CommentRef[] = []
  const seen = new Set<string>()
  const enqueue = (comments: readonly CommentRef[]): void => {
    for (const c of comments) {
      if (seen.has(c.id)) continue
      seen.add(c.id)
      queue.push(c)
    }
  }
  const since = new Date(now.getTime() - REACTIONS_WINDOW_MS)
  for (const repoId of repoIds) {
    const cursor = await getCursor(deps.sql, CURSORS.reactions, repoId)
    if (!isDue(cursor.highWater, REACTIONS_EVERY_MS, now, settings)) continue
    const total = await countComments(deps.sql, [repoId])
    enqueue(await commentsForReactions(deps.sql, [repoId], 100_000, since))
    const slice = Math.ceil(total / SWEEP_DAYS)
    const after = (cursor.state as { sweepAfter?: string }).sweepAfter
    let sweep = await commentsAfter(deps.sql, [repoId], after, slice)
    if (sweep.length < slice)
      sweep = [...sweep, ...(await commentsAfter(deps.sql, [repoId], undefined, slice - sweep.length))]
    enqueue(sweep)
    due.push({ repoId, next: sweep.length > 0 ? sweep[sweep.length - 1].id : undefined })
  }
  result.repositories = due.length
  const unknown = await commentsForReactions(deps.sql, repoIds, REACTIONS_PER_QUERY)
  // Not due anywhere: only a full point's worth of unknown counts is read now.
  if (due.length === 0 && unknown.length < REACTIONS_PER_QUERY) return result
  await knowBudget(deps, 'graphql')
  const settled = await settleReactions(deps, apiBase, repoIds, shouldStop)
  result.changed += settled.changed
  result.stopped = settled.stopped
  if (due.length === 0 || result.stopped) return result
  const refreshed = await settleReactions(deps, apiBase, repoIds, shouldStop, queue)
  result.changed += refreshed.changed
  result.stopped = refreshed.stopped
  result.read = queue.length
  if (result.stopped) return result
  await deps.sql.begin(async (tx) => {
    for (const { repoId, next } of due)
      await setCursor(tx, CURSORS.reactions, repoId, { highWater: now, state: next ? { sweepAfter: next } : {} })
  })
  deps.log.info(
    `reactions: counts read for ${queue.length} comment(s) of ${due.length} repositories ` +
      `(written in the last 7 days, and the rolling sweep's 30th); ${result.changed} row(s) changed`
  )
  return result
}
