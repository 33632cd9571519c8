import { accessSync, constants as fsConstants, statSync } from 'node:fs'
import path from 'node:path'
import { Inputs, REPORT_FORMATS, TASKS, type InputName, type ReportFormat, type Task } from './constants.js'
import type { DatabaseTarget } from './db/connect.js'
import { redactUrl } from './redact.js'

export type { DatabaseTarget } from './db/connect.js'

/** Everything a run needs to know, parsed and validated once. */
export interface Settings {
  /** Tasks to run, in the order given, without repeats. */
  readonly tasks: readonly Task[]
  /** Token for the GitHub API; empty only when no task talks to GitHub. */
  readonly githubToken: string
  /** REST API base URL without a trailing slash (api.github.com, GHES, or a simulator). */
  readonly apiUrl: string
  /** The database to write to. */
  readonly database: DatabaseTarget
  /** The organisation that owns the repositories (a user account fails the run, naming this input). */
  readonly org: string
  /** Repository name patterns (globs); empty means every repository the token can read. */
  readonly repos: readonly string[]
  /** Whether archived repositories are synced too. */
  readonly includeArchived: boolean
  /** Start of the date range (backfill, daily, first sync without a cursor). */
  readonly since?: Date
  /** End of the date range (backfill). */
  readonly until?: Date
  /** Minutes re-read before a stored high-water mark, for clock skew and index lag. */
  readonly overlapMinutes: number
  /** `pulls`: how many days back closed pull requests are re-checked. */
  readonly closedDays: number
  /** `unmerged`: how many days back closed-unmerged pull requests are reconciled. */
  readonly lookbackDays: number
  /** `backfill`: whether timelines are loaded along with issues. */
  readonly backfillTimelines: boolean
  /** Core requests and GraphQL points left untouched; long tasks stop cleanly before spending them. */
  readonly budgetReserve: number
  /** How timelines are read: GraphQL batches (default) or the REST timeline endpoint. */
  readonly timelineApi: 'graphql' | 'rest'
  /** Longest wait, in seconds, for a spent rate limit to reset before failing. */
  readonly maxRateLimitWaitSeconds: number
  /** This job's share of the repositories: `index` of `count`, 1-based. */
  readonly shard: { readonly index: number; readonly count: number }
  /** `report`: where the JSON report is written (the Markdown beside it, `.md`); undefined: not written. */
  readonly reportFile?: string
  /** `report`: the report on standard output in this format; undefined: not printed. */
  readonly format?: ReportFormat
}

/** Reads one raw input by name; returns '' when it is not set. */
export type InputReader = (name: InputName) => string

/** A bad input: the message names the input and quotes the value. */
export class InputError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'InputError'
  }
}

/** Tasks that read GitHub; `migrate` and `report` read only the database. */
const NEEDS_GITHUB: ReadonlySet<Task> = new Set(TASKS.filter((t) => t !== 'migrate' && t !== 'report'))

/**
 * Parses and validates every input. Throws InputError before anything is
 * connected or written.
 */
