import type { Queryable } from '../db/connect.js'
import { upsertIssueRows } from '../db/issues.js'
import {
  findStoredTarget,
  findTransferCandidates,
  markChecked,
  markDeleted,
  markMoved,
  pendingMoves,
  recordTransfer,
  recordUnreadable
} from '../db/transfers.js'
import { mapIssue } from '../github/map-issue.js'
import { parseIssueLocation, parseRepositoryUrl } from '../github/transfer-location.js'
import { probeIssue, type Probe } from '../github/transfer-probe.js'
import type { GitHubIssue } from '../github/types.js'
import type { Settings } from '../inputs.js'
import type { Repo } from '../model/repo.js'
import type { HeldRow, NewIssue, TransferCandidate } from '../model/transfer.js'
import { STORED_LIST_MAX_AGE_MS, selectRepositories } from './repositories.js'
import { markGroupsChecked } from './transfers-candidates.js'
import { getCursor } from '../db/cursors.js'
import { CURSORS } from '../model/cursor.js'
import { cachedSnapshot, OPEN_LISTING_EVERY_MS, runSnapshot, type RunSnapshot } from './org-snapshot.js'
import { tokenMode } from './token-mode.js'
import { isDue } from './due.js'
import { listOpenIssues, openIssuesFromSnapshot, type OpenListing } from './transfers-vanished.js'
import { listAllIssues, type AllListing } from './transfers-weekly.js'
import type { Deps, TaskResult } from './types.js'

/** Requests one run may spend at most. */
const MAX_REQUESTS = 200

type Counts = Record<'candidates' | 'transferred' | 'pending' | 'unreadable' | 'deleted' | 'unchanged', number>

/**
 * Finds issues transferred out of the tracked repositories (or deleted) and
 * records old → new in `transfers`, keeping the old row and its events.
 * Candidates come from our own rows (free): pending moves, `transferred`
 * timeline items, the seed's duplicate `username + created_at` pairs; and
 * once a day per repository, open issues that vanished from its open-issue
 * listing (conditional pages: free while unchanged). Each candidate costs at
 * most one billable request per run.
 */
export async function runTransfers(deps: Deps, settings: Settings): Promise<TaskResult> {
  const { sql, log, clock, meter } = deps
  const repos = await selectRepositories(deps, settings, { maxAgeMs: STORED_LIST_MAX_AGE_MS })
  const byId = new Map(repos.map((r) => [r.id, r]))
  const repoIds = repos.map((r) => r.id)
  const now = clock()
  const counts: Counts = { candidates: 0, transferred: 0, pending: 0, unreadable: 0, deleted: 0, unchanged: 0 }
  let spent = 0
  const canSpend = (): boolean => spent < MAX_REQUESTS && meter.remaining() > settings.budgetReserve
  let stopped = false
  const asked = new Set<number>()
  const ask = async (row: HeldRow): Promise<void> => {
    spent++
    asked.add(row.id)
    const probe = await probeIssue(deps.octokit, { owner: row.org, repo: row.repo, number: row.number }, row)
    await apply(deps, row, probe, byId, now, counts)
  }

  // 1. Moves seen by an earlier run whose new issue was unknown: our rows
  //    first (the issues task may have synced it since), else one fetch of
  //    the Location.
  for (const row of await pendingMoves(sql, repoIds)) {
    const target = parseIssueLocation(row.location)
    const stored = target && (await findStoredTarget(sql, target))
    if (stored) {
      await sql.begin((tx) => recordTransfer(tx, row.id, stored, row.location, now))
      counts.transferred++
      continue
    }
    if (!canSpend()) {
      stopped = true
      break
    }
    spent++
    const probe = await probeIssue(deps.octokit, row.location, { id: -1, repoId: null, number: -1 })
    await apply(deps, row, probe, byId, now, counts)
  }

  // 2. Signals from our rows: `transferred` timeline items, duplicates.
  const candidates = await findTransferCandidates(sql, repoIds)
  counts.candidates = candidates.length
  const done: TransferCandidate[] = []
  for (const candidate of candidates) {
    if (stopped || !canSpend()) {
      stopped = true
      break
    }
    await ask(candidate)
    done.push(candidate)
  }
  await sql.begin((tx) => markGroupsChecked(tx, candidates, done, now))

  /**
   * Asks about each issue a listing no longer shows (not asked yet this
   * run), then commits the listing. It counts as done only once each was
   * asked about; otherwise the next run lists (and asks) again. False when
   * the budget stopped it.
   */
  const askVanished = async (listing: OpenListing | AllListing): Promise<boolean> => {
    const fresh = listing.vanished.filter((row) => !asked.has(row.id))
    counts.candidates += fresh.length
    for (const row of fresh) {
      if (!canSpend()) {
        stopped = true
        return false
      }
      await ask(row)
    }
    await sql.begin((tx) => listing.commit(tx))
    return true
  }

  // 3. Once a day per repository: open issues that vanished from its listing
  //    (with a rotating token, from the run's GraphQL snapshot: the
  //    snapshot of this run if there is one — the every-30-minutes run has
  //    one — or a snapshot of its own once the listing is more than a few
  //    hours overdue).
  const rotating = (await tokenMode(deps)) === 'rotating'
  const snapshot = rotating ? await snapshotForOpenListing(deps, settings, repos, now) : undefined
  // A repository with issues turned off lists none (410): nothing vanishes from it.
  for (const repo of stopped ? [] : repos.filter((r) => r.hasIssues !== false)) {
    const listing = rotating
      ? await openIssuesFromSnapshot(
          deps,
          repo,
          snapshot?.open.has(repo.id) && repo.nodeId ? snapshot.snapshot.repos.get(repo.nodeId)?.open : undefined,
          now
        )
      : await listOpenIssues(deps, repo, now, canSpend, settings)
    if (listing === 'stopped') {
      stopped = true
      break
    }
    if (!listing) continue
    spent += listing.spent
    if (!(await askVanished(listing))) break
  }

  // 4. Once a week per repository: every issue's id (GraphQL), for issues
  //    deleted or moved after they were closed, which nothing else shows.
  const weekly = stopped ? [] : await listAllIssues(deps, settings, repos, now)
  if (weekly === 'stopped') stopped = true
  for (const listing of weekly === 'stopped' ? [] : weekly) {
    if (!(await askVanished(listing))) break
  }

  log.info(
    `transfers: ${counts.candidates} candidates, ${spent} requests; ${counts.transferred} transferred, ` +
      `${counts.pending} waiting for the new issue, ${counts.unreadable} into unreadable repositories, ` +
      `${counts.deleted} deleted`
  )
  return {
    counts,
    ...(stopped
      ? {
          incomplete: true,
          remaining:
            'transfer candidates or open-issue listings left (budget reserve or per-run cap); the next run continues'
        }
      : {})
  }
}

