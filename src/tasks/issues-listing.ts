import { getCursor, setCursor } from '../db/cursors.js'
import { getEtag, putEtag } from '../db/etags.js'
import { upsertMapped } from '../db/issues.js'
import { etagKey, getPage, type Page } from '../github/conditional.js'
import { mapIssue } from '../github/map-issue.js'
import type { GitHubIssue } from '../github/types.js'
import type { Settings } from '../inputs.js'
import { CURSORS } from '../model/cursor.js'
import type { Repo } from '../model/repo.js'
import { outOfBudget } from './budget.js'
import { issuesDisabled, recordIssuesDisabled, syncPullsBySearch } from './issues-disabled.js'
import type { TokenMode } from './token-mode.js'
import type { Deps } from './types.js'

const ROUTE = 'GET /repos/{owner}/{repo}/issues'
const PER_PAGE = 100
/** A listing from an existing cursor this long moves the cursor on (half a page). */
const MOVE_AT = 50
/**
 * How far GitHub's clock may run ahead of ours when telling whether an item
 * changed during a listing (changes before the listing began shift nothing).
 */
const CLOCK_SKEW_MS = 60_000

/** What one repository's sync did. */
export interface RepoIssuesResult {
  listed: number
  issues: number
  pulls: number
  /** Stopped before the end (budget reserve reached). */
  incomplete: boolean
  /** An item named the repository otherwise (GitHub followed a rename's redirect): the stored list is stale. */
  renamed?: boolean
}

/**
 * Brings one repository up to date. The listing is sorted by updated_at,
 * oldest first, so each committed page is a safe resume point. Its URL
 * depends only on the cursor, so while nothing changes the stored ETag of
 * that exact URL answers 304 (free). A short answer leaves the cursor put
 * (so a change costs one request); when the cursor does move, the new URL
 * is asked once more to learn its ETag — that request re-lists the overlap,
 * which writes nothing — and the next quiet run is free again.
 */
export async function syncRepoIssues(
  deps: Deps,
  settings: Settings,
  repo: Repo,
  mode: TokenMode = 'stable'
): Promise<RepoIssuesResult> {
  // Issues turned off: the listing would answer 410; the pull requests go by search.
  if (repo.hasIssues === false) return syncPullsBySearch(deps, settings, repo, mode)
  try {
    return await syncListing(deps, settings, repo, mode)
  } catch (error) {
    // Turned off since the repository list was read.
    if (!issuesDisabled(error)) throw error
    return syncPullsBySearch(deps, settings, await recordIssuesDisabled(deps, repo), mode)
  }
}

async function syncListing(deps: Deps, settings: Settings, repo: Repo, mode: TokenMode): Promise<RepoIssuesResult> {
  const result: RepoIssuesResult = { listed: 0, issues: 0, pulls: 0, incomplete: false }
  let rechecks = 0
  let recheckFrom: number | undefined
  // Usually two passes with a stable token: the listing, then the new URL's
  // ETag. With a rotating token one: no later run could use that ETag. More
  // only when items changed while a multi-page listing was read.
  for (let pass = 0; pass < 6 && !result.incomplete; pass++) {
    const listed = await listOnce(deps, settings, repo, result, mode === 'stable', recheckFrom)
    recheckFrom = undefined
    if (listed.recheckFrom !== undefined && rechecks < 2) {
      rechecks++
      recheckFrom = listed.recheckFrom
      debugLine(
        deps,
        repo,
        `items changed while listing; re-reading from ${new Date(listed.recheckFrom).toISOString()}`
      )
      continue
    }
    if (mode === 'rotating' || (!listed.moved && !listed.recheck)) break
  }
  deps.log.info(
    `${repo.name}: ${result.listed} listed, ${result.issues} issues and ${result.pulls} pull requests written` +
      (result.incomplete ? ' (stopped at the budget reserve)' : '')
  )
  return result
}

function debugLine(deps: Deps, repo: Repo, message: string): void {
  deps.log.debug(`${repo.name}: ${message}`)
}

interface Listed {
  /** The cursor moved, so the listing's URL changed. */
  moved: boolean
  /** This pass was a re-read from an explicit point. */
  recheck: boolean
  /**
   * Set when an item changed while a multi-page listing was read: GitHub
   * pages by number, so the change shifted later items by one and the item
   * at a page boundary may have been skipped. Re-read from that boundary.
   */
  recheckFrom?: number
}

/**
 * One listing: from the cursor (conditional on the stored ETag of that exact
 * URL, when `conditional`), or from `from` (a re-read after a shift). The
 * cursor only moves forward, in the transaction of each page.
 */
