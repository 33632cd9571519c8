import type { BackfillState } from '../../model/backfill.js'

export function newState(since: Date, until: Date, timelines = true): BackfillState {
  return { since: since.toISOString(), until: until.toISOString(), timelines, units: 0, stored: 0, done: false }
}

/**
 * What this run does for a repository given the inputs and its stored state:
 * a dispatch with `since` starts a backfill, or continues the stored one when
 * it has the same range (`until` omitted means "the stored one"); a run
 * without `since` (the hourly continuation) only continues unfinished ones.
 */
export function planRepository(
  stored: BackfillState | undefined,
  since: Date | undefined,
  until: Date | undefined,
  now: Date,
  timelines = true
): BackfillState | undefined {
  if (!since) return stored && (!stored.done || stored.reactions === 'pending') ? stored : undefined
  const sameRange =
    stored !== undefined &&
    stored.since === since.toISOString() &&
    (until === undefined || stored.until === until.toISOString())
  if (sameRange) return stored
  return newState(since, until ?? now, timelines)
}
