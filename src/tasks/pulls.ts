import type { Queryable } from '../db/connect.js'
import { getCursor, setCursor } from '../db/cursors.js'
import { getEtag, putEtag } from '../db/etags.js'
import { correctPullStatus, openPullNumbers, storedPullsByNumber, upsertPullRows } from '../db/issues.js'
import { etagKey, getPage } from '../github/conditional.js'
import { mapIssue } from '../github/map-issue.js'
import type { GraphqlPullStatus } from '../github/graphql-org.js'
import type { GitHubIssue, GitHubPull } from '../github/types.js'
import type { Settings } from '../inputs.js'
import { CURSORS } from '../model/cursor.js'
import type { Repo } from '../model/repo.js'
import { outOfBudget } from './budget.js'
import { runSnapshot } from './org-snapshot.js'
import { tokenMode } from './token-mode.js'
import { STORED_LIST_MAX_AGE_MS, selectRepositories } from './repositories.js'
import type { Deps, TaskResult } from './types.js'
import { skipUnreadable } from './unreadable.js'

const LIST = 'GET /repos/{owner}/{repo}/pulls'
const ISSUE = 'GET /repos/{owner}/{repo}/issues/{issue_number}'
const DAY = 86_400_000
/** How often a repository's pulls list is read through REST once it has a cursor. */
const RECHECK_MS = 6 * 3600 * 1000
/** Rows re-read one by one per repository and run, at most; the rest wait for the next run. */
const MAX_REFETCH = 100

/** Pull requests seen so far, those to re-read whole, and whether missing rows may be fetched. */
interface Queue {
  seen: Set<number>
  stale: number[]
  listed: boolean
}

interface RepoPullsResult {
  checked: number
  corrected: number
  refetched: number
  incomplete: boolean
}

/**
 * The `pulls` task: re-checks pull requests the database holds as open and
 * those updated (so also closed) in the last `closed-days`, correcting
 * state, merged, merged_at, draft and closed_at. One conditional request per
 * repository finds out whether anything changed: page one of the pulls list
 * sorted by update, newest first, changes whenever any pull request does.
 */
export async function runPulls(deps: Deps, settings: Settings): Promise<TaskResult> {
  const snapshot = (await tokenMode(deps)) === 'rotating' ? await runSnapshot(deps, settings) : undefined
  const repos = snapshot?.selected ?? (await selectRepositories(deps, settings, { maxAgeMs: STORED_LIST_MAX_AGE_MS }))
  const totals = { repositories: 0, checked: 0, corrected: 0, refetched: 0 }
  const left: string[] = []
  for (const repo of repos) {
    if (outOfBudget(deps, settings)) {
      left.push(repo.name)
      continue
    }
    const listed = repo.nodeId ? snapshot?.snapshot.repos.get(repo.nodeId)?.pulls : undefined
    const r = await skipUnreadable(
      deps,
      repo,
      async () =>
        (listed && (await checkFromSnapshot(deps, settings, repo, listed))) || checkRepoPulls(deps, settings, repo)
    )
    if (!r) continue
    totals.repositories++
    totals.checked += r.checked
    totals.corrected += r.corrected
    totals.refetched += r.refetched
    if (r.incomplete) left.push(repo.name)
  }
  if (left.length === 0) return { counts: totals }
  return { counts: totals, incomplete: true, remaining: `pull requests of ${left.join(', ')}` }
}

/**
 * With a rotating token (no stored ETag can answer 304), the pull requests
 * the run's snapshot listed — the 100 latest updated, with their state,
 * merged and draft flags — stand in for the first page of the pulls list:
 * the same comparison, at no request. Only changes since this task's last
 * check (less the overlap) are looked at; when the snapshot's 100 do not
 * reach back that far (or there is no cursor yet), undefined: the REST
 * listing is read instead.
 */
