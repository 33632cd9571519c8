import type { Settings } from '../inputs.js'

/**
 * When a periodic reconciliation (the daily reaction pass, the transfers
 * task's daily open-issue and weekly all-issue listings, the daily full
 * repository listing) is due. GitHub starts schedules late, by a different
 * amount each day, so a pass the daily workflow did at 05:12 yesterday is
 * due in today's 05:03 run 4 hours early, and in the 10- and 30-minute runs
 * only 3 hours late. So while the daily workflow runs, the frequent runs
 * never carry these passes (a quiet one costs at most one unit); without
 * it, they take each pass once it is 3 hours overdue.
 */
export const DAILY_RUN_EARLY_MS = 4 * 3600 * 1000
export const FREQUENT_RUN_LATE_MS = 3 * 3600 * 1000

/** Whether a pass done last at `last` (never: undefined) is due again after `periodMs`. */
export function isDue(
  last: Date | string | undefined,
  periodMs: number,
  now: Date,
  settings: Pick<Settings, 'tasks'>
): boolean {
  if (last === undefined) return true
  const at = typeof last === 'string' ? Date.parse(last) : last.getTime()
  if (Number.isNaN(at)) return true
  const shift = settings.tasks.includes('daily') ? -DAILY_RUN_EARLY_MS : FREQUENT_RUN_LATE_MS
  return now.getTime() - at >= periodMs + shift
}
