import { getCursor, setCursor, type Cursor } from '../db/cursors.js'
import { upsertPullRows } from '../db/upsert-issues.js'
import { mapIssue, type GitHubIssue, type PullRow } from '../github/map-issue.js'
import { selectRepositories, type Repo } from '../github/repos.js'
import { searchWindows } from '../github/search.js'
import type { Settings } from '../inputs.js'
import type { Deps, TaskResult } from './types.js'

const DAY = 86_400_000
export const UNMERGED_CURSOR = 'unmerged'

/**
 * The `unmerged` task: reconciles pull requests closed without merging,
 * back `lookback-days`, from search (`is:pr is:unmerged is:closed
 * closed:A..B`), so `merged` is false for every one of them. Each
 * repository keeps a cursor at the end of the last window it had fully
 * reconciled, so after the first run only new closings are searched (a
 * closed-unmerged pull request cannot become merged without reopening,
 * which the `issues` task sees). Several repositories share one org-wide
 * query — a search request is the scarcest kind (30 a minute) — and items
 * of repositories outside the selection are dropped. Also makes sure no
 * open pull request reads as merged.
 */
export async function runUnmerged(deps: Deps, settings: Settings): Promise<TaskResult> {
  const { sql, clock, log } = deps
  const repos = await selectRepositories(deps, settings)
  const openFixed = await unmarkOpen(deps, repos)
  if (repos.length === 0) return { counts: { repositories: 0, found: 0, written: 0, openFixed } }

  const now = clock().getTime()
  const floor = now - settings.lookbackDays * DAY
  const cursors = new Map<number, Cursor>()
  let from = now
  for (const repo of repos) {
    const cursor = await getCursor(sql, UNMERGED_CURSOR, repo.id)
    cursors.set(repo.id, cursor)
    const start = cursor.highWater ? cursor.highWater.getTime() - settings.overlapMinutes * 60_000 : floor
    from = Math.min(from, Math.max(floor, start))
  }
  const byName = new Map(repos.map((r) => [r.fullName.toLowerCase(), r]))
  const query =
    repos.length === 1
      ? `repo:${repos[0].fullName} is:pr is:unmerged is:closed`
      : `org:${settings.org} is:pr is:unmerged is:closed`
  log.info(`Searching '${query}' closed from ${new Date(from).toISOString()}`)

  let found = 0
  let written = 0
  let complete = true
  const windows = searchWindows(deps, { query, field: 'closed', from: new Date(from), to: new Date(now + 1000) })
  for await (const window of windows) {
    const rows: PullRow[] = []
    for (const item of window.items) {
      const repo = repoOf(item, byName)
      if (!repo) continue
      const mapped = mapIssue(item, repo)
      // A search hit is closed and unmerged by its query; trust only what it says.
      if (mapped.kind === 'pull' && mapped.row.state === 'closed' && !mapped.row.merged) rows.push(mapped.row)
    }
    found += rows.length
    complete &&= window.complete
    const reached = complete ? window.to : undefined
    await sql.begin(async (tx) => {
      written += await upsertPullRows(tx, rows)
      if (!reached) return
      for (const repo of repos) {
        const cursor = cursors.get(repo.id) as Cursor
        if (cursor.highWater && cursor.highWater >= reached) continue
        cursor.highWater = reached
        await setCursor(tx, UNMERGED_CURSOR, repo.id, cursor)
      }
    })
  }
  log.info(`${found} closed-unmerged pull requests found, ${written} rows written, ${openFixed} open rows unmarked`)
  const counts = { repositories: repos.length, found, written, openFixed }
  if (complete) return { counts }
  return {
    counts,
    incomplete: true,
    remaining: 'search windows answered incomplete_results; the next run searches them again'
  }
}

/** The selected repository a search item belongs to (by its repository_url's owner/name). */
function repoOf(item: GitHubIssue, byName: Map<string, Repo>): Repo | undefined {
  const m = /\/repos\/([^/]+\/[^/]+)$/.exec(item.repository_url ?? '')
  return m ? byName.get(decodeURIComponent(m[1]).toLowerCase()) : undefined
}

/** An open pull request is never merged (rows the seed wrote defaulted to merged = true). */
async function unmarkOpen(deps: Deps, repos: Repo[]): Promise<number> {
  if (repos.length === 0) return 0
  const ids = repos.map((r) => r.id)
  const result = await deps.sql`
    update pull_requests set merged = false, merged_at = null
    where repo_id = any(${ids}::bigint[]) and state = 'open' and (merged is distinct from false or merged_at is not null)`
  return result.count
}
