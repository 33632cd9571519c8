// Number formatting shared by the Markdown and terminal renderers.

/** Hours as a person reads them: minutes under an hour, hours under two days, else days. */
export function formatHours(hours: number | null): string {
  if (hours === null || !Number.isFinite(hours)) return '—'
  const abs = Math.abs(hours)
  const sign = hours < 0 ? '-' : ''
  if (abs < 1) return `${sign}${Math.round(abs * 60)} min`
  if (abs < 48) return `${sign}${abs.toFixed(1)} h`
  return `${sign}${(abs / 24).toFixed(1)} d`
}

export function formatShare(share: number | null): string {
  return share === null ? '—' : `${(share * 100).toFixed(1)}%`
}

export function formatRatio(ratio: number | null): string {
  return ratio === null ? '—' : ratio.toFixed(2)
}

export function formatCount(n: number | null): string {
  return n === null ? '—' : n.toLocaleString('en-US')
}

/** What a headline figure is, which decides how it and its change read. */
export type FigureKind = 'count' | 'hours' | 'share' | 'ratio'

export function formatValue(kind: FigureKind, value: number | null): string {
  switch (kind) {
    case 'count':
      return formatCount(value)
    case 'hours':
      return formatHours(value)
    case 'share':
      return formatShare(value)
    case 'ratio':
      return formatRatio(value)
  }
}

const signed = (text: string, delta: number): string => (delta > 0 ? `+${text}` : delta < 0 ? `−${text}` : text)

/** The change from `before` to `now`: absolute, and relative for counts and durations. */
export function formatChange(kind: FigureKind, now: number | null, before: number | null): string {
  if (now === null || before === null) return '—'
  const delta = now - before
  if (delta === 0) return '±0'
  const pct = before !== 0 ? ` (${signed(`${Math.abs((delta / before) * 100).toFixed(0)}%`, delta)})` : ''
  switch (kind) {
    case 'count':
      return `${signed(Math.abs(delta).toLocaleString('en-US'), delta)}${pct}`
    case 'hours':
      return `${signed(formatHours(Math.abs(delta)), delta)}${pct}`
    case 'share':
      return `${signed(`${Math.abs(delta * 100).toFixed(1)} pp`, delta)}`
    case 'ratio':
      return `${signed(Math.abs(delta).toFixed(2), delta)}`
  }
}

/** Dates of a period for people: `2025-05-01 – 2025-05-31` (the end is exclusive, so the day before). */
export function formatPeriod(period: { since: string; until: string }): string {
  const since = period.since.slice(0, 10)
  const lastMs = Date.parse(period.until) - 1
  const until = new Date(lastMs).toISOString().slice(0, 10)
  return since === until ? since : `${since} – ${until}`
}
