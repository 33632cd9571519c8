import type { RunReport } from './run-report.js'

/**
 * The job summary: a Markdown table of what each task did and what it cost
 * per rate-limit bucket (core and search requests, GraphQL points, free 304s).
 */
export function renderSummary(report: RunReport): string {
  const lines = ['## contributor-metrics', '']
  if (!report.ok) lines.push(`**Failed:** ${escapeCell(report.error ?? 'unknown error')}`, '')
  if (report.tasks.length > 0) {
    lines.push(
      '| task | result | core requests | search requests | GraphQL points | answered 304 | seconds |',
      '| --- | --- | ---: | ---: | ---: | ---: | ---: |'
    )
    for (const t of report.tasks) {
      const counts = Object.entries(t.counts)
        .map(([k, v]) => `${k}: ${v}`)
        .join(', ')
      const result = t.skipped
        ? 'skipped (another run holds it)'
        : `${counts || 'done'}${t.incomplete ? ` — **incomplete**: ${t.remaining ?? ''}` : ''}`
      const r = t.requests
      lines.push(
        `| ${t.task} | ${escapeCell(result)} | ${r.core} | ${r.search} | ${r.points} | ${r.notModified} | ${t.seconds.toFixed(1)} |`
      )
    }
    lines.push('')
  }
  const r = report.requests
  lines.push(
    `Spent: ${r.billable} billable requests (${r.core} core, ${r.search} search) and ${r.points} GraphQL points; ` +
      `${r.notModified} conditional requests answered 304 (free).`
  )
  // What tasks hand back for the summary (the report) follows the run table.
  for (const t of report.tasks) if (t.summary) lines.push('', t.summary)
  return lines.join('\n') + '\n'
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ')
}
