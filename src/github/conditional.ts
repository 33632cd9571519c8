import { endpoint } from '@octokit/endpoint'
import { RequestError } from '@octokit/request-error'
import type { Octokit } from './client.js'

/** The `Link` header's relations, as absolute URLs given by GitHub. */
export interface Links {
  next?: string
  last?: string
  prev?: string
  first?: string
}

/** One page of a GET: either unchanged since the ETag we sent, or its data. */
export type Page<T> =
  | { notModified: true }
  | {
      notModified: false
      data: T
      etag?: string
      links: Links
      headers: Record<string, string | undefined>
    }

/**
 * GETs one page, conditionally when an ETag is given. `route` is an Octokit
 * route ('GET /repos/{owner}/{repo}/issues') expanded with `params`, or an
 * absolute URL from a Link header, followed exactly as given (cursor links
 * keep working where deep page numbers answer 422). A 304 — which costs no
 * rate limit — comes back as `{ notModified: true }` rather than a throw.
 */
export async function getPage<T>(
  octokit: Octokit,
  route: string,
  params: Record<string, unknown> = {},
  etag?: string
): Promise<Page<T>> {
  const headers = { ...((params.headers as Record<string, string>) ?? {}), ...(etag ? { 'if-none-match': etag } : {}) }
  try {
    const response = isAbsolute(route)
      ? await octokit.request({ method: 'GET', url: route, headers, request: params.request as never })
      : await octokit.request(route, { ...params, headers })
    const h = response.headers as Record<string, string | undefined>
    return { notModified: false, data: response.data as T, etag: h.etag, links: parseLinks(h.link), headers: h }
  } catch (error) {
    if (error instanceof RequestError && error.status === 304) return { notModified: true }
    throw error
  }
}

/** Parses `<url>; rel="next", <url>; rel="last"`. */
export function parseLinks(header: string | undefined): Links {
  const links: Links = {}
  if (!header) return links
  for (const part of header.split(',')) {
    const m = /<([^>]+)>\s*;\s*rel="([^"]+)"/.exec(part)
    if (m && (m[2] === 'next' || m[2] === 'last' || m[2] === 'prev' || m[2] === 'first')) links[m[2]] = m[1]
  }
  return links
}

/** The `page=` number of a Link URL, if it has one. */
export function pageOf(url: string | undefined): number | undefined {
  if (!url) return undefined
  const page = new URL(url).searchParams.get('page')
  return page === null ? undefined : Number(page)
}

/**
 * A stable key for a request, for stored ETags: the path octokit sends for
 * `route` and `params` (expanded by @octokit/endpoint, exactly as
 * octokit.request does), or the path of an absolute Link URL, with the query
 * sorted and without host or credentials (so a GHES host change or a new
 * token does not matter).
 */
export function etagKey(route: string, params: Record<string, unknown> = {}): string {
  const url = new URL(isAbsolute(route) ? route : endpoint(route as 'GET /', params).url)
  return `${url.pathname}${sortedQuery([...url.searchParams.entries()])}`
}

function sortedQuery(pairs: [string, string][]): string {
  if (pairs.length === 0) return ''
  const sorted = [...pairs].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  return `?${sorted.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&')}`
}

function isAbsolute(route: string): boolean {
  return /^https?:\/\//i.test(route)
}
