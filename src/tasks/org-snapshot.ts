import { getCursor } from '../db/cursors.js'
import { storedRepositories } from '../db/repositories.js'
import type { Octokit } from '../github/client.js'
import {
  fetchOrgSnapshot,
  OrganizationNotFound,
  repositoriesByNodeId,
  type OrgSnapshot,
  type SnapshotRepoAsk
} from '../github/graphql-org.js'
import { restRepo } from '../github/map-repo.js'
import type { Settings } from '../inputs.js'
import { CURSORS } from '../model/cursor.js'
import type { Repo } from '../model/repo.js'
import { knowBudget } from './budget.js'
import {
  confirmByRest,
  orgInputError,
  recordRepositoryListing,
  selectFrom,
  type ConfirmMissing
} from './repositories.js'
import { isDue } from './due.js'
import type { Deps } from './types.js'

/** How often each repository's open issues are listed (the transfers task's check for vanished issues). */
export const OPEN_LISTING_EVERY_MS = 24 * 3600 * 1000

/** The snapshot of this run, and the repositories it covers. */
export interface RunSnapshot {
  snapshot: OrgSnapshot
  /** The org's repositories from the snapshot, recorded; the selected ones. */
  all: Repo[]
  selected: Repo[]
  /** Which selected repositories the consistency listing covered (by id), with the `since` asked. */
  listed: Map<number, Date>
  /** Which selected repositories' open issues it listed. */
  open: Set<number>
  /** Why the members could not be read, when `members` asked for them. */
  membersError?: string
}

const runs = new WeakMap<Octokit, Promise<RunSnapshot>>()

/** This run's snapshot if one was fetched already (no request). */
export function cachedSnapshot(deps: Pick<Deps, 'octokit'>): Promise<RunSnapshot> | undefined {
  return runs.get(deps.octokit)
}

/**
 * One GraphQL query per run for what a rotating token cannot ask cheaply
 * with REST (every REST request is billed when no stored ETag can match):
 * the org's repositories (recorded, renames included), its members when
 * `members` runs, and for the selected repositories the consistency listing
 * (issues updated since the `issues` cursor, the latest pull requests) when
 * `issues` or `pulls` runs, and the open issues' ids of those due for the
 * daily transfers check when `transfers` runs. Fetched once per run (per
 * client) by the first task that needs it, for every task of the run, so
 * they share its price: 1 point up to 49 repositories.
 */
export function runSnapshot(deps: Deps, settings: Settings): Promise<RunSnapshot> {
  let run = runs.get(deps.octokit)
  if (!run) {
    run = fetchRunSnapshot(deps, settings)
    runs.set(deps.octokit, run)
    // A failed fetch is not kept: a later task of the run may try again.
    run.catch(() => runs.delete(deps.octokit))
  }
  return run
}

async function fetchRunSnapshot(deps: Deps, settings: Settings): Promise<RunSnapshot> {
  const { sql, clock } = deps
  const tasks = new Set(settings.tasks)
  const stored = selectFrom(undefined, settings, await storedRepositories(sql, settings.org))
  const now = clock()
  const asks: SnapshotRepoAsk[] = []
  const listed = new Map<number, Date>()
  const open = new Set<number>()
  for (const repo of stored) {
    if (!repo.nodeId) continue
    const ask: SnapshotRepoAsk = { nodeId: repo.nodeId }
    if (tasks.has('issues') || tasks.has('pulls')) {
      const cursor = await getCursor(sql, CURSORS.issues, repo.id)
      if (cursor.highWater) {
        ask.since = new Date(cursor.highWater.getTime() - settings.overlapMinutes * 60_000)
        listed.set(repo.id, ask.since)
      }
    }
    if (tasks.has('transfers') && repo.hasIssues !== false) {
      const state = (await getCursor(sql, CURSORS.transfersOpen, repo.id)).state as { listedAt?: string }
      if (isDue(state.listedAt, OPEN_LISTING_EVERY_MS, now, settings)) {
        ask.open = true
        open.add(repo.id)
      }
    }
    asks.push(ask)
  }
  await knowBudget(deps, 'graphql')
  const snapshot = await fetchOrgSnapshot(
    deps.octokit,
    deps.meter,
    {
      org: settings.org,
      repos: asks,
      members: tasks.has('members') && settings.shard.index === 1,
      membersOnly: !tasks.has('issues') && !tasks.has('pulls') && !tasks.has('transfers')
    },
    clock
  ).catch((error: unknown) => {
    if (error instanceof OrganizationNotFound) throw orgInputError(settings.org, error.account)
    throw error
  })
  // A members-only snapshot the token could not read lists no repository: keep the stored list then.
  const all =
    snapshot.membersError && snapshot.repositories.length === 0
      ? await storedRepositories(sql, settings.org)
      : await recordRepositoryListing(deps, settings.org, snapshot.repositories.map(restRepo), {
          confirm: confirmByNodeId(deps)
        })
  const selected = selectFrom(deps, settings, all)
  deps.log.info(
    `snapshot of ${settings.org}: ${snapshot.repositories.length} repositories` +
      (snapshot.members ? `, ${snapshot.members.length} members` : '') +
      `, ${listed.size} consistency listing(s), ${open.size} open-issue listing(s)`
  )
  return { snapshot, all, selected, listed, open, membersError: snapshot.membersError }
}

/**
 * GraphQL's confirmation of repositories a snapshot did not list: one
 * `nodes(ids:)` query for up to 100 (1 point); those stored without a node id
 * are asked by REST id. GitHub's connection cursors name the last item's sort
 * key and id ("cursor:v2:" + [createdAt, id], e.g. the cursor decoded in
 * vega/editor-backend#45), so a deletion does not shift GraphQL pages the way
 * it shifts REST's numbered ones; a missing repository is asked about all the same.
 */
function confirmByNodeId(deps: Deps): ConfirmMissing {
  return async (missing) => {
    const out = new Map<number, ReturnType<typeof restRepo> | null>()
    const byNode = missing.filter((r) => r.nodeId)
    const found = await repositoriesByNodeId(
      deps.octokit,
      deps.meter,
      byNode.map((r) => r.nodeId as string)
    )
    for (const r of byNode) {
      const node = found.get(r.nodeId as string)
      out.set(r.id, node ? restRepo(node) : null)
    }
    const rest = await confirmByRest(deps)(missing.filter((r) => !r.nodeId))
    for (const [id, repo] of rest) out.set(id, repo)
    return out
  }
}
