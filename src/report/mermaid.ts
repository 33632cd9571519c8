// Mermaid blocks of the summary (GitHub renders them; each is followed by a
// table with the same numbers for readers without Mermaid). Every block
// these functions can write is rendered by Mermaid itself in
// __tests__/report-mermaid.test.ts.
import type { MonthMetrics, PeopleMetrics } from '../model/report.js'

/** Text inside a Mermaid double-quoted string: no quotes, no line breaks. */
export function mermaidText(text: string): string {
  return text.replace(/["\r\n]/g, ' ').replace(/[<>]/g, ' ')
}

const num = (x: number | null): string => (x === null || !Number.isFinite(x) ? '0' : String(Math.round(x * 10) / 10))

/** A y-axis from 0 (Mermaid would start at the smallest value) to a little above the largest. */
function yAxis(title: string, values: (number | null)[]): string {
  const max = Math.max(0, ...values.map((v) => (v === null || !Number.isFinite(v) ? 0 : v)))
  const top = max > 0 ? Math.ceil(max * 1.1) : 1
  return `  y-axis "${mermaidText(title)}" 0 --> ${top}`
}

function fenced(lines: string[]): string {
  return ['```mermaid', ...lines, '```'].join('\n')
}

/** Monthly median time to first response: bars for issues, a line for pull requests. */
export function responseChart(months: readonly MonthMetrics[]): string {
  return fenced([
    'xychart-beta',
    `  title "${mermaidText('Median time to first response, hours (bars: issues, line: pull requests)')}"`,
    `  x-axis [${months.map((m) => `"${m.month}"`).join(', ')}]`,
    yAxis(
      'hours',
      months.flatMap((m) => [m.time_to_first_response.issues.p50, m.time_to_first_response.pull_requests.p50])
    ),
    `  bar [${months.map((m) => num(m.time_to_first_response.issues.p50)).join(', ')}]`,
    `  line [${months.map((m) => num(m.time_to_first_response.pull_requests.p50)).join(', ')}]`
  ])
}

/** Items opened (bars) and closed (line) per month. */
export function flowChart(months: readonly MonthMetrics[]): string {
  return fenced([
    'xychart-beta',
    `  title "${mermaidText('Items per month (bars: opened, line: closed)')}"`,
    `  x-axis [${months.map((m) => `"${m.month}"`).join(', ')}]`,
    yAxis(
      'items',
      months.flatMap((m) => [m.opened, m.closed])
    ),
    `  bar [${months.map((m) => num(m.opened)).join(', ')}]`,
    `  line [${months.map((m) => num(m.closed)).join(', ')}]`
  ])
}

/** Who acted in the period: members at the time, other humans, bots. Undefined when nobody did. */
export function peopleChart(people: PeopleMetrics): string | undefined {
  const slices: [string, number][] = (
    [
      ['Members', people.member_activity],
      ['Other humans', people.other_activity],
      ['Bots', people.bot_activity]
    ] as [string, number][]
  ).filter(([, n]) => n > 0)
  if (slices.length === 0) return undefined
  return fenced([
    `pie title ${mermaidText('Activity in the period')}`,
    ...slices.map(([label, n]) => `  "${mermaidText(label)}" : ${n}`)
  ])
}
