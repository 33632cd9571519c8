import { getCursor, setCursor } from '../db/cursors.js'
import { getEtag, putEtag } from '../db/etags.js'
import { upsertMapped } from '../db/issues.js'
import { markIssuesDisabled } from '../db/repositories.js'
import { etagKey, getPage } from '../github/conditional.js'
import { mapIssue } from '../github/map-issue.js'
import { searchWindows } from '../github/search.js'
import type { Settings } from '../inputs.js'
import { CURSORS } from '../model/cursor.js'
import type { Repo } from '../model/repo.js'
import type { TokenMode } from './token-mode.js'
import type { Deps } from './types.js'

const PULLS = 'GET /repos/{owner}/{repo}/pulls'

/** What one repository's sync did (the shape of issues-listing's SearchedPulls). */
export interface SearchedPulls {
  listed: number
  issues: number
  pulls: number
  /** A search window came back incomplete: the cursor stays. */
  incomplete: boolean
}
/** Where a repository without a cursor is searched from when `since` is not given: GitHub's launch. */
const BEGINNING = new Date('2008-01-01T00:00:00Z')

/**
 * GitHub's answer to an issue route of a repository whose issues are turned
 * off: 410 "Issues are disabled for this repo" (ingydotnet/git-hub#72; for a
 * single issue or pull request number too, sigmavirus24/github3.py#332).
 */
export function issuesDisabled(error: unknown): boolean {
  const e = error as { status?: number; message?: string; response?: { data?: { message?: string } } }
  return e?.status === 410 && /issues are disabled/i.test(e.response?.data?.message ?? e.message ?? '')
}

/**
 * The `issues` task for a repository with issues turned off, whose issues
 * listing answers 410: its pull requests still exist and still sync. The
 * pulls list has no `since` and lists pull ids, not the issue ids the rows
 * are keyed by, so they are read through search, `repo:o/r is:pr updated:A..B`
 * from the repository's cursor (less the overlap; without one from `since`,
 * else from GitHub's beginning), which returns them as the issues listing
 * would (issue id, `pull_request.merged_at`) — one search request per 100
 * changed pull requests, from the search bucket. With a stable token, page 1
 * of the pulls list sorted by update is asked first with its stored ETag: a
 * 304 (free) means no pull request changed, and nothing is searched. The
 * cursor moves to the end of the searched range only when every window came
 * back complete.
 */
export async function syncPullsBySearch(
  deps: Deps,
  settings: Settings,
  repo: Repo,
  mode: TokenMode
): Promise<SearchedPulls> {
  const { sql, octokit, log, clock } = deps
  const result: SearchedPulls = { listed: 0, issues: 0, pulls: 0, incomplete: false }
  const cursor = await getCursor(sql, CURSORS.issues, repo.id)
  const probe = { owner: repo.org, repo: repo.name, state: 'all', sort: 'updated', direction: 'desc', per_page: 1 }
  const key = etagKey(PULLS, probe)
  let etag: string | undefined
  if (mode === 'stable') {
    const page = await getPage(octokit, PULLS, probe, cursor.highWater ? await getEtag(sql, key) : undefined)
    if (page.notModified) {
      log.debug(`${repo.name}: issues are turned off; no pull request changed (304)`)
      return result
    }
    etag = page.etag
  }
  const from = cursor.highWater
    ? new Date(cursor.highWater.getTime() - settings.overlapMinutes * 60_000)
    : (settings.since ?? BEGINNING)
  // The range ends a second past now, on a whole second (search dates have no milliseconds).
  const to = new Date(Math.ceil((clock().getTime() + 1000) / 1000) * 1000)
  for await (const window of searchWindows(octokit, log, {
    query: `repo:${repo.fullName} is:pr`,
    field: 'updated',
    from,
    to
  })) {
    if (!window.complete) result.incomplete = true
    result.listed += window.items.length
    const written = await sql.begin((tx) =>
      upsertMapped(
        tx,
        window.items.map((i) => mapIssue(i, repo))
      )
    )
    result.issues += written.issues
    result.pulls += written.pulls
  }
  if (!result.incomplete) {
    await sql.begin(async (tx) => {
      await setCursor(tx, CURSORS.issues, repo.id, { highWater: to, state: cursor.state })
      if (etag) await putEtag(tx, key, etag)
    })
  }
  log.info(
    `${repo.name}: issues are turned off; ${result.listed} pull requests found by search, ${result.pulls} written` +
      (result.incomplete ? ' (search incomplete: the next run searches the range again)' : '')
  )
  return result
}

/** Notes a repository found with its issues turned off (a 410 from an issue route), so later runs go by search. */
export async function recordIssuesDisabled(deps: Pick<Deps, 'sql' | 'log'>, repo: Repo): Promise<Repo> {
  deps.log.info(`${repo.fullName}: issues are turned off (410); its pull requests are synced through search.`)
  await markIssuesDisabled(deps.sql, repo.id)
  return { ...repo, hasIssues: false }
}
