/**
 * Loads a simulated world straight into the synced tables, as the issues and
 * events tasks would store it (the same renderers, mappers and upserts), but
 * without HTTP: a benchmark-size org (50,000 items, 500,000 timeline items)
 * would take the events task tens of thousands of timeline requests. Members
 * come through the members task over the simulator (a few requests).
 */
import type { Sim } from '../sim/index.js'
import type { IssueRec } from '../sim/model.js'
import { issue as renderIssue } from '../sim/render/issue.js'
import { timelineItem } from '../sim/render/timeline.js'
import type { Sql } from '../src/db/connect.js'
import { upsertEventRows } from '../src/db/events.js'
import { upsertMapped } from '../src/db/issues.js'
import { mapTimelineItem } from '../src/github/map-event.js'
import { mapIssue } from '../src/github/map-issue.js'
import type { GitHubIssue, TimelineItem } from '../src/github/types.js'
import type { PagedEventRow } from '../src/model/event.js'
import type { Repo } from '../src/model/repo.js'
import type { Deps } from '../src/tasks/types.js'
import { runMembers } from '../src/tasks/members.js'
import type { Settings } from '../src/inputs.js'

const ISSUE_BATCH = 1000
const EVENT_BATCH = 10_000

export async function loadWorld(
  sim: Sim,
  sql: Sql,
  deps: Deps,
  settings: Settings
): Promise<{ items: number; events: number }> {
  const world = sim.world
  const ctx = { world, api: sim.url, canRead: () => true }
  let items = 0
  let events = 0
  for (const r of world.repos) {
    const repo: Repo = {
      id: r.id,
      org: world.org,
      name: r.name,
      fullName: `${world.org}/${r.name}`,
      archived: r.archived,
      private: r.private
    }
    const live = r.list.filter((i: IssueRec) => !i.deleted && !i.movedTo)
    for (let k = 0; k < live.length; k += ISSUE_BATCH) {
      const batch = live.slice(k, k + ISSUE_BATCH)
      const mapped = batch.map((i) => mapIssue(renderIssue(ctx, i) as unknown as GitHubIssue, repo))
      let rows: PagedEventRow[] = []
      const flush = async (): Promise<void> => {
        await sql.begin((tx) => upsertEventRows(tx, rows))
        events += rows.length
        rows = []
      }
      await sql.begin((tx) => upsertMapped(tx, mapped))
      items += batch.length
      for (const i of batch) {
        const seen = new Set<string>()
        i.timeline.forEach((t, n) => {
          const row = mapTimelineItem(timelineItem(ctx, t) as TimelineItem, i.id, repo)
          if (!row || seen.has(row.id)) return
          seen.add(row.id)
          rows.push({ ...row, timeline_page: Math.floor(n / 100) + 1 })
        })
        if (rows.length >= EVENT_BATCH) await flush()
      }
      await flush()
    }
  }
  await runMembers(deps, settings)
  await sql`analyze`
  return { items, events }
}
