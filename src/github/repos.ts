import { RequestError } from '@octokit/request-error'
import type { Octokit } from './client.js'
import { etagKey, getPage } from './conditional.js'
import type { GitHubRepo } from './types.js'

const ROUTE = 'GET /orgs/{org}/repos'

/** The org's repository list, or "unchanged since the ETag sent". */
export type OrgRepositories = { notModified: true } | { notModified: false; repos: GitHubRepo[]; etag?: string }

/** The request key the list's first page's ETag is stored under. */
export function orgRepositoriesKey(org: string): string {
  return etagKey(ROUTE, listParams(org))
}

/**
 * Lists an organisation's repositories, newest first. The first page is
 * asked conditionally when an ETag is given (a 304 costs nothing); the rest
 * follow the `Link: rel="next"` URLs as given.
 *
 * GitHub pages this list by position (`page=N`), so a repository created
 * while the list is walked pushes the last one of a page onto the next page
 * too (listed twice: deduplicated by id here), and one deleted meanwhile
 * pulls the first of the next page onto a page already read (not listed at
 * all: callers confirm a repository missing from a walk before they believe
 * it gone, see tasks/repositories.ts).
 */
export async function listOrgRepositories(octokit: Octokit, org: string, etag?: string): Promise<OrgRepositories> {
  const first = await getPage<GitHubRepo[]>(octokit, ROUTE, listParams(org), etag)
  if (first.notModified) return { notModified: true }
  const repos = [...first.data]
  if (first.links.next) {
    for await (const page of octokit.paginate.iterator<GitHubRepo>({ method: 'GET', url: first.links.next })) {
      repos.push(...(page.data as GitHubRepo[]))
    }
  }
  return { notModified: false, repos: uniqueById(repos), etag: first.etag }
}

/** One entry per id (the last seen wins: it was read later). */
export function uniqueById<T extends { id: number }>(items: readonly T[]): T[] {
  return [...new Map(items.map((r) => [r.id, r])).values()]
}

/**
 * A repository by id (`GET /repositories/{id}`, which follows renames and
 * transfers by itself), or null when GitHub answers 404 (deleted, or no
 * longer readable by the token) or 410. One billable request.
 */
export async function repositoryById(octokit: Octokit, id: number): Promise<GitHubRepo | null> {
  try {
    const page = await getPage<GitHubRepo>(octokit, 'GET /repositories/{id}', { id })
    return page.notModified ? null : page.data
  } catch (error) {
    if (error instanceof RequestError && (error.status === 404 || error.status === 410)) return null
    throw error
  }
}

/**
 * What kind of account a login is (`GET /users/{username}`, which answers
 * organisations too, with `type: 'Organization'`), or 'none' when GitHub
 * answers 404. One billable request.
 */
export async function accountType(octokit: Octokit, login: string): Promise<'User' | 'Organization' | 'none'> {
  try {
    const { data } = await octokit.request('GET /users/{username}', { username: login })
    return (data as { type?: string }).type === 'Organization' ? 'Organization' : 'User'
  } catch (error) {
    if (error instanceof RequestError && error.status === 404) return 'none'
    throw error
  }
}

function listParams(org: string): Record<string, string | number> {
  return { org, type: 'all', sort: 'created', direction: 'desc', per_page: 100 }
}