export function readSettings(
  read: InputReader,
  env: NodeJS.ProcessEnv = process.env,
  now: Date = new Date()
): Settings {
  const get = (name: InputName): string => read(name).trim()
  const tasks = parseTasks(get(Inputs.Mode))
  const needsGitHub = tasks.some((t) => NEEDS_GITHUB.has(t))

  const githubToken = get(Inputs.GithubToken) || (env.GITHUB_TOKEN ?? '').trim()
  if (needsGitHub && !githubToken) {
    throw new InputError(
      `Input 'github-token' is empty, but mode '${tasks.join(',')}' reads GitHub. ` +
        'Pass a GitHub App installation token or a PAT (GITHUB_TOKEN in a terminal).'
    )
  }
  if (needsGitHub && /[\s\p{Cc}]/u.test(githubToken)) {
    // Never quoted: it is a secret. Two tokens pasted together, or one with a
    // line break inside, would otherwise reach GitHub as a bad header.
    throw new InputError(
      'Invalid github-token: it contains whitespace or a control character (the value is a secret and is not shown). ' +
        'Pass exactly one token.'
    )
  }

  const apiUrl = parseApiUrl(get(Inputs.ApiUrl) || env.GITHUB_API_URL || 'https://api.github.com')
  const database = parseDatabase(get(Inputs.DatabaseUrl) || (env.DATABASE_URL ?? '').trim(), get(Inputs.DataDir), env)

  const org = get(Inputs.Org) || (env.GITHUB_REPOSITORY_OWNER ?? '').trim()
  if (needsGitHub) {
    if (!org)
      throw new InputError(`Input 'org' is empty, but mode '${tasks.join(',')}' reads an organisation's repositories.`)
    if (!/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/.test(org)) {
      throw new InputError(`Invalid org '${org}'. Expected a GitHub organisation login.`)
    }
  }

  const since = parseDate(Inputs.Since, get(Inputs.Since), 'start')
  const until = parseDate(Inputs.Until, get(Inputs.Until), 'end')
  if (since && since.getTime() > now.getTime()) {
    throw new InputError(`Invalid since '${get(Inputs.Since)}'. It is in the future (now is ${now.toISOString()}).`)
  }
  if (since && until && until.getTime() < since.getTime()) {
    throw new InputError(`Invalid until '${get(Inputs.Until)}'. It is before since '${get(Inputs.Since)}'.`)
  }
  if (since && until && until.getTime() === since.getTime()) {
    throw new InputError(
      `Invalid until '${get(Inputs.Until)}'. It is the same instant as since '${get(Inputs.Since)}': the range would be empty.`
    )
  }

  return Object.freeze({
    tasks,
    githubToken,
    apiUrl,
    database,
    org,
    repos: parseRepos(get(Inputs.Repos), org),
    includeArchived: parseBoolean(Inputs.IncludeArchived, get(Inputs.IncludeArchived), false),
    since,
    until,
    overlapMinutes: parseInteger(Inputs.OverlapMinutes, get(Inputs.OverlapMinutes), 10, 0, 24 * 60),
    closedDays: parseInteger(Inputs.ClosedDays, get(Inputs.ClosedDays), 7, 0, 3650),
    lookbackDays: parseInteger(Inputs.LookbackDays, get(Inputs.LookbackDays), 365, 1, 36500),
    backfillTimelines: parseBoolean(Inputs.BackfillTimelines, get(Inputs.BackfillTimelines), true),
    budgetReserve: parseInteger(Inputs.BudgetReserve, get(Inputs.BudgetReserve), 500, 0, 1_000_000),
    timelineApi: parseChoice(Inputs.TimelineApi, get(Inputs.TimelineApi), ['graphql', 'rest'] as const, 'graphql'),
    maxRateLimitWaitSeconds: parseInteger(Inputs.MaxRateLimitWait, get(Inputs.MaxRateLimitWait), 900, 0, 6 * 3600),
    shard: parseShard(get(Inputs.Shard)),
    reportFile: parseReportFile(get(Inputs.ReportFile), tasks.includes('report')),
    format: parseFormat(get(Inputs.Format))
  })
}

export function parseTasks(raw: string): Task[] {
  const names = raw
    .split(/[\s,]+/)
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean)
  if (names.length === 0) {
    throw new InputError(`Input 'mode' is required. Expected one or more of: ${TASKS.join(', ')}.`)
  }
  const tasks: Task[] = []
  for (const name of names) {
    if (!(TASKS as readonly string[]).includes(name)) {
      throw new InputError(`Invalid mode '${name}'. Expected one or more of: ${TASKS.join(', ')}.`)
    }
    if (!tasks.includes(name as Task)) tasks.push(name as Task)
  }
  return tasks
}

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/i

/**
 * ISO-8601 date (`2024-05-01`, the whole UTC day) or date-time
 * (`2024-05-01T12:00:00Z`, an offset, or no zone meaning UTC).
 * A date-only `until` means the end of that day.
 */
