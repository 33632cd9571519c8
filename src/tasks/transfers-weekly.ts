import type { Queryable } from '../db/connect.js'
import { getCursor, setCursor } from '../db/cursors.js'
import { issuesNotListed } from '../db/transfers.js'
import { fetchIssueIds } from '../github/graphql-org.js'
import type { Settings } from '../inputs.js'
import { CURSORS } from '../model/cursor.js'
import type { Repo } from '../model/repo.js'
import type { HeldRow } from '../model/transfer.js'
import { knowBudget } from './budget.js'
import { isDue } from './due.js'
import type { Deps } from './types.js'

/** How often every issue's id is listed per repository: a deleted closed issue is found within this. */
export const ALL_LISTING_EVERY_MS = 7 * 24 * 3600 * 1000

interface AllListingState {
  /** When the listing last completed (ISO). */
  listedAt?: string
}

/** One repository's weekly listing, to be committed once its vanished issues were asked about. */
export interface AllListing {
  repo: Repo
  /** Issues we hold (open or closed) that the listing no longer shows. */
  vanished: HeldRow[]
  commit(tx: Queryable): Promise<void>
}

/**
 * Once a week per repository: the ids of all its issues, open and closed,
 * through GraphQL (`issues(first: 100)` pages of up to 100 repositories a
 * query, 1 point each: as many points a week as the longest repository has
 * pages of 100 issues), compared with the issues we hold. The daily open
 * listing only sees issues that vanish while open; a closed issue that is
 * deleted (or transferred) later changes nothing the issues listing shows,
 * so this is what finds it — within a week, each at one request (its 410).
 * GraphQL rather than REST pages in both token modes: with a stable token a
 * REST page of 100 closed issues changes (and is billed) whenever any of
 * them is touched, a GraphQL page of ids costs a hundredth of a point.
 * Returns the due repositories' listings; 'stopped' when the GraphQL budget
 * reserve came first (nothing is committed, the next run lists again).
 */
export async function listAllIssues(
  deps: Deps,
  settings: Settings,
  repos: readonly Repo[],
  now: Date
): Promise<AllListing[] | 'stopped'> {
  const due: Repo[] = []
  for (const repo of repos) {
    if (repo.hasIssues === false || !repo.nodeId) continue
    const state = (await getCursor(deps.sql, CURSORS.transfersAll, repo.id)).state as AllListingState
    if (isDue(state.listedAt, ALL_LISTING_EVERY_MS, now, settings)) due.push(repo)
  }
  if (due.length === 0) return []
  await knowBudget(deps, 'graphql')
  const ids = await fetchIssueIds(
    deps.octokit,
    deps.meter,
    due.map((r) => r.nodeId as string),
    () => deps.meter.remaining('graphql') <= settings.budgetReserve
  )
  if (!ids) return 'stopped'
  const out: AllListing[] = []
  for (const repo of due) {
    const listed = ids.get(repo.nodeId as string)
    // The repository no longer resolves: the repository list handles that.
    if (!listed) continue
    const vanished = await issuesNotListed(deps.sql, repo.id, listed, now)
    out.push({
      repo,
      vanished,
      commit: async (tx) => {
        const next: AllListingState = { listedAt: now.toISOString() }
        await setCursor(tx, CURSORS.transfersAll, repo.id, { state: next as Record<string, unknown> })
      }
    })
  }
  deps.log.info(
    `transfers: weekly listing of every issue in ${due.length} repositor${due.length === 1 ? 'y' : 'ies'}; ` +
      `${out.reduce((n, l) => n + l.vanished.length, 0)} held issue(s) no longer listed`
  )
  return out
}
