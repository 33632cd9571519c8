import type { Queryable } from '../db/connect.js'
import { getCursor, setCursor } from '../db/cursors.js'
import { getEtag, putEtag } from '../db/etags.js'
import { unmarkOpenPulls, upsertPullRows } from '../db/issues.js'
import { etagKey, getPage } from '../github/conditional.js'
import { mapIssue } from '../github/map-issue.js'
import { isoSeconds, searchWindows } from '../github/search.js'
import type { GitHubIssue, SearchPage } from '../github/types.js'
import type { Settings } from '../inputs.js'
import { CURSORS, type Cursor } from '../model/cursor.js'
import type { PullRow } from '../model/issue.js'
import type { Repo } from '../model/repo.js'
import { STORED_LIST_MAX_AGE_MS, selectRepositories } from './repositories.js'
import type { Deps, TaskResult } from './types.js'

const DAY = 86_400_000
const SEARCH = 'GET /search/issues'

interface Context {
  repos: Repo[]
  cursors: Map<number, Cursor>
  byName: Map<string, Repo>
  /** Qualifiers without the date range. */
  query: string
  from: number
  now: number
}

interface Tally {
  found: number
  written: number
  complete: boolean
}

/**
 * The `unmerged` task: reconciles pull requests closed without merging,
 * back `lookback-days`, from search (`is:pr is:unmerged is:closed
 * closed:…`), so `merged` is false for every one of them. Search is the
 * scarcest bucket (30 a minute), so several repositories share one `org:`
 * query (items of repositories outside the selection are dropped), and each
 * repository keeps a cursor: the first run searches the whole look-back in
 * date windows that fit under 1,000 results; later runs ask one
 * conditional `closed:>=cursor` query, which answers 304 (free) until a pull
 * request is closed unmerged or one of those found changes. (A
 * closed-unmerged pull request becomes merged only by reopening, which the
 * `issues` task sees.) Also makes sure no open pull request reads as merged.
 */
export async function runUnmerged(deps: Deps, settings: Settings): Promise<TaskResult> {
  const { sql, clock, log } = deps
  const repos = await selectRepositories(deps, settings, { maxAgeMs: STORED_LIST_MAX_AGE_MS })
  const openFixed = await unmarkOpenPulls(
    sql,
    repos.map((r) => r.id)
  )
  if (repos.length === 0) return { counts: { repositories: 0, found: 0, written: 0, openFixed } }

  const now = clock().getTime()
  const floor = now - settings.lookbackDays * DAY
  const cursors = new Map<number, Cursor>()
  let from = now
  for (const repo of repos) {
    const cursor = await getCursor(sql, CURSORS.unmerged, repo.id)
    cursors.set(repo.id, cursor)
    const start = cursor.highWater ? cursor.highWater.getTime() - settings.overlapMinutes * 60_000 : floor
    from = Math.min(from, Math.max(floor, start))
  }
  const ctx: Context = {
    repos,
    cursors,
    byName: new Map(repos.map((r) => [r.fullName.toLowerCase(), r])),
    query:
      repos.length === 1
        ? `repo:${repos[0].fullName} is:pr is:unmerged is:closed`
        : `org:${settings.org} is:pr is:unmerged is:closed`,
    from,
    now
  }
  const tally: Tally = { found: 0, written: 0, complete: true }
  const steady = repos.every((r) => cursors.get(r.id)?.highWater)
  const covered = steady ? await coveredByIssues(deps, ctx) : undefined
  if (covered) {
    // Every pull request closed since the cursors was stored by the issues
    // task (a close moves updated_at, and its rows take `merged` from
    // `merged_at`): nothing to ask. Search has no 304 (no source says it
    // has), so asking anyway would cost a search request every run.
    await deps.sql.begin((tx) => moveCursors(tx, ctx, covered))
    log.debug(`unmerged: closes up to ${covered.toISOString()} are covered by the issues task's rows.`)
  } else if (!steady || !(await conditionalSearch(deps, ctx, tally))) await windowSearch(deps, ctx, tally)
  log.info(
    `${tally.found} closed-unmerged pull requests found, ${tally.written} rows written, ${openFixed} open rows unmarked`
  )
  const counts = { repositories: repos.length, found: tally.found, written: tally.written, openFixed }
  if (tally.complete) return { counts }
  return {
    counts,
    incomplete: true,
    remaining: 'search windows answered incomplete_results; the next run searches them again'
  }
}

