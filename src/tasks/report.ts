import { mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import {
  inReportSnapshot,
  readMonthly,
  readPeriod,
  readWaiting,
  storedOrgs,
  storedRepos,
  type MetricsScope
} from '../db/metrics.js'
import type { Queryable } from '../db/connect.js'
import type { Settings } from '../inputs.js'
import type { Log } from '../log.js'
import { InputError } from '../inputs.js'
import type { RepoMetrics, Report } from '../model/report.js'
import { renderJson, reportOutput } from '../report/json.js'
import { renderMarkdown } from '../report/markdown.js'
import { renderText } from '../report/text.js'
import { Outputs, type ReportFormat } from '../constants.js'
import { matchesRepos } from './repositories.js'
import type { Deps, TaskResult } from './types.js'

const DAY_MS = 86_400_000
/** The default period: the last 30 days (compared with the 30 before). */
export const DEFAULT_PERIOD_DAYS = 30
/** Months in the summary's charts. */
export const CHART_MONTHS = 12

/**
 * The period [since, until): `until` defaults to now and `since` to 30 days
 * before it. A date-only `until` (the input's end of that day, .999) is the
 * next midnight, so the day is included whole.
 */
export function reportPeriod(settings: Pick<Settings, 'since' | 'until'>, now: Date): { since: Date; until: Date } {
  let until = settings.until ?? now
  if (until.getTime() % 1000 === 999) until = new Date(until.getTime() + 1)
  const since = settings.since ?? new Date(until.getTime() - DEFAULT_PERIOD_DAYS * DAY_MS)
  if (until.getTime() <= since.getTime()) {
    throw new InputError(`Invalid until '${until.toISOString()}'. The report's period must end after since.`)
  }
  return { since, until }
}

/** First instant of the month `back` months before the month holding the instant before `until`. */
export function chartStart(until: Date, months = CHART_MONTHS): Date {
  const last = new Date(until.getTime() - 1)
  return new Date(Date.UTC(last.getUTCFullYear(), last.getUTCMonth() - (months - 1), 1))
}

/**
 * The report: every metric of the period and of the one before, per
 * repository and for the org, the monthly series and who is waiting on us,
 * all from the `metrics` views (no GitHub request). Hands back the job
 * summary's Markdown and the `report` output, writes report-file (JSON, and
 * the Markdown beside it), and prints the report when `format` is set.
 */
export async function runReport(deps: Deps, settings: Settings): Promise<TaskResult> {
  const { sql, log, clock } = deps
  const asOf = clock()
  const { since, until } = reportPeriod(settings, asOf)
  const started = Date.now()

  const previousSince = new Date(since.getTime() - (until.getTime() - since.getTime()))
  const { org, waiting, current, previous, monthly } = await inReportSnapshot(sql, async (tx) => {
    const org = await chooseOrg(tx, log, settings)
    let repos: string[] | undefined
    if (settings.repos.length > 0) {
      repos = (await storedRepos(tx, org)).filter((name) => matchesRepos(name, settings.repos))
    }
    const scope: MetricsScope = { org, repos }
    const waiting = await readWaiting(tx, scope, asOf)
    return {
      org,
      waiting,
      current: await readPeriod(tx, { ...scope, since, until, asOf }, waiting),
      previous: await readPeriod(tx, { ...scope, since: previousSince, until: since, asOf }, waiting),
      monthly: await readMonthly(tx, { ...scope, since: chartStart(until), until, asOf })
    }
  })

  const repositories: RepoMetrics[] = [...current.entries()]
    .filter(([key]) => key !== '')
    .map(([repo, m]) => ({ repo, ...m }))
    .sort((a, b) => b.people.activity - a.people.activity || a.repo.localeCompare(b.repo))
  const report: Report = {
    organization: org || null,
    as_of: asOf.toISOString(),
    period: { since: since.toISOString(), until: until.toISOString() },
    previous_period: { since: previousSince.toISOString(), until: since.toISOString() },
    org: current.get('')!,
    previous: previous.get('')!,
    repositories,
    monthly,
    waiting_on_us: waiting
  }
  const markdown = renderMarkdown(report)
  log.info(
    `report ${report.period.since} – ${report.period.until}: ${repositories.length} repositories, ` +
      `${report.org.flow.opened} items opened, ${waiting.length} waiting on us; ` +
      `computed in ${((Date.now() - started) / 1000).toFixed(1)} s, summary ${Math.ceil(Buffer.byteLength(markdown) / 1024)} KiB`
  )

  let file: string | undefined
  if (settings.reportFile) {
    file = settings.reportFile
    await mkdir(path.dirname(file), { recursive: true })
    await writeFile(file, renderJson(report))
    await writeFile(markdownPath(file), markdown + '\n')
    log.info(`report written to ${file} and ${markdownPath(file)}`)
  }
  return {
    counts: {
      repositories: repositories.length,
      opened: report.org.flow.opened,
      active_contributors: report.org.people.active_contributors,
      waiting_on_us: waiting.length
    },
    summary: markdown,
    outputs: { [Outputs.Report]: reportOutput(report, file) },
    print: settings.format ? render(report, settings.format, markdown) : undefined
  }
}

/** report.json → report.md; any other name gets `.md` appended. */
export function markdownPath(file: string): string {
  return file.endsWith('.json') ? `${file.slice(0, -'.json'.length)}.md` : `${file}.md`
}

function render(report: Report, format: ReportFormat, markdown: string): string {
  switch (format) {
    case 'md':
      return markdown + '\n'
    case 'json':
      return renderJson(report)
    case 'text':
      return renderText(report)
  }
}

/** The `org` input, else the only organisation stored. */
async function chooseOrg(sql: Queryable, log: Log, settings: Settings): Promise<string> {
  if (settings.org) return settings.org
  const orgs = await storedOrgs(sql)
  if (orgs.length > 1) {
    throw new InputError(
      `Input 'org' is empty, but the database holds several organisations (${orgs.join(', ')}). Pass --org.`
    )
  }
  if (orgs.length === 0) log.warning('report: no issues or pull requests are stored yet.')
  return orgs[0] ?? ''
}
