import { getCursor } from '../db/cursors.js'
import type { Settings } from '../inputs.js'
import { CURSORS } from '../model/cursor.js'
import type { Repo } from '../model/repo.js'
import { outOfBudget } from './budget.js'
import { CONSISTENCY_EVERY_MS, syncByConsistency } from './issues-consistency.js'
import { syncRepoIssues } from './issues-listing.js'
import { syncBySearch } from './issues-search.js'
import { runSnapshot } from './org-snapshot.js'
import { orgRepositories, selectFrom, STORED_LIST_MAX_AGE_MS } from './repositories.js'
import { tokenMode } from './token-mode.js'
import type { Deps, TaskResult } from './types.js'
import { skipUnreadable } from './unreadable.js'

export { shiftedFrom, sinceOf, syncRepoIssues, type RepoIssuesResult } from './issues-listing.js'

/**
 * The `issues` task: every issue and pull request created or updated since
 * each repository's high-water mark (less `overlap-minutes`), upserted
 * forward-only, with the cursor moved in the transaction of each page.
 * Without a cursor it starts at `since`, or at the beginning of history.
 */
export async function runIssues(deps: Deps, settings: Settings): Promise<TaskResult> {
  const mode = await tokenMode(deps)
  // With a stable token the list is asked conditionally (304 while unchanged);
  // with a rotating one every ask costs, so a list verified within the hour
  // will do, and the search refreshes it when a result names an unknown repository.
  const all = await orgRepositories(deps, settings.org, mode === 'rotating' ? STORED_LIST_MAX_AGE_MS : 0)
  const repos = selectFrom(deps, settings, all)
  const totals = { repositories: 0, listed: 0, issues: 0, pulls: 0, searches: 0 }
  const left: string[] = []
  const listRepo = async (repo: Repo): Promise<void> => {
    if (outOfBudget(deps, settings)) {
      left.push(repo.name)
      return
    }
    const r = await skipUnreadable(deps, repo, () => syncRepoIssues(deps, settings, repo, mode))
    if (!r) return
    totals.repositories++
    totals.listed += r.listed
    totals.issues += r.issues
    totals.pulls += r.pulls
    if (r.incomplete) left.push(repo.name)
  }
  if (mode === 'stable') {
    for (const repo of repos) await listRepo(repo)
  } else {
    // A repository never listed gets its full first listing (the lower
    // bound: one request per 100 items); the others share one search.
    const known: Repo[] = []
    for (const repo of repos) {
      if ((await getCursor(deps.sql, CURSORS.issues, repo.id)).highWater === undefined) await listRepo(repo)
      else known.push(repo)
    }
    const last = (await getCursor(deps.sql, CURSORS.consistency, 0)).highWater
    if (known.length > 0 && (!last || deps.clock().getTime() - last.getTime() >= CONSISTENCY_EVERY_MS)) {
      // Due: the consistent listing (GraphQL, shared with the run's other
      // tasks) instead of a search this run.
      const run = await runSnapshot(deps, settings)
      const ids = new Set(run.selected.map((r) => r.id))
      for (const repo of run.selected) {
        if (
          !known.some((k) => k.id === repo.id) &&
          (await getCursor(deps.sql, CURSORS.issues, repo.id)).highWater === undefined
        )
          await listRepo(repo) // new since the stored list
      }
      const checked = await syncByConsistency(
        deps,
        settings,
        run.selected.filter((r) => ids.has(r.id) && known.some((k) => k.id === r.id)),
        run
      )
      totals.repositories += known.length
      totals.listed += checked.listed
      totals.issues += checked.issues
      totals.pulls += checked.pulls
      Object.assign(totals, { stragglers: checked.stragglers })
    } else {
      const found = await syncBySearch(deps, settings, known, all, async () =>
        selectFrom(deps, settings, await orgRepositories(deps, settings.org, 0))
      )
      totals.repositories += known.length
      totals.listed += found.listed
      totals.issues += found.issues
      totals.pulls += found.pulls
      totals.searches += found.windows
      if (found.incomplete) left.push('the org-wide search')
    }
  }
  if (left.length === 0) return { counts: totals }
  return {
    counts: totals,
    incomplete: true,
    remaining: `issues of ${left.join(', ')} (budget reserve reached or search incomplete; the next run resumes from the stored cursors)`
  }
}