async function checkFromSnapshot(
  deps: Deps,
  settings: Settings,
  repo: Repo,
  listed: readonly GraphqlPullStatus[]
): Promise<RepoPullsResult | undefined> {
  const cursor = await getCursor(deps.sql, CURSORS.pulls, repo.id)
  if (!cursor.highWater || listed.length === 0) return undefined
  const stopAt = cursor.highWater.getTime() - settings.overlapMinutes * 60_000
  if (listed.length >= 100 && Date.parse(listed[listed.length - 1].updatedAt) >= stopAt) return undefined
  const result: RepoPullsResult = { checked: 0, corrected: 0, refetched: 0, incomplete: false }
  const pulls: GitHubPull[] = listed
    .filter((p) => Date.parse(p.updatedAt) >= stopAt)
    .map((p) => ({
      number: p.number,
      state: p.state === 'OPEN' ? 'open' : 'closed',
      draft: p.isDraft,
      merged_at: p.mergedAt,
      closed_at: p.closedAt,
      updated_at: p.updatedAt
    }))
  const queue: Queue = { seen: new Set(), stale: [], listed: true }
  await compare(deps.sql, repo, pulls, queue, result)
  let done = 0
  for (const number of queue.stale) {
    if (done >= MAX_REFETCH || outOfBudget(deps, settings)) break
    if (await refetch(deps, repo, number)) result.refetched++
    done++
  }
  result.incomplete = done < queue.stale.length
  if (!result.incomplete) {
    const newest = listed.reduce((m, p) => Math.max(m, Date.parse(p.updatedAt)), cursor.highWater.getTime())
    await setCursor(deps.sql, CURSORS.pulls, repo.id, { highWater: new Date(newest), state: cursor.state })
  }
  return result
}

/**
 * One repository: the conditional first page, then the scan back to the
 * window, then re-reads. The page's ETag and the cursor are stored only when
 * every queued re-read is done, so a 304 always means "checked and stored".
 */
export async function checkRepoPulls(deps: Deps, settings: Settings, repo: Repo): Promise<RepoPullsResult> {
  const { sql, octokit, log, clock } = deps
  const result: RepoPullsResult = { checked: 0, corrected: 0, refetched: 0, incomplete: false }
  const cursor = await getCursor(sql, CURSORS.pulls, repo.id)
  const listedAt = (cursor.state as { listedAt?: string }).listedAt
  if (cursor.highWater && listedAt && clock().getTime() - Date.parse(listedAt) < RECHECK_MS) {
    // The issues task stores every pull request that changed (a merge, close
    // or draft change moves its updated_at, and the row takes merged from
    // merged_at); this listing is the safety net for what moves no
    // updated_at, and a busy repository's first page changes with every
    // pull request, so it is read at most every RECHECK_MS.
    log.debug(`${repo.name}: pull requests listed at ${listedAt}; next check later.`)
    return result
  }
  // Back to the closed-days window, and further if runs were missed since the last check.
  let stopAt = clock().getTime() - settings.closedDays * DAY
  if (cursor.highWater) stopAt = Math.min(stopAt, cursor.highWater.getTime() - settings.overlapMinutes * 60_000)
  const params = { owner: repo.org, repo: repo.name, state: 'all', sort: 'updated', direction: 'desc', per_page: 100 }
  const key = etagKey(LIST, params)
  const first = await getPage<GitHubPull[]>(octokit, LIST, params, await getEtag(sql, key))
  if (first.notModified) {
    log.debug(`${repo.name}: no pull request changed (304)`)
    return result
  }
  const seen = new Set<number>()
  const stale: number[] = []
  // Pull requests missing from the table are the issues task's to list; they
  // are re-read here one by one only once that task has synced the repository.
  const listed = (await getCursor(sql, CURSORS.issues, repo.id)).highWater !== undefined
  let page = first
  for (;;) {
    const inWindow = page.data.filter((p) => Date.parse(p.updated_at) >= stopAt)
    await compare(sql, repo, inWindow, { seen, stale, listed }, result)
    const next = page.links.next
    if (!next || inWindow.length < page.data.length) break
    const got = await getPage<GitHubPull[]>(octokit, next)
    if (got.notModified) break
    page = got
  }
  if (!cursor.highWater) {
    // First check of this repository: open rows older than the window too.
    await checkOldOpen(deps, repo, stopAt, { seen, stale, listed }, result)
  }
  let done = 0
  for (const number of stale) {
    if (done >= MAX_REFETCH || outOfBudget(deps, settings)) break
    if (await refetch(deps, repo, number)) result.refetched++
    done++
  }
  // Until every queued row is re-read, the next run must look again.
  result.incomplete = done < stale.length
  if (!result.incomplete) {
    const newest = first.data.reduce((m, p) => Math.max(m, Date.parse(p.updated_at)), cursor.highWater?.getTime() ?? 0)
    await sql.begin(async (tx) => {
      const state = { ...cursor.state, listedAt: clock().toISOString() }
      // A repository without pull requests is checked up to now.
      await setCursor(tx, CURSORS.pulls, repo.id, { highWater: newest > 0 ? new Date(newest) : clock(), state })
      await putEtag(tx, key, first.etag)
    })
  }
  log.info(
    `${repo.name}: ${result.checked} pull requests checked, ${result.corrected} corrected, ${result.refetched} re-read`
  )
  return result
}

