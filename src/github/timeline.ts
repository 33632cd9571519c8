import { RequestError } from '@octokit/request-error'
import type { Log } from '../log.js'
import type { TimelineIssue } from '../model/issue.js'
import type { Repo } from '../model/repo.js'
import type { Octokit } from './client.js'
import { getPage } from './conditional.js'
import type { TimelineItem } from './types.js'

const ROUTE = 'GET /repos/{owner}/{repo}/issues/{issue_number}/timeline'
/** GitHub's largest page; event_polls page numbers assume it. */
export const TIMELINE_PER_PAGE = 100
/** A timeline longer than this (50,000 items) means a server that ignores `page`: fail rather than loop. */
const MAX_PAGES = 500

/** What an earlier walk learned about one page: the ETag to send, and how many items it held. */
export interface KnownPage {
  etag: string | null
  item_count: number
}

/** What one walk over an issue's timeline found. */
export interface TimelineRead {
  /** Pages answered 200, with their items. */
  fetched: Map<number, TimelineItem[]>
  /** Every page checked, with the ETag to send next time. */
  polls: { page_no: number; etag: string | null; item_count: number }[]
  lastPage: number
  notModified: number
}

/**
 * Requests the timeline page by page, conditionally where an ETag is
 * stored. Goes on while a page links a next one, while pages known from
 * the last walk remain, or while the page is full (items may have been
 * added after it: GitHub's ETag covers a page's body only, so a full page
 * stays 304 while the next page fills). A full last page is followed by
 * one request for the empty page after it, whose ETag makes later checks
 * free. Returns undefined when the issue moved, was deleted or cannot be read.
 */
export async function readTimeline(
  octokit: Octokit,
  log: Log,
  repo: Repo,
  issue: Pick<TimelineIssue, 'number'>,
  known: ReadonlyMap<number, KnownPage>,
  conditional = true
): Promise<TimelineRead | undefined> {
  const knownLast = Math.max(0, ...known.keys())
  const read: TimelineRead = { fetched: new Map(), polls: [], lastPage: 1, notModified: 0 }
  for (let page = 1; ; page++) {
    const poll = known.get(page)
    const params = {
      owner: repo.org,
      repo: repo.name,
      issue_number: issue.number,
      per_page: TIMELINE_PER_PAGE,
      page,
      // A transferred issue answers 301; following it would file the new
      // issue's timeline under the old id. The transfers task handles moves.
      request: { redirect: 'manual' }
    }
    let result
    try {
      result = await getPage<TimelineItem[]>(octokit, ROUTE, params, poll?.etag ?? undefined)
    } catch (error) {
      if (error instanceof RequestError && (error.status === 404 || error.status === 410)) {
        log.warning(`${repo.name}#${issue.number}: timeline answered ${error.status}; skipped.`)
        return undefined
      }
      throw error
    }
    let more: boolean
    if (result.notModified) {
      const count = poll?.item_count ?? TIMELINE_PER_PAGE
      read.notModified++
      read.polls.push({ page_no: page, etag: poll?.etag ?? null, item_count: count })
      more = page < knownLast || count >= TIMELINE_PER_PAGE
    } else {
      if (!Array.isArray(result.data)) {
        // 301 with redirect: 'manual' comes back as a response, not an error.
        log.warning(
          `${repo.name}#${issue.number}: timeline moved (${result.headers.location ?? 'no location'}); skipped.`
        )
        return undefined
      }
      read.fetched.set(page, result.data)
      read.polls.push({ page_no: page, etag: result.etag ?? null, item_count: result.data.length })
      // With a stable token a full last page is followed by the empty page
      // after it, whose ETag makes the next check free; without, the Link
      // header alone says whether there is more.
      more = result.links.next !== undefined || (conditional && result.data.length >= TIMELINE_PER_PAGE)
    }
    read.lastPage = page
    if (!more) return read
    if (page >= MAX_PAGES) {
      throw new Error(`${repo.fullName}#${issue.number}: timeline has more than ${MAX_PAGES} pages; giving up.`)
    }
  }
}
