/**
 * Percent done and time left for one repository's backfill. Progress is the
 * share of the date range stored (created_at of the latest item, or the end
 * of the latest window); the estimate extrapolates this run's own pace on
 * the wall clock, so a resumed run does not count the pause between runs.
 */
export class Progress {
  private readonly startedAt: number
  private readonly startFraction: number

  constructor(
    private readonly since: Date,
    private readonly until: Date,
    position: Date | undefined,
    private readonly now: () => number = Date.now
  ) {
    this.startedAt = now()
    this.startFraction = this.fraction(position)
  }

  /** Share of the range at or before `position`, 0..1. */
  fraction(position: Date | undefined): number {
    if (!position) return 0
    const span = this.until.getTime() - this.since.getTime()
    if (span <= 0) return 1
    return Math.min(1, Math.max(0, (position.getTime() - this.since.getTime()) / span))
  }

  /** `42%, about 3m 10s left` for a position in the range. */
  describe(position: Date | undefined, done = false): string {
    const f = done ? 1 : this.fraction(position)
    const percent = `${Math.floor(f * 100)}%`
    if (done) return `${percent}, done`
    const gained = f - this.startFraction
    const elapsed = this.now() - this.startedAt
    if (gained <= 0 || elapsed <= 0) return `${percent}, time left unknown yet`
    return `${percent}, about ${formatDuration((elapsed / gained) * (1 - f))} left`
  }
}

export function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000)
  if (s < 60) return `${s}s`
  const m = Math.floor(s / 60)
  if (m < 60) return `${m}m ${s % 60}s`
  const h = Math.floor(m / 60)
  return `${h}h ${m % 60}m`
}