export function parseDate(name: InputName, raw: string, edge: 'start' | 'end'): Date | undefined {
  if (!raw) return undefined
  const bad = (): InputError =>
    new InputError(
      `Invalid ${name} '${raw}'. Expected an ISO-8601 date (2024-05-01) or date-time (2024-05-01T12:00:00Z).`
    )
  const d = DATE_ONLY.exec(raw)
  if (d) {
    const date = new Date(Date.UTC(+d[1], +d[2] - 1, +d[3]))
    if (date.getUTCFullYear() !== +d[1] || date.getUTCMonth() !== +d[2] - 1 || date.getUTCDate() !== +d[3]) throw bad()
    return edge === 'end' ? new Date(date.getTime() + 86_400_000 - 1) : date
  }
  const t = DATE_TIME.exec(raw)
  if (!t) throw bad()
  const [, y, mo, da, h, mi, s = '00', frac = '', zone = 'Z'] = t
  if (+mo < 1 || +mo > 12 || +da < 1 || +da > 31 || +h > 23 || +mi > 59 || +s > 59) throw bad()
  const zoneText = zone.toUpperCase() === 'Z' ? 'Z' : zone.length === 5 ? `${zone.slice(0, 3)}:${zone.slice(3)}` : zone
  const date = new Date(`${y}-${mo}-${da}T${h}:${mi}:${s}${frac}${zoneText}`)
  if (Number.isNaN(date.getTime())) throw bad()
  // Reject dates JavaScript silently rolls over (2024-02-30 → March 1).
  const local = new Date(Date.UTC(+y, +mo - 1, +da))
  if (local.getUTCDate() !== +da) throw bad()
  return date
}

function parseApiUrl(raw: string): string {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    throw new InputError(`Invalid api-url '${redactUrl(raw)}'. Expected an http(s) URL such as https://api.github.com.`)
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new InputError(`Invalid api-url '${redactUrl(raw)}'. Expected an http(s) URL such as https://api.github.com.`)
  }
  if (url.username || url.password) {
    throw new InputError(
      `Invalid api-url '${redactUrl(raw)}'. It carries credentials; pass the token as github-token instead.`
    )
  }
  if (url.search || url.hash) {
    throw new InputError(
      `Invalid api-url '${redactUrl(raw)}'. Expected no query string or fragment (every request path is added to it).`
    )
  }
  return url.toString().replace(/\/+$/, '')
}

function parseDatabase(raw: string, dataDir: string, env: NodeJS.ProcessEnv): DatabaseTarget {
  if (raw) {
    let url: URL
    try {
      url = new URL(raw)
    } catch {
      throw new InputError(
        `Invalid database-url '${redactUrl(raw)}'. Expected postgres://user:password@host:5432/database.`
      )
    }
    if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
      throw new InputError(
        `Invalid database-url '${redactUrl(raw)}'. Expected the postgres:// or postgresql:// scheme.`
      )
    }
    try {
      decodeURIComponent(url.username)
      decodeURIComponent(url.password)
    } catch {
      throw new InputError(
        `Invalid database-url '${redactUrl(raw)}'. Its user or password has a '%' that starts no percent-encoding: ` +
          'write % as %25 (and @ as %40, / as %2F, : as %3A).'
      )
    }
    if (!url.hostname && !url.searchParams.get('host')) {
      throw new InputError(`Invalid database-url '${redactUrl(raw)}'. It names no host.`)
    }
    const sslmode = url.searchParams.get('sslmode')
    if (
      sslmode &&
      !['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full', 'no-verify'].includes(sslmode)
    ) {
      throw new InputError(
        `Invalid database-url '${redactUrl(raw)}'. Unknown sslmode '${sslmode}'; expected disable, prefer, require, verify-ca or verify-full.`
      )
    }
    const rootCert = url.searchParams.get('sslrootcert')
    if (rootCert && rootCert !== 'system' && !readable(rootCert)) {
      throw new InputError(
        `Invalid database-url '${redactUrl(raw)}'. Its sslrootcert '${rootCert}' is not a readable file.`
      )
    }
    const pooler = url.searchParams.get('pgbouncer')
    if (pooler !== null && !['true', 'false', '1', '0', 'yes', 'no', 'on', 'off'].includes(pooler.toLowerCase())) {
      throw new InputError(
        `Invalid database-url '${redactUrl(raw)}'. Unknown pgbouncer '${pooler}'; expected true (a transaction-mode pooler) or false.`
      )
    }
    return { kind: 'url', url: raw }
  }
  if (env.GITHUB_ACTIONS === 'true') {
    throw new InputError(
      "Input 'database-url' is empty. Inside GitHub Actions an embedded database would vanish with the runner: " +
        'pass a Postgres URL from a secret, e.g. database-url: ${{ secrets.DATABASE_URL }}.'
    )
  }
  return { kind: 'embedded', dataDir: path.resolve(dataDir || '.data/postgres') }
}

