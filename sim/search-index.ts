// What the search index shows of an issue when `config.searchLagMs` > 0.
//
// GitHub's search reads an index that trails the database: a freshly
// labelled issue was observed to take ~10–12 minutes to show up in search
// (guettli/agentloop#204); a just-merged PR may be missing from the index
// (behaviorbot/first-pr-merge#11, by a GitHub staff member). No source gives
// the lag or says what a lagging entry looks like, so the simulator takes
// the costlier, simple model: the index holds each issue as it was after its
// last change older than `searchLagMs` of world time. An issue changed within
// the lag is matched, sorted and rendered as it was before those changes; one
// created within it (including the new record of a transfer) is not found at
// all; a deleted or transferred-away issue is still found as it was. Lists,
// single issues and timelines are not indexed and never lag.
import type { IssueRec } from './model.js'
import type { World } from './world.js'

/** The record search sees for `i` now, or null when the index does not have it yet. */
export function indexedView(world: World, i: IssueRec): IssueRec | null {
  const list = world.searchPending.get(i)
  if (!list) return i
  const horizon = world.nowMs() - world.config.searchLagMs
  while (list.length && list[0].at <= horizon) list.shift()
  if (!list.length) {
    world.searchPending.delete(i)
    return i
  }
  return list[0].before
}
