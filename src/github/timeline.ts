import { RequestError } from '@octokit/request-error'
import type { Log } from '../log.js'
import type { TimelineIssue } from '../model/issue.js'
import type { Repo } from '../model/repo.js'
import type { Octokit } from './client.js'
import { getPage } from './conditional.js'
import { parseIssueLocation } from './transfer-location.js'
import type { TimelineItem } from './types.js'

const ROUTE = 'GET /repos/{owner}/{repo}/issues/{issue_number}/timeline'
/** GitHub's largest page; event_polls page numbers assume it. */
export const TIMELINE_PER_PAGE = 100
/**
 * Most pages one walk reads (5,000 items, as the GraphQL read's default):
 * a longer timeline is stored up to here and reported as capped, not retried
 * every run (nor failing its repository's runs); a server that ignored `page`
 * stops here too.
 */
export const TIMELINE_MAX_PAGES = 50

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
  /** True when the page cap ended the walk before the last page: only the first pages are read. */
  capped: boolean
}

/** Why a walk read nothing: the issue moved (301 elsewhere), was deleted (410) or cannot be read (404). */
export interface TimelineSkipped {
  skipped: 'moved' | 'gone' | 'renamed'
  /** For 'renamed' and 'moved': the redirect's Location. */
  location?: string
}

/**
 * Requests the timeline page by page, conditionally where an ETag is
 * stored. Goes on while a page links a next one, while pages known from
 * the last walk remain, or while the page is full (items may have been
 * added after it: GitHub's ETag covers a page's body only, so a full page
 * stays 304 while the next page fills). A full last page is followed by
 * one request for the empty page after it, whose ETag makes later checks
 * free. Stops after `maxPages` (marked `capped`). Says why when nothing
 * could be read: the issue moved (a 301 to another issue: a transfer, left to
 * the transfers task), was deleted or cannot be read (410, 404), or its
 * repository was renamed — a 301 to `/repositories/{id}/issues/{n}/…` of the
 * same repository id and number (GitHub's rename redirect,
 * gidgethub/gidgethub#214), which the caller follows by refreshing the
 * repository's name and walking again.
 */
export async function readTimeline(
  octokit: Octokit,
  log: Log,
  repo: Repo,
  issue: Pick<TimelineIssue, 'number'>,
  known: ReadonlyMap<number, KnownPage>,
  conditional = true,
  maxPages = TIMELINE_MAX_PAGES
): Promise<TimelineRead | TimelineSkipped> {
  const knownLast = Math.max(0, ...known.keys())
  const read: TimelineRead = { fetched: new Map(), polls: [], lastPage: 1, notModified: 0, capped: false }
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
        return { skipped: 'gone' }
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
        const location = result.headers.location ?? (result.data as { url?: string } | null)?.url
        const target = parseIssueLocation(location)
        if (target?.form === 'repositories' && target.repoId === repo.id && target.number === issue.number) {
          return { skipped: 'renamed', location }
        }
        log.warning(`${repo.name}#${issue.number}: timeline moved (${location ?? 'no location'}); skipped.`)
        return { skipped: 'moved', location }
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
    if (page >= maxPages) {
      read.capped = true
      log.warning(
        `${repo.fullName}#${issue.number}: timeline longer than ${maxPages} pages (${maxPages * TIMELINE_PER_PAGE} ` +
          'items); stored up to there.'
      )
      return read
    }
  }
}

/** Whether a walk read the timeline (else it says why not). */
export function wasRead(r: TimelineRead | TimelineSkipped): r is TimelineRead {
  return !('skipped' in r)
}
