import type { Queryable } from '../db/connect.js'
import { getCursor, setCursor } from '../db/cursors.js'
import { getEtag, putEtag } from '../db/etags.js'
import { openIssuesNotListed } from '../db/transfers.js'
import { etagKey, getPage } from '../github/conditional.js'
import { CURSORS } from '../model/cursor.js'
import type { Repo } from '../model/repo.js'
import type { HeldRow } from '../model/transfer.js'
import type { Settings } from '../inputs.js'
import { isDue } from './due.js'
import { issuesDisabled, recordIssuesDisabled } from './issues-disabled.js'
import type { Deps } from './types.js'

const ROUTE = 'GET /repos/{owner}/{repo}/issues'
const PER_PAGE = 100
/** GitHub answers 422 past page 100 of an issues listing; stay clear of it. */
const MAX_PAGES = 90
/** How often each repository's open issues are listed. */
export const LIST_EVERY_MS = 24 * 3600 * 1000

interface OpenListingState {
  /** Ids (issues and PRs) of each page as last answered 200, so a 304 page needs no body. */
  pages?: number[][]
  /** When the listing last completed (ISO). */
  listedAt?: string
}

/** One repository's open listing, to be committed once its candidates are handled. */
export interface OpenListing {
  repo: Repo
  /** Issues we hold as open that the listing no longer shows: closed, transferred or deleted. */
  vanished: HeldRow[]
  /** Billable requests the listing spent. */
  spent: number
  commit(tx: Queryable): Promise<void>
}

/**
 * Once a day per repository, lists its open issues page by page with stored
 * ETags (an unchanged page answers 304 and costs nothing) and returns the
 * issues we hold as open that are not listed any more. That is the only
 * signal for a move into a repository nobody tracks or the token cannot
 * read, and for a deletion. Undefined when the repository is not due, or the
 * budget ran out (`canSpend`).
 */
export async function listOpenIssues(
  deps: Deps,
  repo: Repo,
  now: Date,
  canSpend: () => boolean,
  settings: Pick<Settings, 'tasks'>
): Promise<OpenListing | undefined | 'stopped'> {
  const { sql, octokit } = deps
  const cursor = await getCursor(sql, CURSORS.transfersOpen, repo.id)
  const state = cursor.state as OpenListingState
  if (!isDue(state.listedAt, LIST_EVERY_MS, now, settings)) return undefined
  const stored = state.pages ?? []
  const pages: { key: string; ids: number[]; etag?: string; fresh: boolean }[] = []
  let spent = 0
  for (let n = 1; n <= MAX_PAGES; n++) {
    if (!canSpend()) return 'stopped'
    const params = {
      owner: repo.org,
      repo: repo.name,
      state: 'open',
      sort: 'created',
      direction: 'asc',
      per_page: PER_PAGE,
      page: n
    }
    const key = etagKey(ROUTE, params)
    const known = stored[n - 1]
    let page
    try {
      page = await getPage<{ id: number }[]>(octokit, ROUTE, params, known ? await getEtag(sql, key) : undefined)
    } catch (error) {
      // Issues turned off since the repository list was read: no open issue to lose.
      if (!issuesDisabled(error)) throw error
      await recordIssuesDisabled(deps, repo)
      return undefined
    }
    if (page.notModified) pages.push({ key, ids: known as number[], fresh: false })
    else {
      spent++
      pages.push({ key, ids: page.data.map((i) => i.id), etag: page.etag, fresh: true })
    }
    if (pages[n - 1].ids.length < PER_PAGE) break
    if (n === MAX_PAGES) {
      deps.log.info(`${repo.name}: more than ${MAX_PAGES * PER_PAGE} open items; vanished issues are not looked for.`)
      return undefined
    }
  }
  const listed = pages.flatMap((p) => p.ids)
  const vanished = await openIssuesNotListed(sql, repo.id, listed)
  return {
    repo,
    vanished,
    spent,
    commit: async (tx) => {
      for (const p of pages) if (p.fresh) await putEtag(tx, p.key, p.etag)
      const next: OpenListingState = { pages: pages.map((p) => p.ids), listedAt: now.toISOString() }
      await setCursor(tx, CURSORS.transfersOpen, repo.id, { state: next as Record<string, unknown> })
    }
  }
}

/**
 * The same check from the run's GraphQL snapshot, for a rotating token (a
 * REST page costs a request whenever no stored ETag can match): the open
 * issues' ids it listed for `repo`, compared with those held as open.
 * Undefined when the snapshot did not list the repository.
 */
export async function openIssuesFromSnapshot(
  deps: Deps,
  repo: Repo,
  openIds: readonly number[] | undefined,
  now: Date
): Promise<OpenListing | undefined> {
  if (!openIds) return undefined
  const vanished = await openIssuesNotListed(deps.sql, repo.id, [...openIds])
  return {
    repo,
    vanished,
    spent: 0,
    commit: async (tx) => {
      const next: OpenListingState = { listedAt: now.toISOString() }
      await setCursor(tx, CURSORS.transfersOpen, repo.id, { state: next as Record<string, unknown> })
    }
  }
}
