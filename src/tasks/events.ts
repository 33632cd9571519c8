import { getCursor } from '../db/cursors.js'
import { hasStoredIssues, issuesUpdatedSince } from '../db/events.js'
import type { Settings } from '../inputs.js'
import { CURSORS } from '../model/cursor.js'
import type { Repo } from '../model/repo.js'
import { STORED_LIST_MAX_AGE_MS, selectRepositories } from './repositories.js'
import { syncIssueTimelines } from './timelines.js'
import type { Deps, TaskResult } from './types.js'
/** Without a cursor or `since`, look back as far as the seed did. */
const FIRST_RUN_LOOKBACK_MS = 24 * 3600 * 1000

/**
 * `events`: timelines of the issues and pull requests updated since the
 * events cursor (minus overlap), as stored by the `issues` task — this task
 * never lists issues itself. Each issue's rows, page ETags and the cursor
 * are written in one transaction, so a run killed anywhere resumes cleanly.
 */
export async function runEvents(deps: Deps, settings: Settings): Promise<TaskResult> {
  const repos = await selectRepositories(deps, settings, { maxAgeMs: STORED_LIST_MAX_AGE_MS })
  const counts = { repositories: 0, issues: 0, events: 0, deleted: 0, pages: 0, notModified: 0, skipped: 0 }
  const shouldStop = (): boolean => deps.meter.remaining('core') < settings.budgetReserve

  for (const [index, repo] of repos.entries()) {
    if (!(await hasStoredIssues(deps.sql, repo.id))) {
      deps.log.info(
        `${repo.fullName}: no issues or pull requests stored yet; run the 'issues' task first. Nothing to do here.`
      )
      continue
    }
    const since = await windowStart(deps, settings, repo)
    const issues = await issuesUpdatedSince(deps.sql, repo.id, since)
    const stats = await syncIssueTimelines(deps, repo, issues, { cursorTask: CURSORS.events, shouldStop })
    counts.repositories++
    counts.issues += stats.issues
    counts.events += stats.events
    counts.deleted += stats.deleted
    counts.pages += stats.pages
    counts.notModified += stats.notModified
    counts.skipped += stats.skipped
    deps.log.info(
      `${repo.fullName}: ${issues.length} issue(s) updated since ${since.toISOString()}; ` +
        `${stats.pages} timeline page(s) changed, ${stats.notModified} unchanged (304); ` +
        `${stats.events} row(s) written, ${stats.deleted} deleted` +
        (stats.skipped ? `, ${stats.skipped} issue(s) skipped (moved or gone)` : '')
    )
    if (stats.stopped) {
      const left = repos.slice(index).map((r) => r.name)
      return {
        counts,
        incomplete: true,
        remaining:
          `Stopped at the budget reserve (${settings.budgetReserve} core requests); ` +
          `timelines of ${left.join(', ')} continue from their cursor on the next run.`
      }
    }
  }
  return { counts }
}

/** Cursor minus overlap; on a first run `since`, else the last day. */
async function windowStart(deps: Deps, settings: Settings, repo: Repo): Promise<Date> {
  const cursor = await getCursor(deps.sql, CURSORS.events, repo.id)
  if (cursor.highWater) return new Date(cursor.highWater.getTime() - settings.overlapMinutes * 60_000)
  return settings.since ?? new Date(deps.clock().getTime() - FIRST_RUN_LOOKBACK_MS)
}
