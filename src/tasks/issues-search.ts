import { getCursor, setCursor } from '../db/cursors.js'
import { upsertMapped } from '../db/issues.js'
import { mapIssue } from '../github/map-issue.js'
import { isoSeconds, searchWindows } from '../github/search.js'
import type { GitHubIssue } from '../github/types.js'
import type { Settings } from '../inputs.js'
import { CURSORS } from '../model/cursor.js'
import type { MappedIssue } from '../model/issue.js'
import type { Repo } from '../model/repo.js'
import type { Deps } from './types.js'

/** A search this recent (by another run of the schedules) makes this run's unnecessary. */
const RECENT_SEARCH_MS = 5 * 60_000
/** A selection of at most this many repositories is searched with `repo:` qualifiers instead of `org:`. */
const REPO_QUALIFIERS_UP_TO = 5

export interface SearchSyncResult {
  /** Search results read (of selected repositories). */
  listed: number
  issues: number
  pulls: number
  /** Search requests spent. */
  windows: number
  /** A window was incomplete (incomplete_results, or fewer items than counted): cursors stay. */
  incomplete: boolean
}

/**
 * Change detection without conditional requests (a new token every run):
 * one search, `org:ORG updated:A..B` (or `repo:` qualifiers for a small
 * selection), returns every issue and pull request changed since the
 * oldest search cursor of the selected repositories, less `overlap-minutes`,
 * across the whole organisation — one request from the search bucket for a
 * quiet run, whatever the number of repositories. The items are the same
 * REST objects as the issues listing's (pull requests with their issue id
 * and `pull_request.merged_at`), so they are upserted through the same
 * mapper, forward-only. Search's index can lag behind writes: the overlap
 * re-reads the last minutes, and the consistent per-repository listing
 * (issues' own cursor) catches what search shows later than that.
 *
 * Cursors (`issues-search`, per repository) move to the end of the searched
 * range only when every window came back complete. `refreshRepos` lists the
 * org's repositories afresh and returns the selected ones, for results that
 * name a repository the stored list does not know (renamed or new).
 */
export async function syncBySearch(
  deps: Deps,
  settings: Settings,
  repos: readonly Repo[],
  orgRepos: readonly Repo[],
  refreshRepos: () => Promise<Repo[]>
): Promise<SearchSyncResult> {
  const result: SearchSyncResult = { listed: 0, issues: 0, pulls: 0, windows: 0, incomplete: false }
  if (repos.length === 0) return result
  const { sql, clock, log } = deps
  let starts: number[] = []
  let searchedAt = Number.POSITIVE_INFINITY
  for (const repo of repos) {
    const own = await getCursor(sql, CURSORS.issuesSearch, repo.id)
    const listed = own.highWater ?? (await getCursor(sql, CURSORS.issues, repo.id)).highWater
    if (listed) starts.push(listed.getTime())
    searchedAt = Math.min(searchedAt, own.highWater?.getTime() ?? Number.NEGATIVE_INFINITY)
  }
  if (starts.length === 0) return result
  if (clock().getTime() - searchedAt < RECENT_SEARCH_MS) {
    // Another run (the other scheduled workflow) searched these minutes ago.
    log.info(
      `search: every selected repository was searched less than ${RECENT_SEARCH_MS / 60_000} minutes ago; not again.`
    )
    return result
  }
  starts = [Math.min(...starts) - settings.overlapMinutes * 60_000]
  const from = new Date(starts[0])
  // The range ends a second past now, on a whole second (search dates have no milliseconds).
  const to = new Date(Math.ceil((clock().getTime() + 1000) / 1000) * 1000)
  const query =
    repos.length <= REPO_QUALIFIERS_UP_TO ? repos.map((r) => `repo:${r.fullName}`).join(' ') : `org:${settings.org}`

  let byName = nameIndex(repos)
  // Results of the org's other repositories (other shards, not in `repos`, archived) are not ours.
  const elsewhere = new Set(orgRepos.map((r) => r.fullName.toLowerCase()))
  const unknown: GitHubIssue[] = []
  for await (const window of searchWindows(deps.octokit, log, { query, field: 'updated', from, to })) {
    result.windows++
    if (!window.complete) result.incomplete = true
    const mapped: MappedIssue[] = []
    for (const item of window.items) {
      const name = repositoryName(item)
      const repo = name === undefined ? undefined : byName.get(name)
      if (repo) mapped.push(mapIssue(item, repo))
      else if (name !== undefined && !elsewhere.has(name)) unknown.push(item)
    }
    await store(deps, mapped, result)
  }

  // A result naming a repository we do not know: renamed or new since the
  // stored list. Refresh the list once (one request) and store what is ours.
  if (unknown.length > 0) {
    log.info(`search: ${unknown.length} result(s) in repositories not in the stored list; refreshing it.`)
    byName = nameIndex(await refreshRepos())
    const mapped: MappedIssue[] = []
    for (const item of unknown) {
      const repo = byName.get(repositoryName(item) ?? '')
      if (repo) mapped.push(mapIssue(item, repo))
    }
    await store(deps, mapped, result)
  }

  if (!result.incomplete) {
    await sql.begin(async (tx) => {
      for (const repo of repos) await setCursor(tx, CURSORS.issuesSearch, repo.id, { highWater: to, state: {} })
    })
  }
  log.info(
    `search '${query} updated:>=${isoSeconds(from.getTime())}': ${result.listed} results; ` +
      `${result.issues} issues and ${result.pulls} pull requests written` +
      (result.incomplete ? ' (incomplete: the next run searches the range again)' : '')
  )
  return result
}

async function store(deps: Deps, mapped: MappedIssue[], result: SearchSyncResult): Promise<void> {
  if (mapped.length === 0) return
  result.listed += mapped.length
  const written = await deps.sql.begin((tx) => upsertMapped(tx, mapped))
  result.issues += written.issues
  result.pulls += written.pulls
}

function nameIndex(repos: readonly Repo[]): Map<string, Repo> {
  return new Map(repos.map((r) => [r.fullName.toLowerCase(), r]))
}

/** `owner/name` (lower case) of a search result's repository. */
function repositoryName(item: GitHubIssue): string | undefined {
  const m = /\/repos\/([^/]+)\/([^/]+)$/.exec(item.repository_url ?? '')
  return m ? `${decodeURIComponent(m[1])}/${decodeURIComponent(m[2])}`.toLowerCase() : undefined
}