function parseRepos(raw: string, org: string): string[] {
  const patterns: string[] = []
  for (const part of raw
    .split(/[\n,]+/)
    .map((s) => s.trim())
    .filter(Boolean)) {
    let name = part
    const slash = part.indexOf('/')
    if (slash >= 0) {
      const owner = part.slice(0, slash)
      if (org && owner.toLowerCase() !== org.toLowerCase()) {
        throw new InputError(`Invalid repos entry '${part}'. It names owner '${owner}', but org is '${org}'.`)
      }
      name = part.slice(slash + 1)
    }
    if (!/^[A-Za-z0-9._\-*?[\]!{}]+$/.test(name)) {
      throw new InputError(`Invalid repos entry '${part}'. Expected a repository name or glob such as 'docs-*'.`)
    }
    patterns.push(name)
  }
  return patterns
}

function parseBoolean(name: InputName, raw: string, fallback: boolean): boolean {
  if (!raw) return fallback
  const v = raw.toLowerCase()
  if (['true', 'yes', '1', 'on'].includes(v)) return true
  if (['false', 'no', '0', 'off'].includes(v)) return false
  throw new InputError(`Invalid ${name} '${raw}'. Expected true or false.`)
}

function parseChoice<T extends string>(name: InputName, raw: string, choices: readonly T[], fallback: T): T {
  if (!raw) return fallback
  const v = raw.toLowerCase()
  if ((choices as readonly string[]).includes(v)) return v as T
  throw new InputError(`Invalid ${name} '${raw}'. Expected one of: ${choices.join(', ')}.`)
}

function parseInteger(name: InputName, raw: string, fallback: number, min: number, max: number): number {
  if (!raw) return fallback
  if (!/^\d+$/.test(raw) || +raw < min || +raw > max) {
    throw new InputError(`Invalid ${name} '${raw}'. Expected a whole number from ${min} to ${max}.`)
  }
  return +raw
}

function parseShard(raw: string): { index: number; count: number } {
  if (!raw) return { index: 1, count: 1 }
  const m = /^(\d+)\s*\/\s*(\d+)$/.exec(raw)
  if (!m || +m[2] < 1 || +m[1] < 1 || +m[1] > +m[2]) {
    throw new InputError(`Invalid shard '${raw}'. Expected k/n with 1 ≤ k ≤ n, e.g. 2/4.`)
  }
  return { index: +m[1], count: +m[2] }
}

function parseReportFile(raw: string, written: boolean): string | undefined {
  if (!raw) return undefined
  if (raw.includes('\0') || /[\\/]$/.test(raw)) {
    throw new InputError(`Invalid report-file '${raw}'. Expected a file path such as report.json.`)
  }
  const file = path.resolve(raw)
  if (written) {
    // The report task writes it after reading the database: a path it cannot
    // write must fail the run now, before the schema is migrated.
    const markdown = file.endsWith('.json') ? `${file.slice(0, -'.json'.length)}.md` : `${file}.md`
    for (const target of [file, markdown]) {
      if (isDirectory(target)) {
        throw new InputError(
          `Invalid report-file '${raw}'. ${target} is a folder; expected a file path such as report.json.`
        )
      }
    }
    let folder = path.dirname(file)
    while (!exists(folder) && path.dirname(folder) !== folder) folder = path.dirname(folder)
    if (!isDirectory(folder)) {
      throw new InputError(`Invalid report-file '${raw}'. ${folder} is a file, so no folder can be made there.`)
    }
    try {
      accessSync(folder, fsConstants.W_OK)
    } catch {
      throw new InputError(`Invalid report-file '${raw}'. The folder ${folder} is not writable.`)
    }
  }
  return file
}

function exists(p: string): boolean {
  try {
    statSync(p)
    return true
  } catch {
    return false
  }
}

function isDirectory(p: string): boolean {
  try {
    return statSync(p).isDirectory()
  } catch {
    return false
  }
}

function readable(p: string): boolean {
  try {
    accessSync(p, fsConstants.R_OK)
    return statSync(p).isFile()
  } catch {
    return false
  }
}

function parseFormat(raw: string): ReportFormat | undefined {
  if (!raw) return undefined
  const v = raw.toLowerCase() === 'markdown' ? 'md' : raw.toLowerCase()
  if (!(REPORT_FORMATS as readonly string[]).includes(v)) {
    throw new InputError(`Invalid format '${raw}'. Expected one of: ${REPORT_FORMATS.join(', ')}.`)
  }
  return v as ReportFormat
}
