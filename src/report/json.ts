// The report as JSON (report-file) and the short `report` output.
import type { Report } from '../model/report.js'

/** Hours and shares to 4 decimals (GitHub times are whole seconds, 0.0003 h). */
function rounded(_key: string, value: unknown): unknown {
  return typeof value === 'number' && !Number.isInteger(value) ? Math.round(value * 10_000) / 10_000 : value
}

export function renderJson(report: Report): string {
  return JSON.stringify(report, rounded, 2) + '\n'
}

/** The `report` output: the period's headline figures, and where the whole report was written. */
export function reportOutput(report: Report, file?: string): string {
  const m = report.org
  return JSON.stringify(
    {
      since: report.period.since,
      until: report.period.until,
      ...(file ? { file } : {}),
      opened: m.flow.opened,
      closed: m.flow.closed,
      merged: m.flow.merged,
      time_to_first_response_p50: {
        issues: m.time_to_first_response.issues.p50,
        pull_requests: m.time_to_first_response.pull_requests.p50
      },
      active_contributors: m.people.active_contributors,
      new_contributors: m.people.new_contributors,
      waiting_on_us: m.waiting_on_us
    },
    rounded
  )
}
