// The report for a terminal: aligned tables and a small text chart.
import type { Report } from '../model/report.js'
import { formatChange, formatCount, formatHours, formatPeriod, formatShare, formatValue } from './format.js'
import { HEADLINE } from './headline.js'

/** Columns right-aligned but for `left` (by index; the first by default). */
export function textTable(head: string[], rows: string[][], left: readonly number[] = [0]): string[] {
  const cells = [head, ...rows]
  const width = head.map((_, c) => Math.max(...cells.map((r) => [...(r[c] ?? '')].length)))
  const pad = (v: string, c: number): string => {
    const fill = ' '.repeat(width[c] - [...v].length)
    return left.includes(c) ? v + fill : fill + v
  }
  const line = (r: string[]): string =>
    r
      .map((v, c) => pad(v, c))
      .join('  ')
      .trimEnd()
  return [line(head), width.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)]
}

/** Two bars a month (opened, closed), scaled to `width` characters. */
export function flowBars(months: Report['monthly'], width = 30): string[] {
  const max = Math.max(1, ...months.map((m) => Math.max(m.opened, m.closed)))
  const bar = (n: number, ch: string): string => ch.repeat(Math.round((n / max) * width))
  const digits = String(max).length
  return months.flatMap((m) => [
    `${m.month}  opened ${String(m.opened).padStart(digits)} ${bar(m.opened, '█')}`,
    `${' '.repeat(m.month.length)}  closed ${String(m.closed).padStart(digits)} ${bar(m.closed, '░')}`
  ])
}

const WAITING_SHOWN = 10

export function renderText(report: Report): string {
  const out: string[] = []
  out.push(
    `Contributor metrics${report.organization ? ` for ${report.organization}` : ''}: ${formatPeriod(report.period)} ` +
      `(compared with ${formatPeriod(report.previous_period)})`,
    ''
  )
  out.push(
    ...textTable(
      ['', 'period', 'previous', 'change'],
      HEADLINE.map((f) => {
        const now = f.value(report.org)
        const before = f.current ? null : f.value(report.previous)
        return [
          f.label,
          formatValue(f.kind, now),
          f.current ? '' : formatValue(f.kind, before),
          f.current ? '' : formatChange(f.kind, now, before)
        ]
      })
    ),
    ''
  )
  if (report.repositories.length > 0) {
    out.push(
      ...textTable(
        ['repository', 'opened', 'closed', 'merged', 'ttfr issues', 'ttfr PRs', 'active', 'new', 'members', 'waiting'],
        report.repositories.map((r) => [
          r.repo,
          formatCount(r.flow.opened),
          formatCount(r.flow.closed),
          formatCount(r.flow.merged),
          formatHours(r.time_to_first_response.issues.p50),
          formatHours(r.time_to_first_response.pull_requests.p50),
          formatCount(r.people.active_contributors),
          formatCount(r.people.new_contributors),
          formatShare(r.people.members_share),
          formatCount(r.waiting_on_us)
        ])
      ),
      '(ttfr: median time to first response)',
      ''
    )
  }
  out.push('Opened and closed per month', ...flowBars(report.monthly), '')
  const waiting = report.waiting_on_us.slice(0, WAITING_SHOWN)
  if (waiting.length > 0) {
    out.push(`Waiting on us: ${report.waiting_on_us.length} items; the longest waits:`)
    out.push(
      ...textTable(
        ['item', 'author', 'waited', 'title'],
        waiting.map((w) => [`${w.repo}#${w.number}`, w.author, formatHours(w.waited_hours), w.title.slice(0, 50)]),
        [0, 1, 3]
      )
    )
  } else out.push('Waiting on us: nothing.')
  return out.join('\n') + '\n'
}
