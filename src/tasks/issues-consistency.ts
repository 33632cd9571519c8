import { setCursor } from '../db/cursors.js'
import { storedUpdates } from '../db/issues.js'
import type { Settings } from '../inputs.js'
import { CURSORS } from '../model/cursor.js'
import type { Repo } from '../model/repo.js'
import type { RunSnapshot } from './org-snapshot.js'
import { syncRepoIssues, type RepoIssuesResult } from './issues-listing.js'
import type { Deps } from './types.js'
import { skipUnreadable } from './unreadable.js'

/** A consistency listing this old is due again (search covers the minutes between). */
export const CONSISTENCY_EVERY_MS = 25 * 60_000

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
 * latest-updated pull requests, straight from GitHub's database; any item
 * newer than its stored row, or missing, sends that repository through the
 * REST listing from its cursor (which then stores it), and every checked
 * repository's cursor moves to the time of the snapshot.
 */
export async function syncByConsistency(
  deps: Deps,
  settings: Settings,
  repos: readonly Repo[],
  run: RunSnapshot
): Promise<ConsistencyResult> {
  const result: ConsistencyResult = { stragglers: 0, listed: 0, issues: 0, pulls: 0 }
  const checked: Repo[] = []
  for (const repo of repos) {
    const since = run.listed.get(repo.id)
    const snap = repo.nodeId ? run.snapshot.repos.get(repo.nodeId) : undefined
    if (!since || !snap?.changed || !snap.pulls) continue
    const recentPulls = snap.pulls.filter((p) => Date.parse(p.updatedAt) >= since.getTime())
    const stored = await storedUpdates(
      deps.sql,
      repo.id,
      snap.changed.nodes.map((n) => n.databaseId),
      recentPulls.map((p) => p.number)
    )
    const behind = (at: Date | undefined, updatedAt: string): boolean =>
      !at || at.getTime() < Math.floor(Date.parse(updatedAt) / 1000) * 1000
    const stale =
      snap.changed.totalCount > snap.changed.nodes.length ||
      recentPulls.length === snap.pulls.length ||
      snap.changed.nodes.some((n) => behind(stored.issues.get(n.databaseId), n.updatedAt)) ||
      recentPulls.some((p) => behind(stored.pulls.get(p.number), p.updatedAt))
    if (stale) {
      result.stragglers++
      deps.log.info(`${repo.name}: the consistency listing shows items not stored yet; listing them.`)
      const r: RepoIssuesResult | undefined = await skipUnreadable(deps, repo, () =>
        syncRepoIssues(deps, settings, repo, 'rotating')
      )
      if (!r) continue
      result.listed += r.listed
      result.issues += r.issues
      result.pulls += r.pulls
      if (r.incomplete) continue
    }
    checked.push(repo)
  }
  await deps.sql.begin(async (tx) => {
    for (const repo of checked) {
      // Everything updated before the snapshot is stored now: both cursors move there.
      await setCursor(tx, CURSORS.issues, repo.id, { highWater: run.snapshot.at, state: {} })
      await setCursor(tx, CURSORS.issuesSearch, repo.id, { highWater: run.snapshot.at, state: {} })
      await setCursor(tx, CURSORS.issuesSynced, repo.id, { highWater: run.snapshot.at, state: {} })
    }
    await setCursor(tx, CURSORS.consistency, 0, { highWater: run.snapshot.at, state: {} })
  })
  return result
}
