import { getCursor, setCursor } from '../db/cursors.js'
import { storedRepositories } from '../db/repositories.js'
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

/** Empty searches in a row after which a stable token goes back to the (free while quiet) listings. */
const QUIET_SEARCHES = 3

export { shiftedFrom, sinceOf, syncRepoIssues, type RepoIssuesResult } from './issues-listing.js'

/**
 * Whether this run takes the consistency listing from the GraphQL snapshot:
 * every CONSISTENCY_EVERY_MS, and whenever another task of the run (members,
 * pulls) fetches the snapshot anyway — its consistency listing then costs
 * nothing more than a search would.
 */
async function consistencyDue(deps: Deps, settings: Settings): Promise<boolean> {
  const last = (await getCursor(deps.sql, CURSORS.consistency, 0)).highWater
  const due = !last || deps.clock().getTime() - last.getTime() >= CONSISTENCY_EVERY_MS
  return due || settings.tasks.includes('members') || settings.tasks.includes('pulls')
}

/**
 * The `issues` task: every issue and pull request created or updated since
 * each repository's high-water mark (less `overlap-minutes`), upserted
 * forward-only, with the cursor moved in the transaction of each page.
 * Without a cursor it starts at `since`, or at the beginning of history.
 */
export async function runIssues(deps: Deps, settings: Settings): Promise<TaskResult> {
  const mode = await tokenMode(deps)
  // A list verified within the hour will do (it carries open_issues_count,
  // so it changes — and costs, even with a stable token — whenever an issue
  // opens or closes); the search refreshes it when a result names an
  // unknown repository, and the snapshot with every consistency listing.
  //
  // With a new token per job, a run that takes the GraphQL snapshot (the
  // consistency listing is due, or members or pulls run too) has its list
  // from the snapshot instead, at no request of its own.
  const snapshotRun = mode === 'rotating' && (await consistencyDue(deps, settings))
  const all =
    snapshotRun && (await storedRepositories(deps.sql, settings.org)).length > 0
      ? (await runSnapshot(deps, settings)).all
      : await orgRepositories(deps, settings.org, STORED_LIST_MAX_AGE_MS, settings)
  const repos = selectFrom(deps, settings, all)
  const totals = { repositories: 0, listed: 0, issues: 0, pulls: 0, searches: 0 }
  const left: string[] = []
  let renamed = false
  const listRepo = async (repo: Repo): Promise<void> => {
    if (outOfBudget(deps, settings)) {
      left.push(repo.name)
      return
    }
    const r = await skipUnreadable(deps, repo, () => syncRepoIssues(deps, settings, repo, mode))
    if (!r) return
    if (r.renamed) renamed = true
    totals.repositories++
    totals.listed += r.listed
    totals.issues += r.issues
    totals.pulls += r.pulls
    if (r.incomplete) left.push(repo.name)
  }
  if (mode === 'stable') {
    // With a stable token the per-repository listings are conditional: a
    // quiet run costs nothing. A busy run pays one request per repository
    // that changed, so after a run in which two or more changed, the next
    // runs search the org instead (one request, whatever changed), until a
    // search finds nothing; then the listings — which also re-check what
    // search may have shown late — take over again.
    const detection = await getCursor(deps.sql, CURSORS.issuesMode, 0)
    const state = detection.state as { search?: boolean; quiet?: number }
    const searching = state.search === true
    let changedRepos = 0
    let searched: { listed: number } | undefined
    const fresh: Repo[] = []
    const known: Repo[] = []
    for (const repo of repos) {
      if ((await getCursor(deps.sql, CURSORS.issues, repo.id)).highWater === undefined) fresh.push(repo)
      else known.push(repo)
    }
    for (const repo of fresh) await listRepo(repo)
    if (searching && known.length > 0) {
      const found = await syncBySearch(deps, settings, known, all, async () =>
        selectFrom(deps, settings, await orgRepositories(deps, settings.org, 0))
      )
      searched = found
      totals.repositories += known.length
      totals.listed += found.listed
      totals.issues += found.issues
      totals.pulls += found.pulls
      totals.searches += found.windows
      if (found.incomplete) left.push('the org-wide search')
    } else {
      for (const repo of known) {
        const before = totals.listed
        await listRepo(repo)
        if (totals.listed > before) changedRepos++
      }
    }
    // Back to the listings only after QUIET_SEARCHES searches in a row found
    // nothing: every switch back re-lists the repositories that changed
    // meanwhile (the listings' consistent re-check of what search showed).
    const quiet = searched ? (searched.listed > 0 ? 0 : (state.quiet ?? 0) + 1) : 0
    const nextSearch = searched ? quiet < QUIET_SEARCHES : changedRepos >= 2
    if (nextSearch !== searching || quiet !== (state.quiet ?? 0)) {
      await setCursor(deps.sql, CURSORS.issuesMode, 0, { state: { search: nextSearch, quiet } })
    }
  } else {
    // A repository never listed gets its full first listing (the lower
    // bound: one request per 100 items); the others share one search.
    const known: Repo[] = []
    for (const repo of repos) {
      if ((await getCursor(deps.sql, CURSORS.issues, repo.id)).highWater === undefined) await listRepo(repo)
      else known.push(repo)
    }
    if (known.length > 0 && snapshotRun) {
      // The consistent listing (GraphQL, shared with the run's other tasks)
      // instead of a search this run.
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
        run,
        run.all
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
  if (renamed) {
    // A listing came back under another name (GitHub followed a rename's
    // redirect): list the repositories now, so the rename reaches every row.
    deps.log.info('issues: a repository answered under a new name; refreshing the repository list.')
    await orgRepositories(deps, settings.org, 0)
  }
  if (left.length === 0) return { counts: totals }
  return {
    counts: totals,
    incomplete: true,
    remaining: `issues of ${left.join(', ')} (budget reserve reached or search incomplete; the next run resumes from the stored cursors)`
  }
}
