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
  return { notModified: false, repos, etag: first.etag }
}

function listParams(org: string): Record<string, string | number> {
  return { org, type: 'all', sort: 'created', direction: 'desc', per_page: 100 }
}