async function listOnce(
  deps: Deps,
  settings: Settings,
  repo: Repo,
  result: RepoIssuesResult,
  conditional: boolean,
  from?: number
): Promise<Listed> {
  const { sql, octokit, clock } = deps
  const recheck = from !== undefined || !conditional
  const cursor = await getCursor(sql, CURSORS.issues, repo.id)
  const params = listingParams(repo, from !== undefined ? new Date(from) : sinceOf(cursor.highWater, settings))
  const key = etagKey(ROUTE, params)
  const pages: { fetchedAt: number; last?: number }[] = [{ fetchedAt: clock().getTime() }]
  const firstPage = await getPage<GitHubIssue[]>(octokit, ROUTE, params, recheck ? undefined : await getEtag(sql, key))
  if (firstPage.notModified) {
    debugLine(deps, repo, `no change since ${params.since ?? 'the beginning'} (304)`)
    await markSynced(deps, repo, pages[0].fetchedAt)
    return { moved: false, recheck }
  }
  const start = cursor.highWater?.getTime()
  let highWater = start
  let changedDuring: number | undefined
  let page: Fetched<GitHubIssue[]> = firstPage
  for (;;) {
    const items = page.data
    const index = pages.length - 1
    result.listed += items.length
    if (
      items.some(
        (i) => i.repository_url && !i.repository_url.toLowerCase().endsWith(`/repos/${repo.fullName.toLowerCase()}`)
      )
    )
      result.renamed = true
    const pageMax = maxUpdatedAt(items)
    pages[index].last = pageMax
    const next: string | undefined = page.links.next
    // A short, complete answer from an existing cursor leaves the cursor (and
    // so the URL) where it is: the next change costs one request instead of
    // two (the change, then the new URL's ETag). Past MOVE_AT items it moves.
    const stay = index === 0 && !recheck && start !== undefined && !next && items.length < MOVE_AT
    if (!stay && pageMax !== undefined && (highWater === undefined || pageMax > highWater)) highWater = pageMax
    if (index > 0) {
      for (const i of items) {
        const t = Date.parse(i.updated_at)
        if (t >= pages[0].fetchedAt - CLOCK_SKEW_MS && (changedDuring === undefined || t < changedDuring))
          changedDuring = t
      }
    }
    const moved = highWater !== start
    // The first page's URL is asked again only while the cursor stays put,
    // and only a short, last page proves that a later 304 on it means
    // "nothing changed" (a full page could hide a change on page two).
    const keepEtag = index === 0 && !recheck && !moved && !next && items.length < PER_PAGE
    const etag = page.etag
    const hw = highWater
    // A repository with nothing in it, read without conditional requests
    // (a rotating token): it is stored "up to" a minute before this listing,
    // so later runs search it instead of listing it again every run.
    const emptyAt =
      !conditional && start === undefined && index === 0 && !next && items.length === 0
        ? new Date(pages[0].fetchedAt - CLOCK_SKEW_MS)
        : undefined
    await sql.begin(async (tx) => {
      if (emptyAt) await setCursor(tx, CURSORS.issues, repo.id, { highWater: emptyAt, state: cursor.state })
      const written = await upsertMapped(
        tx,
        items.map((i) => mapIssue(i, repo))
      )
      result.issues += written.issues
      result.pulls += written.pulls
      if (hw !== undefined && moved) {
        await setCursor(tx, CURSORS.issues, repo.id, { highWater: new Date(hw), state: cursor.state })
      }
      if (index === 0 && !recheck) await putEtag(tx, key, keepEtag ? etag : undefined)
    })
    if (!next) break
    if (outOfBudget(deps, settings)) {
      result.incomplete = true
      break
    }
    pages.push({ fetchedAt: clock().getTime() })
    const got = await getPage<GitHubIssue[]>(octokit, next)
    if (got.notModified) break
    page = got
  }
  if (!result.incomplete) await markSynced(deps, repo, pages[0].fetchedAt)
  return { moved: highWater !== start, recheck, recheckFrom: shiftedFrom(pages, changedDuring, CLOCK_SKEW_MS) }
}

/**
 * Notes that every change of the repository up to `at` (less the clock
 * skew) is stored: a listing from the cursor answered whole (or 304). The
 * high-water mark may lag behind (a short answer leaves it put, to keep the
 * URL and its ETag); tasks that rely on the issues rows (unmerged) read this.
 */
async function markSynced(deps: Deps, repo: Repo, at: number): Promise<void> {
  await setCursor(deps.sql, CURSORS.issuesSynced, repo.id, { highWater: new Date(at - CLOCK_SKEW_MS), state: {} })
}

/**
 * Where a re-read must start after an item changed at `changedAt` during a
 * paged listing: the last item of the page before the first page fetched
 * after the change (with `skew` for clocks). Undefined when nothing changed.
 */
export function shiftedFrom(
  pages: readonly { fetchedAt: number; last?: number }[],
  changedAt: number | undefined,
  skew: number
): number | undefined {
  if (changedAt === undefined) return undefined
  const firstAfter = pages.findIndex((p, i) => i > 0 && p.fetchedAt >= changedAt - skew)
  if (firstAfter < 0) return undefined
  return pages[firstAfter - 1].last
}

type Fetched<T> = Extract<Page<T>, { notModified: false }>

function listingParams(repo: Repo, since: Date | undefined): Record<string, string | number> {
  const params: Record<string, string | number> = {
    owner: repo.org,
    repo: repo.name,
    state: 'all',
    sort: 'updated',
    direction: 'asc',
    per_page: PER_PAGE
  }
  if (since) params.since = since.toISOString().replace(/\.\d{3}Z$/, 'Z')
  return params
}

/** Where a listing starts: the cursor less the overlap, else `since`, else the beginning. */
export function sinceOf(
  highWater: Date | undefined,
  settings: Pick<Settings, 'since' | 'overlapMinutes'>
): Date | undefined {
  if (highWater) return new Date(highWater.getTime() - settings.overlapMinutes * 60_000)
  return settings.since
}

function maxUpdatedAt(items: GitHubIssue[]): number | undefined {
  let max: number | undefined
  for (const i of items) {
    const t = Date.parse(i.updated_at)
    if (!Number.isNaN(t) && (max === undefined || t > max)) max = t
  }
  return max
}
