import { minimatch } from 'minimatch'
import { getCursor, setCursor } from '../db/cursors.js'
import { getEtag, putEtag } from '../db/etags.js'
import { storedRepositories, upsertRepositories } from '../db/repositories.js'
import { mapRepository, toRepo } from '../github/map-repo.js'
import { accountType, listOrgRepositories, orgRepositoriesKey, repositoryById, uniqueById } from '../github/repos.js'
import type { GitHubRepo } from '../github/types.js'
import { InputError, type Settings } from '../inputs.js'
import { RequestError } from '@octokit/request-error'
import { CURSORS } from '../model/cursor.js'
import type { Repo } from '../model/repo.js'
import { isDue } from './due.js'
import type { Deps } from './types.js'

export interface SelectOptions {
  /**
   * Use the stored list, at no request, when a listing verified it this
   * recently. The org's list changes with every issue opened or closed
   * (it carries open_issues_count), so tasks that follow `issues` — which
   * always lists, and so sees renames and new repositories first — pass a
   * maximum age instead of paying for a fresh list every few minutes.
   */
  maxAgeMs?: number
}

/** The maximum age tasks other than `issues` and `backfill` accept. */
export const STORED_LIST_MAX_AGE_MS = 60 * 60 * 1000

/** A full listing at least this often, so changes past the first page are seen. */
const FULL_LISTING_MS = 24 * 3600 * 1000

/**
 * The repositories this run syncs. Lists the org's repositories with a
 * conditional request on the first page (0 billable while it is unchanged,
 * and a full listing at least daily), records them by id (a rename updates
 * the name on every row that carries it), then filters by `repos` globs,
 * `include-archived` and `shard`.
 */
export async function selectRepositories(deps: Deps, settings: Settings, options: SelectOptions = {}): Promise<Repo[]> {
  return selectFrom(deps, settings, await orgRepositories(deps, settings.org, options.maxAgeMs ?? 0, settings))
}

/**
 * The org's repositories (stored list or a fresh listing, as
 * selectRepositories decides), unfiltered. `settings.tasks` decides when
 * the daily full listing is due (isDue: a run of the daily workflow takes it).
 */
export function orgRepositories(
  deps: Deps,
  org: string,
  maxAgeMs = 0,
  settings: Pick<Settings, 'tasks'> = { tasks: [] }
): Promise<Repo[]> {
  return listOrStored(deps, org, maxAgeMs, settings)
}

/** The repositories of `all` this run syncs: `repos` globs, `include-archived`, `shard` (logged unless `deps` is undefined). */
export function selectFrom(deps: Pick<Deps, 'log'> | undefined, settings: Settings, all: readonly Repo[]): Repo[] {
  const selected = all.filter(
    (r) =>
      (settings.includeArchived || !r.archived) && matchesRepos(r.name, settings.repos) && inShard(r.id, settings.shard)
  )
  if (!deps) return selected
  for (const pattern of settings.repos) {
    if (!all.some((r) => minimatch(r.name, pattern, { nocase: true }))) {
      deps.log.warning(`repos entry '${pattern}' matches no repository of ${settings.org} that the token can read.`)
    }
  }
  const shard = settings.shard.count > 1 ? ` (shard ${settings.shard.index}/${settings.shard.count})` : ''
  deps.log.info(
    `Repositories: ${selected.length} of ${all.length} selected${shard}: ${selected.map((r) => r.name).join(', ')}`
  )
  return selected
}

export function matchesRepos(name: string, patterns: readonly string[]): boolean {
  return patterns.length === 0 || patterns.some((p) => minimatch(name, p, { nocase: true }))
}

/**
 * Stable split of repositories across `count` jobs by repository id (a
 * multiplicative hash, so consecutive ids spread evenly). A rename never
 * moves a repository to another shard.
 */
export function inShard(repoId: number, shard: { index: number; count: number }): boolean {
  if (shard.count <= 1) return true
  const mixed = (BigInt(repoId) * 2654435761n) % 4294967296n
  return Number(mixed % BigInt(shard.count)) === shard.index - 1
}

async function listOrStored(
  deps: Deps,
  org: string,
  maxAgeMs: number,
  settings: Pick<Settings, 'tasks'>
): Promise<Repo[]> {
  const { sql, octokit, clock, log } = deps
  const key = orgRepositoriesKey(org)
  const cursor = await getCursor(sql, CURSORS.repositories, 0)
  const orgKey = org.toLowerCase()
  const seen = listingTimes(cursor.state[orgKey])
  const now = clock().getTime()
  const fullDue = isDue(seen.full === undefined ? undefined : new Date(seen.full), FULL_LISTING_MS, clock(), settings)
  // The daily workflow's run takes the full listing when due, so the frequent runs never carry it.
  const dailyFull = fullDue && settings.tasks.includes('daily')
  if (maxAgeMs > 0 && seen.verified !== undefined && now - seen.verified < maxAgeMs && !dailyFull) {
    log.debug(`Repository list of ${org} verified ${Math.round((now - seen.verified) / 60_000)} min ago; using it.`)
    return storedRepositories(sql, org)
  }
  const fresh = !fullDue
  const listing = await listOrgRepositories(octokit, org, fresh ? await getEtag(sql, key) : undefined).catch(
    async (error: unknown) => {
      // 404: not an organisation (a user account?), or none the token can see.
      if (!(error instanceof RequestError && error.status === 404)) throw error
      throw orgInputError(org, await accountType(octokit, org))
    }
  )
  if (listing.notModified) {
    log.debug(`Repository list of ${org} unchanged (304).`)
    await setCursor(sql, CURSORS.repositories, 0, {
      state: { ...cursor.state, [orgKey]: { full: iso(seen.full), verified: iso(now) } }
    })
    return storedRepositories(sql, org)
  }
  return recordRepositoryListing(deps, org, listing.repos, {
    etag: { key, etag: listing.etag },
    confirm: confirmByRest(deps)
  })
}

