import { getPage, pageOf, type Page } from '../../github/conditional.js'
import { rangeQualifier } from '../../github/search.js'
import type { GitHubIssue } from '../../github/types.js'
import type { BackfillRoute, BackfillState } from '../../model/backfill.js'
import type { Repo } from '../../model/repo.js'
import { issuesDisabled, recordIssuesDisabled } from '../issues-disabled.js'
import type { Deps } from '../types.js'

export const LIST_ROUTE = 'GET /repos/{owner}/{repo}/issues'
const PER_PAGE = 100
/** A listing of at most this many pages is read as is: no probe can beat it by enough to pay for itself. */
const SMALL_LISTING_PAGES = 2

/**
 * The issues listing for a backfill: every issue and PR updated since
 * `since` (a superset of those created since then), oldest created first,
 * so the walk stops at the first item created after `until`.
 */
export function listingParams(repo: Repo, state: BackfillState): Record<string, unknown> {
  return {
    owner: repo.org,
    repo: repo.name,
    state: 'all',
    sort: 'created',
    direction: 'asc',
    since: state.since,
    per_page: PER_PAGE
  }
}

/** The search query (without the date range) that covers a repository's issues and PRs. */
export function searchQuery(repo: Repo): string {
  return `repo:${repo.fullName}`
}

export interface RouteChoice {
  route: BackfillRoute
  /** The listing's first page, already paid for: the listing walk starts with it. */
  first?: Page<GitHubIssue[]>
  /** Estimated requests of each route, for the log. */
  listingPages: number
  searchRequests?: number
}

/**
 * Picks the cheaper way to read a repository's range. The listing's first
 * page (1 core request) tells its length from `Link: rel="last"`; a short
 * listing is simply read. For a long one, one search request (`per_page=1`)
 * counts the items created in the range: search windows cost about one
 * request per 100 of them plus one per 1,000 for window splits (from the
 * search bucket, 30 a minute), the listing one per 100 items updated since
 * `since`. Search wins when the range is a small part of a big repository.
 */
export async function chooseRoute(deps: Deps, repo: Repo, state: BackfillState): Promise<RouteChoice> {
  // Issues turned off: the listing answers 410, search still finds the pull requests.
  if (repo.hasIssues === false) return { route: 'search', listingPages: 0 }
  let first: Page<GitHubIssue[]>
  try {
    first = await getPage<GitHubIssue[]>(deps.octokit, LIST_ROUTE, listingParams(repo, state))
  } catch (error) {
    if (!issuesDisabled(error)) throw error
    await recordIssuesDisabled(deps, repo)
    return { route: 'search', listingPages: 0 }
  }
  if (first.notModified) throw new Error(`backfill: unexpected 304 for the issues of ${repo.fullName}`)
  const lastPage = pageOf(first.links.last)
  // No `last` link with a `next` one: GitHub switched to cursors, so the listing is very long.
  const listingPages = lastPage ?? (first.links.next ? Number.POSITIVE_INFINITY : 1)
  if (listingPages <= SMALL_LISTING_PAGES) return { route: 'listing', first, listingPages }

  const to = Date.parse(state.until) + 1
  const probe = await getPage<{ total_count: number }>(deps.octokit, 'GET /search/issues', {
    q: `${searchQuery(repo)} ${rangeQualifier('created', Date.parse(state.since), Math.ceil(to / 1000) * 1000)}`,
    per_page: 1
  })
  if (probe.notModified) throw new Error(`backfill: unexpected 304 for a search of ${repo.fullName}`)
  const inRange = probe.data.total_count
  const searchRequests = Math.max(1, Math.ceil(inRange / PER_PAGE)) + Math.floor(inRange / 1000)
  // The listing's first page is already read, so the listing has listingPages - 1 to go.
  if (searchRequests < listingPages - 1) return { route: 'search', listingPages, searchRequests }
  return { route: 'listing', first, listingPages, searchRequests }
}
