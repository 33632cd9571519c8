import type { Queryable } from '../db/connect.js'
import { getCursor, setCursor } from '../db/cursors.js'
import { countMergedMismatches, oldestPullPerRepository, upsertPullRows } from '../db/issues.js'
import { mapIssue } from '../github/map-issue.js'
import { searchWindows } from '../github/search.js'
import type { GitHubIssue } from '../github/types.js'
import type { Settings } from '../inputs.js'
import { CURSORS } from '../model/cursor.js'
import type { PullRow } from '../model/issue.js'
import type { Repo } from '../model/repo.js'
import { STORED_LIST_MAX_AGE_MS, selectRepositories } from './repositories.js'
import { reactionPass } from './reactions.js'
import type { Deps, TaskResult } from './types.js'

/**
 * `daily`: reconciles merged / not merged for pull requests closed since
 * `since` — or, without it, since the end of the last complete
 * reconciliation (a cursor per repository, less `overlap-minutes`), and on
 * the first run since the oldest pull request in the database — correcting
 * every stored row that disagrees with GitHub. A scheduled day therefore
 * costs one search request while few pull requests closed (search has no
 * 304 that any source documents), and a dispatch with `since` re-checks the
 * whole history from that date.
 *
 * Cost: one search over `is:pr is:closed closed:A..B` returns every closed
 * PR with `pull_request.merged_at`, so both directions (wrongly merged,
 * wrongly unmerged) are settled in ceil(N/100) requests for N closed PRs —
 * from the search bucket, leaving the core budget to the other tasks.
 * When every repository of the org is selected, one org-wide query replaces
 * one query per repository (a partial last page per repository saved);
 * repositories with no pull request stored are not searched at all. Only
 * rows that differ are written.
 *
 * The run also carries the day's reaction pass (reactionPass): comments'
 * reaction counts, which no updated_at announces.
 */
export async function runDaily(deps: Deps, settings: Settings): Promise<TaskResult> {
  const { sql, log, clock } = deps
  const repos = await selectRepositories(deps, settings, { maxAgeMs: STORED_LIST_MAX_AGE_MS })
  const ranges = await oldestPullPerRepository(
    sql,
    repos.map((r) => r.id)
  )
  const counts = { repositories: 0, windows: 0, checked: 0, corrected: 0, written: 0, reactions: 0 }
  // Reaction counts move no updated_at: this run re-reads them (GraphQL timelines only).
  const reacted =
    settings.timelineApi === 'graphql'
      ? await reactionPass(
          deps,
          settings,
          repos.map((r) => r.id)
        )
      : undefined
  counts.reactions = reacted?.changed ?? 0
  const stoppedAt = reacted?.stopped
    ? {
        incomplete: true,
        remaining: `reaction counts: stopped at the GraphQL budget reserve (${settings.budgetReserve}); the next run continues.`
      }
    : {}
  if (ranges.size === 0) {
    log.info('daily: no pull requests stored for the selected repositories; nothing to reconcile.')
    return { counts, ...stoppedAt }
  }
  const to = clock()
  const starts = new Map<number, Date>()
  for (const [repoId, oldest] of ranges) {
    const done = (await getCursor(sql, CURSORS.daily, repoId)).highWater
    starts.set(repoId, settings.since ?? (done ? new Date(done.getTime() - settings.overlapMinutes * 60_000) : oldest))
  }
  const byName = new Map(repos.map((r) => [r.name.toLowerCase(), r]))

  const scopes: { query: string; from: Date; repoIds: number[] }[] = []
  if (settings.repos.length === 0 && settings.shard.count === 1) {
    const from = new Date(Math.min(...[...starts.values()].map((d) => d.getTime())))
    scopes.push({ query: `org:${settings.org} is:pr is:closed`, from, repoIds: [...starts.keys()] })
  } else {
    for (const repo of repos) {
      const from = starts.get(repo.id)
      if (from) scopes.push({ query: `repo:${repo.fullName} is:pr is:closed`, from, repoIds: [repo.id] })
    }
  }
  counts.repositories = ranges.size

  for (const scope of scopes) {
    let complete = true
    const span = Math.max(1, to.getTime() - scope.from.getTime())
    for await (const window of searchWindows(deps.octokit, deps.log, {
      query: scope.query,
      field: 'closed',
      from: scope.from,
      to
    })) {
      counts.windows++
      complete &&= window.complete
      const rows: PullRow[] = []
      for (const item of window.items) {
        const repo = repoOf(item, byName)
        if (!repo || !item.pull_request) continue
        const mapped = mapIssue(item, repo)
        if (mapped.kind === 'pull') rows.push(mapped.row)
      }
      const result = await sql.begin(async (tx) => reconcile(tx, rows))
      counts.checked += rows.length
      counts.corrected += result.corrected
      counts.written += result.written
      const done = Math.min(100, Math.round(((window.to.getTime() - scope.from.getTime()) / span) * 100))
      log.info(
        `daily: ${scope.query} closed ${window.from.toISOString()}..${window.to.toISOString()}: ` +
          `${rows.length} checked, ${result.corrected} corrected; ${done}% of the range`
      )
    }
    // A complete reconciliation of the scope: the next run starts from here.
    if (complete) {
      await sql.begin(async (tx) => {
        for (const repoId of scope.repoIds) await setCursor(tx, CURSORS.daily, repoId, { highWater: to, state: {} })
      })
    }
  }
  return { counts, ...stoppedAt }
}

/** The selected repository a search item belongs to (by its repository_url's name). */
function repoOf(item: GitHubIssue, byName: Map<string, Repo>): Repo | undefined {
  const name = /\/repos\/[^/]+\/([^/]+)$/.exec(item.repository_url ?? '')?.[1]
  return name ? byName.get(decodeURIComponent(name).toLowerCase()) : undefined
}

/**
 * Writes what differs: rows whose merged flag disagrees with GitHub are
 * corrected, newer rows move forward, unchanged rows are not touched.
 */
async function reconcile(tx: Queryable, rows: PullRow[]): Promise<{ corrected: number; written: number }> {
  if (rows.length === 0) return { corrected: 0, written: 0 }
  const github = rows.map((r) => ({ id: r.id, merged: r.merged }))
  const wrong = (): Promise<number> => countMergedMismatches(tx, github)
  const before = await wrong()
  const written = await upsertPullRows(tx, rows)
  const after = before === 0 ? 0 : await wrong()
  return { corrected: before - after, written }
}