/**
 * Looks up repositories a listing did not show, to tell a deletion (or a
 * move to another owner, or lost access) from a walk whose pages shifted:
 * each id maps to the repository as GitHub has it now, or null when gone.
 */
export type ConfirmMissing = (missing: readonly Repo[]) => Promise<Map<number, GitHubRepo | null>>

/** The REST confirmation: `GET /repositories/{id}` per missing repository (one billable request each). */
export function confirmByRest(deps: Pick<Deps, 'octokit'>): ConfirmMissing {
  return async (missing) => {
    const out = new Map<number, GitHubRepo | null>()
    for (const repo of missing) out.set(repo.id, await repositoryById(deps.octokit, repo.id))
    return out
  }
}

/**
 * Records a listing of the org's repositories (from REST, or from GraphQL
 * mapped to REST's shape) and notes it as fresh, in one transaction; returns
 * them as the sync tasks use them, by name.
 *
 * A listing is read page by page while the org may change: a repository
 * created meanwhile can appear twice (kept once, by id), and one deleted
 * meanwhile can pull another off the page being read, so that one is not
 * listed at all. A repository stored as listed that this listing lacks is
 * therefore asked about once (`confirm`: REST by id, or GraphQL by node id)
 * before it is believed gone: still there under this owner, it stays listed
 * and is synced this run as usual; deleted, unreadable or moved to another
 * owner, it is marked unlisted (its rows are kept). So no other task ever
 * loses a repository to a shifted page.
 */
export async function recordRepositoryListing(
  deps: Pick<Deps, 'sql' | 'clock' | 'log'>,
  org: string,
  listing: readonly GitHubRepo[],
  options: { etag?: { key: string; etag?: string }; confirm?: ConfirmMissing } = {}
): Promise<Repo[]> {
  const now = deps.clock().getTime()
  const orgKey = org.toLowerCase()
  const repos = uniqueById(listing)
  const ids = new Set(repos.map((r) => r.id))
  const missing = (await storedRepositories(deps.sql, org)).filter((r) => !ids.has(r.id))
  const gone: number[] = []
  if (missing.length > 0 && options.confirm) {
    const found = await options.confirm(missing)
    for (const repo of missing) {
      const current = found.get(repo.id)
      if (current && (current.owner?.login ?? org).toLowerCase() === orgKey && !ids.has(current.id)) {
        repos.push(current)
        ids.add(current.id)
      } else gone.push(repo.id)
    }
    deps.log.info(
      `Repository list of ${org}: ${missing.length} stored repositor${missing.length === 1 ? 'y' : 'ies'} not listed; ` +
        `${missing.length - gone.length} still there (the list shifted while it was read), ` +
        `${gone.length} gone (deleted, moved or unreadable)` +
        (gone.length
          ? `: ${missing
              .filter((r) => gone.includes(r.id))
              .map((r) => r.name)
              .join(', ')}`
          : '')
    )
  } else gone.push(...missing.map((r) => r.id))
  await deps.sql.begin(async (tx) => {
    const cursor = await getCursor(tx, CURSORS.repositories, 0)
    await upsertRepositories(
      tx,
      org,
      repos.map((r) => mapRepository(org, r)),
      gone
    )
    if (options.etag) await putEtag(tx, options.etag.key, options.etag.etag)
    await setCursor(tx, CURSORS.repositories, 0, {
      state: { ...cursor.state, [orgKey]: { full: iso(now), verified: iso(now) } }
    })
  })
  return repos.map((r) => toRepo(org, r)).sort((a, b) => a.name.localeCompare(b.name))
}

/** When the org's list was last fetched whole, and last confirmed current. */
function listingTimes(value: unknown): { full?: number; verified?: number } {
  if (typeof value === 'string') return { full: Date.parse(value), verified: Date.parse(value) }
  if (value && typeof value === 'object') {
    const v = value as { full?: string; verified?: string }
    return { full: v.full ? Date.parse(v.full) : undefined, verified: v.verified ? Date.parse(v.verified) : undefined }
  }
  return {}
}

function iso(ms: number | undefined): string | undefined {
  return ms === undefined ? undefined : new Date(ms).toISOString()
}

/**
 * `org` names no organisation GitHub shows this token: a user account (this
 * action syncs organisations: their repositories and members), or nothing
 * it can see. Fails naming the input, as every bad input does.
 */
export function orgInputError(org: string, account: 'User' | 'Organization' | 'none'): InputError {
  if (account === 'User') {
    return new InputError(
      `Invalid org '${org}': it is a user account, not an organisation. contributor-metrics syncs an ` +
        "organisation's repositories and members; set 'org' to an organisation's login (in a reusable " +
        "workflow the default is the calling repository's owner)."
    )
  }
  return new InputError(
    `Invalid org '${org}': GitHub shows no organisation of that name to this token (404). Check the name, ` +
      'and that the token can see it: a GitHub App installed on the organisation, or a PAT of a member.'
  )
}