/**
 * The steady state: one `closed:>=from` query, conditional on the ETag of
 * that exact query. Returns false when the answer does not fit one complete
 * page, so the caller falls back to date windows.
 */
async function conditionalSearch(deps: Deps, ctx: Context, tally: Tally): Promise<boolean> {
  const params = { q: `${ctx.query} closed:>=${isoSeconds(ctx.from)}`, sort: 'created', order: 'asc', per_page: 100 }
  const key = etagKey(SEARCH, params)
  const page = await getPage<SearchPage>(deps.octokit, SEARCH, params, await getEtag(deps.sql, key))
  if (page.notModified) {
    deps.log.debug(`'${params.q}': no change (304)`)
    return true
  }
  if (page.data.incomplete_results || page.links.next || page.data.total_count > page.data.items.length) return false
  const rows = toRows(page.data.items, ctx.byName)
  // The answer is whole, so everything closed up to now is reconciled: the
  // cursors move to now (the next query starts at now less the overlap).
  // Search answers no 304 that any source documents, so keeping the query's
  // URL (and ETag) the same would save nothing.
  await deps.sql.begin(async (tx) => {
    tally.found += rows.length
    tally.written += await upsertPullRows(tx, rows)
    await moveCursors(tx, ctx, new Date(ctx.now))
    await putEtag(tx, key, undefined)
  })
  return true
}

/**
 * How far the issues task has stored every selected repository (the oldest
 * of their issues cursors), when that is past the oldest unmerged cursor;
 * otherwise undefined (search must look).
 */
async function coveredByIssues(deps: Deps, ctx: Context): Promise<Date | undefined> {
  let oldest: number | undefined
  for (const repo of ctx.repos) {
    const listed = (await getCursor(deps.sql, CURSORS.issuesSynced, repo.id)).highWater
    if (!listed) return undefined
    oldest = oldest === undefined ? listed.getTime() : Math.min(oldest, listed.getTime())
  }
  const unmergedFrom = Math.min(...ctx.repos.map((r) => ctx.cursors.get(r.id)?.highWater?.getTime() ?? 0))
  return oldest !== undefined && oldest >= unmergedFrom ? new Date(oldest) : undefined
}

/** The first run (or a long gap): every date window from `from` to now, cursors moved window by window. */
async function windowSearch(deps: Deps, ctx: Context, tally: Tally): Promise<void> {
  deps.log.info(`Searching '${ctx.query}' closed from ${new Date(ctx.from).toISOString()}`)
  const windows = searchWindows(deps.octokit, deps.log, {
    query: ctx.query,
    field: 'closed',
    from: new Date(ctx.from),
    to: new Date(ctx.now + 1000)
  })
  for await (const window of windows) {
    const rows = toRows(window.items, ctx.byName)
    tally.found += rows.length
    tally.complete &&= window.complete
    const complete = tally.complete
    await deps.sql.begin(async (tx) => {
      tally.written += await upsertPullRows(tx, rows)
      if (complete) await moveCursors(tx, ctx, window.to)
    })
  }
}

/** Rows for the hits in selected repositories; a search hit is closed and unmerged by its query. */
function toRows(items: GitHubIssue[], byName: Map<string, Repo>): PullRow[] {
  const rows: PullRow[] = []
  for (const item of items) {
    const m = /\/repos\/([^/]+\/[^/]+)$/.exec(item.repository_url ?? '')
    const repo = m ? byName.get(decodeURIComponent(m[1]).toLowerCase()) : undefined
    if (!repo) continue
    const mapped = mapIssue(item, repo)
    if (mapped.kind === 'pull' && mapped.row.state === 'closed' && !mapped.row.merged) rows.push(mapped.row)
  }
  return rows
}

/** Every selected repository's cursor forward to `to` (never back). */
async function moveCursors(tx: Queryable, ctx: Context, to: Date): Promise<void> {
  for (const repo of ctx.repos) {
    const cursor = ctx.cursors.get(repo.id) as Cursor
    if (cursor.highWater && cursor.highWater >= to) continue
    cursor.highWater = to
    await setCursor(tx, CURSORS.unmerged, repo.id, cursor)
  }
}