/**
 * Compares listed pull requests with their rows (by repository id and
 * number: the pulls id is not the issue id the table is keyed by). Only the
 * fields this task owns decide: state, merged, merged_at, draft, closed_at.
 * When they differ, a row with the same updated_at is corrected in place
 * and an older row is queued to be re-read whole; a newer row was stored
 * from a later listing and is left alone. (A pull request's updated_at can
 * run ahead of its issue's on GitHub, so timestamps alone would re-read
 * rows that are already right.) Missing rows are queued too.
 */
async function compare(
  sql: Queryable,
  repo: Repo,
  pulls: GitHubPull[],
  { seen, stale, listed }: Queue,
  result: RepoPullsResult
): Promise<void> {
  if (pulls.length === 0) return
  const numbers = pulls.map((p) => p.number)
  for (const n of numbers) seen.add(n)
  result.checked += pulls.length
  const rows = await storedPullsByNumber(sql, repo.id, numbers)
  const stored = new Map(rows.map((r) => [r.number, r]))
  for (const p of pulls) {
    const row = stored.get(p.number)
    if (!row) {
      if (listed) stale.push(p.number)
      continue
    }
    const want = {
      state: p.state,
      merged: p.merged_at !== null,
      merged_at: p.merged_at === null ? null : new Date(p.merged_at),
      draft: p.draft ?? row.draft,
      closed_at: p.closed_at === null ? null : new Date(p.closed_at)
    }
    if (
      row.state === want.state &&
      row.merged === want.merged &&
      time(row.merged_at) === time(want.merged_at) &&
      row.draft === want.draft &&
      time(row.closed_at) === time(want.closed_at)
    ) {
      continue
    }
    const updated = Date.parse(p.updated_at)
    const rowUpdated = row.updated_at?.getTime() ?? Number.NEGATIVE_INFINITY
    if (rowUpdated < updated) {
      stale.push(p.number)
      continue
    }
    if (rowUpdated > updated) continue
    await correctPullStatus(sql, row, want)
    result.corrected++
  }
}

/** Open rows the window did not reach: still open on GitHub, or changed long ago and missed? */
async function checkOldOpen(
  deps: Deps,
  repo: Repo,
  stopAt: number,
  queue: Queue,
  result: RepoPullsResult
): Promise<void> {
  const { seen, stale } = queue
  const open = await openPullNumbers(deps.sql, repo.id, seen)
  if (open.length === 0) return
  const listed: GitHubPull[] = []
  const params = { owner: repo.org, repo: repo.name, state: 'open' as const, per_page: 100 }
  for await (const page of deps.octokit.paginate.iterator(LIST, params)) listed.push(...(page.data as GitHubPull[]))
  const stillOpen = new Set(listed.map((p) => p.number))
  await compare(
    deps.sql,
    repo,
    listed.filter((p) => !seen.has(p.number) && Date.parse(p.updated_at) < stopAt),
    queue,
    result
  )
  for (const number of open) if (!stillOpen.has(number) && !stale.includes(number)) stale.push(number)
}

/** Re-reads one pull request whole through the issues API (the row's own shape) and upserts it. */
async function refetch(deps: Deps, repo: Repo, number: number): Promise<boolean> {
  // Issues turned off: /issues/{n} answers 410 for pull requests too; the
  // issues task's search brings the whole row instead.
  if (repo.hasIssues === false) return false
  const params = { owner: repo.org, repo: repo.name, issue_number: number }
  try {
    const page = await getPage<GitHubIssue>(deps.octokit, ISSUE, params)
    if (page.notModified) return false
    const mapped = mapIssue(page.data, repo)
    if (mapped.kind !== 'pull') return false
    await upsertPullRows(deps.sql, [mapped.row])
    return true
  } catch (error) {
    const status = (error as { status?: number }).status
    if (status === 404 || status === 410) {
      deps.log.warning(`${repo.name}#${number}: answered ${status}; left as stored.`)
      return false
    }
    throw error
  }
}

function time(d: Date | null): number | null {
  return d === null ? null : d.getTime()
}