/** The GraphQL snapshot the open-issue listing reads with a new token per job: this run's, or one of its own when a listing is due. */
async function snapshotForOpenListing(
  deps: Deps,
  settings: Settings,
  repos: readonly Repo[],
  now: Date
): Promise<RunSnapshot | undefined> {
  const cached = cachedSnapshot(deps)
  if (cached) return cached
  for (const repo of repos) {
    const state = (await getCursor(deps.sql, CURSORS.transfersOpen, repo.id)).state as { listedAt?: string }
    // Due (in the daily workflow's run, or overdue in a frequent one): this
    // run fetches a snapshot for the listing when it has none yet.
    if (isDue(state.listedAt, OPEN_LISTING_EVERY_MS, now, settings)) return runSnapshot(deps, settings)
  }
  return undefined
}

/** Writes what one probe found, in one transaction. */
async function apply(
  deps: Deps,
  row: HeldRow,
  probe: Probe,
  byId: Map<number, Repo>,
  now: Date,
  counts: Counts
): Promise<void> {
  const { sql, log } = deps
  await sql.begin(async (tx) => {
    switch (probe.kind) {
      case 'here': {
        counts.unchanged++
        const repo = row.repoId === null ? undefined : byId.get(row.repoId)
        const mapped = repo && mapIssue(probe.issue, repo)
        if (mapped?.kind === 'issue') await upsertIssueRows(tx, [mapped.row])
        await markChecked(tx, [row.id], now)
        return
      }
      case 'disabled':
        log.info(`${row.repo}#${row.number}: the repository's issues are turned off (410); nothing to tell.`)
        await markChecked(tx, [row.id], now)
        return
      case 'renamed':
        log.debug(`${row.repo}#${row.number}: its repository was renamed (${probe.location}); not a transfer.`)
        await markChecked(tx, [row.id], now)
        return
      case 'deleted':
        counts.deleted++
        await markDeleted(tx, row.id, now)
        return
      case 'unreadable':
        counts.unreadable++
        await recordUnreadable(tx, row.id, now)
        return
      case 'moved': {
        await markMoved(tx, row.id, probe.location, now)
        const target = probe.issue
          ? await targetFromIssue(tx, probe.issue, byId)
          : await findStoredTarget(tx, probe.target)
        if (!target) {
          counts.pending++
          log.info(`${row.repo}#${row.number} moved to ${probe.location}; recorded when that issue is known.`)
          return
        }
        if (await recordTransfer(tx, row.id, target, probe.location, now)) counts.transferred++
        log.info(`${row.repo}#${row.number} (id ${row.id}) was transferred to ${target.repo}#${target.number}.`)
      }
    }
  })
}

/**
 * The new issue from its own JSON (a followed redirect, or the fetch of a
 * pending Location). Stored in `issues` too when it lives in a tracked
 * repository, so the issues task's row and ours agree.
 */
async function targetFromIssue(tx: Queryable, issue: GitHubIssue, byId: Map<number, Repo>): Promise<NewIssue> {
  const where = parseRepositoryUrl(issue.repository_url) ?? parseRepositoryUrl(issue.url.replace(/\/issues\/\d+$/, ''))
  let repo: Repo | undefined
  if (where && 'repoId' in where) repo = byId.get(where.repoId)
  else if (where) {
    repo = [...byId.values()].find(
      (r) => r.org.toLowerCase() === where.owner.toLowerCase() && r.name.toLowerCase() === where.repo.toLowerCase()
    )
  }
  if (repo) {
    const mapped = mapIssue(issue, repo)
    if (mapped.kind === 'issue') await upsertIssueRows(tx, [mapped.row])
  }
  const owner = repo?.org ?? (where && 'owner' in where ? where.owner : '')
  const name = repo?.name ?? (where && 'repo' in where ? where.repo : '')
  return {
    id: issue.id,
    repoId: repo?.id ?? (where && 'repoId' in where ? where.repoId : null),
    owner,
    repo: name,
    number: issue.number,
    url: issue.url,
    htmlUrl: issue.html_url
  }
}
