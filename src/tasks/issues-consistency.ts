import { setCursor } from '../db/cursors.js'
import { storedUpdates } from '../db/issues.js'
import type { Settings } from '../inputs.js'
import { CURSORS } from '../model/cursor.js'
import type { Repo } from '../model/repo.js'
import type { RunSnapshot } from './org-snapshot.js'
import { syncRepoIssues, type RepoIssuesResult } from './issues-listing.js'
import { syncBySearch } from './issues-search.js'
import type { Deps } from './types.js'
import { skipUnreadable } from './unreadable.js'

/**
 * A consistency listing this old is due again (search covers the minutes
 * between). Longer than the 30-minute workflow's period, whose runs take it
 * from the snapshot they fetch anyway; a 10-minute workflow alone takes one
 * run in five.
 */
export const CONSISTENCY_EVERY_MS = 45 * 60_000

export interface ConsistencyResult {
  /** Repositories whose listing showed an item newer than the stored row (or missing): listed again. */
  stragglers: number
  listed: number
  issues: number
  pulls: number
}

/**
 * The consistent check behind the search path. Search's index can lag
 * behind writes (a freshly labelled issue took ~10–12 minutes to show,
 * guettli/agentloop#204), so an item can be missed by every search whose
 * overlap it fell out of. The run's snapshot lists, per repository, the
 * issues updated since its cursor (`issues(filterBy: {since})`) and the
 * latest-updated pull requests, straight from GitHub's database. Items
 * newer than their stored row (or missing) — those changed since the last
 * run, and any search showed too late — are fetched with one search for
 * all of their repositories; what is still behind then (search's index has
 * not caught up) is read through the REST listing from the repository's
 * cursor. Every checked repository's cursors then move to the snapshot's time.
 */
export async function syncByConsistency(
  deps: Deps,
  settings: Settings,
  repos: readonly Repo[],
  run: RunSnapshot,
  orgRepos: readonly Repo[] = repos
): Promise<ConsistencyResult> {
  const result: ConsistencyResult = { stragglers: 0, listed: 0, issues: 0, pulls: 0 }
  const covered = repos.filter((r) => run.listed.get(r.id) && r.nodeId && run.snapshot.repos.get(r.nodeId)?.changed)
  let stale = (await staleRepos(deps, covered, run)).map((s) => s.repo)
  if (stale.length > 0) {
    // Items changed since the last run: one search fetches their rows (the
    // same REST objects a listing gives) for every repository at once.
    const found = await syncBySearch(deps, settings, stale, orgRepos, async () => stale)
    result.listed += found.listed
    result.issues += found.issues
    result.pulls += found.pulls
  }
  // What search did not show yet: changed minutes ago (inside half the
  // overlap), the next search re-reads it — it is left to it, and the
  // repository's cursors stop short of it; older than that, search's index
  // lags, and the REST listing reads it.
  const youngFrom = run.snapshot.at.getTime() - (settings.overlapMinutes * 60_000) / 2
  const capped = new Map<number, Date>()
  const behind = stale.length > 0 ? await staleRepos(deps, stale, run) : []
  const toList: Repo[] = []
  for (const { repo, oldest } of behind) {
    if (oldest >= youngFrom) capped.set(repo.id, new Date(oldest - 1000))
    else toList.push(repo)
  }
  stale = toList
  const failed = new Set<number>()
  for (const repo of stale) {
    // Still behind after the search: what its lagging index did not show yet.
    result.stragglers++
    deps.log.info(`${repo.name}: the consistency listing shows items search has not shown yet; listing them.`)
    const r: RepoIssuesResult | undefined = await skipUnreadable(deps, repo, () =>
      syncRepoIssues(deps, settings, repo, 'rotating')
    )
    if (!r || r.incomplete) {
      failed.add(repo.id)
      continue
    }
    result.listed += r.listed
    result.issues += r.issues
    result.pulls += r.pulls
  }
  const checked = covered.filter((r) => !failed.has(r.id))
  await deps.sql.begin(async (tx) => {
    for (const repo of checked) {
      // Everything updated before the snapshot (or before an item left to
      // the next search) is stored now: the cursors move there.
      const at = capped.get(repo.id) ?? run.snapshot.at
      await setCursor(tx, CURSORS.issues, repo.id, { highWater: at, state: {} })
      await setCursor(tx, CURSORS.issuesSearch, repo.id, { highWater: at, state: {} })
      await setCursor(tx, CURSORS.issuesSynced, repo.id, { highWater: at, state: {} })
    }
    await setCursor(tx, CURSORS.consistency, 0, { highWater: run.snapshot.at, state: {} })
  })
  return result
}

/**
 * The repositories whose snapshot listing shows an item newer than its
 * stored row, or missing, with the oldest such item's updated_at (ms).
 */
async function staleRepos(
  deps: Deps,
  repos: readonly Repo[],
  run: RunSnapshot
): Promise<{ repo: Repo; oldest: number }[]> {
  const out: { repo: Repo; oldest: number }[] = []
  for (const repo of repos) {
    const since = run.listed.get(repo.id) as Date
    const snap = run.snapshot.repos.get(repo.nodeId as string)
    if (!snap?.changed || !snap.pulls) continue
    const recentPulls = snap.pulls.filter((p) => Date.parse(p.updatedAt) >= since.getTime())
    const stored = await storedUpdates(
      deps.sql,
      repo.id,
      snap.changed.nodes.map((n) => n.databaseId),
      recentPulls.map((p) => p.number)
    )
    const behind = (at: Date | undefined, updatedAt: string): boolean =>
      !at || at.getTime() < Math.floor(Date.parse(updatedAt) / 1000) * 1000
    const late = [
      ...snap.changed.nodes.filter((n) => behind(stored.issues.get(n.databaseId), n.updatedAt)).map((n) => n.updatedAt),
      ...recentPulls.filter((p) => behind(stored.pulls.get(p.number), p.updatedAt)).map((p) => p.updatedAt)
    ].map((t) => Date.parse(t))
    // More than a page changed: the listing reads them, however young.
    const overflow = snap.changed.totalCount > snap.changed.nodes.length || recentPulls.length === snap.pulls.length
    if (overflow) out.push({ repo, oldest: Number.NEGATIVE_INFINITY })
    else if (late.length > 0) out.push({ repo, oldest: Math.min(...late) })
  }
  return out
}
