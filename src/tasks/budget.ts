import type { Settings } from '../inputs.js'
import type { Deps } from './types.js'

/** True when the core budget is down to the reserve: stop cleanly, resume next run. */
export function outOfBudget(deps: Pick<Deps, 'meter'>, settings: Pick<Settings, 'budgetReserve'>): boolean {
  return deps.meter.remaining('core') <= settings.budgetReserve
}

/**
 * What is left of each bucket before a task first spends from it, so a
 * long task can respect `budget-reserve` from its first request: one
 * `GET /rate_limit` (free: GitHub does not count it against the primary
 * limit), only while the meter has not seen the bucket in a response yet.
 */
export async function knowBudget(deps: Pick<Deps, 'octokit' | 'meter'>, bucket: string): Promise<number> {
  if (!Number.isFinite(deps.meter.remaining(bucket))) {
    const { data } = await deps.octokit.request('GET /rate_limit')
    deps.meter.recordLimits(data.resources as unknown as Parameters<typeof deps.meter.recordLimits>[0])
  }
  return deps.meter.remaining(bucket)
}
