import type { Log } from '../log.js'
import type { Octokit } from './client.js'
import { getPage } from './conditional.js'
import type { GitHubIssue, SearchPage } from './types.js'

/** Date fields GitHub search can range over with date-times. */
export type SearchField = 'created' | 'updated' | 'closed'

export interface SearchWindowQuery {
  /** Qualifiers without the date range, e.g. `repo:acme/app is:pr is:unmerged is:closed`. */
  readonly query: string
  /** The field the window ranges over. */
  readonly field: SearchField
  /** Window start, inclusive (rounded down to the second). */
  readonly from: Date
  /** Window end, exclusive (rounded up to the second). */
  readonly to: Date
  /** Re-requests of a page answered `incomplete_results` (default 2). */
  readonly incompleteRetries?: number
}

/** One date window whose results fit under the cap, with every item it matched. */
export interface SearchWindow {
  readonly from: Date
  readonly to: Date
  readonly items: GitHubIssue[]
  /** GitHub's total_count for the window. */
  readonly totalCount: number
  /**
   * False when GitHub still answered `incomplete_results` after the retries,
   * a one-second window held more than 1,000 results, or fewer distinct
   * items came than `total_count` said: a caller keeping a cursor must not
   * move it past this window.
   */
  readonly complete: boolean
}

/** GitHub serves at most this many results per query. */
export const SEARCH_CAP = 1000
const PER_PAGE = 100
const SECOND = 1000

/**
 * Every result of `query` whose `field` lies in [from, to), one window at a
 * time, oldest window first. A window whose total_count passes 1,000 is
 * halved (on whole seconds) until each part fits, so no query ever crosses
 * the cap; a page answered `incomplete_results` (a search time-out) is asked
 * again. Pages follow the `Link: rel="next"` URL as given. Requests go
 * through the client's throttling, which keeps to the 30-a-minute search
 * bucket and waits out secondary limits.
 */
export async function* searchWindows(octokit: Octokit, log: Log, q: SearchWindowQuery): AsyncGenerator<SearchWindow> {
  const from = Math.floor(q.from.getTime() / SECOND) * SECOND
  const to = Math.ceil(q.to.getTime() / SECOND) * SECOND
  if (!(to > from)) return
  // Depth-first over a stack, so windows come out oldest first.
  const stack: [number, number][] = [[from, to]]
  while (stack.length > 0) {
    const [a, b] = stack.pop() as [number, number]
    const window = await fetchWindow(octokit, log, q, a, b)
    if (window === 'split') {
      const mid = a + Math.floor((b - a) / 2 / SECOND) * SECOND
      stack.push([mid, b], [a, mid])
      continue
    }
    yield window
  }
}

/** The search qualifier for [from, to) on whole seconds: `closed:A..B` with B the last second inside. */
export function rangeQualifier(field: SearchField, fromMs: number, toMs: number): string {
  return `${field}:${isoSeconds(fromMs)}..${isoSeconds(toMs - SECOND)}`
}

/** A search date-time: ISO-8601 in UTC, whole seconds. */
export function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z')
}

async function fetchWindow(
  octokit: Octokit,
  log: Log,
  q: SearchWindowQuery,
  from: number,
  to: number
): Promise<SearchWindow | 'split'> {
  const query = `${q.query} ${rangeQualifier(q.field, from, to)}`
  const retries = q.incompleteRetries ?? 2
  let complete = true
  const first = await fetchPage(octokit, log, query, undefined, retries)
  const totalCount = first.data.total_count
  if (totalCount > SEARCH_CAP) {
    if (to - from > SECOND) {
      log.debug(`search: ${totalCount} results for '${query}', splitting the window`)
      return 'split'
    }
    log.warning(
      `search: ${totalCount} results within one second for '${query}'; only the first ${SEARCH_CAP} are served.`
    )
    complete = false
  }
  // Items with equal sort keys can trade places between pages, and items
  // move in and out of the window while it is paged: keep one item per id
  // (the last answer wins), and call the window incomplete when fewer
  // distinct items came than GitHub counted, so no cursor moves past it.
  const byId = new Map<number, GitHubIssue>()
  for (const item of first.data.items) byId.set(item.id, item)
  complete &&= !first.incomplete
  let next = first.next
  while (next) {
    const page = await fetchPage(octokit, log, query, next, retries)
    for (const item of page.data.items) byId.set(item.id, item)
    complete &&= !page.incomplete
    next = page.next
  }
  const items = [...byId.values()]
  if (complete && items.length < Math.min(totalCount, SEARCH_CAP)) {
    log.warning(
      `search: ${items.length} distinct results of the ${totalCount} counted for '${query}' ` +
        '(items moved while it was paged); the window counts as incomplete.'
    )
    complete = false
  } else if (!complete) log.warning(`search: results for '${query}' may be incomplete.`)
  return { from: new Date(from), to: new Date(to), items, totalCount, complete }
}

async function fetchPage(
  octokit: Octokit,
  log: Log,
  query: string,
  url: string | undefined,
  retries: number
): Promise<{ data: SearchPage; next?: string; incomplete: boolean }> {
  for (let attempt = 0; ; attempt++) {
    // Sorted by creation, oldest first: an order items do not leave while the window is paged.
    const page = url
      ? await getPage<SearchPage>(octokit, url)
      : await getPage<SearchPage>(octokit, 'GET /search/issues', {
          q: query,
          sort: 'created',
          order: 'asc',
          per_page: PER_PAGE
        })
    if (page.notModified) throw new Error(`search: unexpected 304 for '${query}'`)
    if (!page.data.incomplete_results || attempt >= retries) {
      return { data: page.data, next: page.links.next, incomplete: page.data.incomplete_results }
    }
    log.debug(`search: incomplete results for '${query}', asking again`)
  }
}
