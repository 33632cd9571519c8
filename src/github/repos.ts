import { minimatch } from 'minimatch'
import type { Queryable, Sql } from '../db/connect.js'
import { getCursor, setCursor } from '../db/cursors.js'
import { getEtag, putEtag } from '../db/etags.js'
import type { Settings } from '../inputs.js'
import type { Deps } from '../tasks/types.js'
import { etagKey, getPage } from './conditional.js'

/** A repository as the sync tasks use it: keyed by GitHub id, named by its current name. */
export interface Repo {
  id: number
  org: string
  name: string
  fullName: string
  archived: boolean
  private: boolean
}

interface GitHubRepo {
  id: number
  node_id?: string
  name: string
  full_name: string
  private?: boolean
  archived?: boolean
  html_url?: string
  created_at?: string | null
  pushed_at?: string | null
  owner?: { login: string }
}

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

const ROUTE = 'GET /orgs/{org}/repos'
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
  const all = await listOrgRepositories(deps, settings.org, options.maxAgeMs ?? 0)
  const selected = all.filter(
    (r) =>
      (settings.includeArchived || !r.archived) && matchesRepos(r.name, settings.repos) && inShard(r.id, settings.shard)
  )
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

async function listOrgRepositories(deps: Deps, org: string, maxAgeMs: number): Promise<Repo[]> {
  const { sql, octokit, clock, log } = deps
  const params = { org, type: 'all', sort: 'created', direction: 'desc', per_page: 100 }
  const key = etagKey(ROUTE, params)
  const cursor = await getCursor(sql, 'repositories', 0)
  const orgKey = org.toLowerCase()
  const seen = listingTimes(cursor.state[orgKey])
  const now = clock().getTime()
  if (maxAgeMs > 0 && seen.verified !== undefined && now - seen.verified < maxAgeMs) {
    log.debug(`Repository list of ${org} verified ${Math.round((now - seen.verified) / 60_000)} min ago; using it.`)
    return storedRepositories(sql, org)
  }
  const fresh = seen.full !== undefined && now - seen.full < FULL_LISTING_MS
  const first = await getPage<GitHubRepo[]>(octokit, ROUTE, params, fresh ? await getEtag(sql, key) : undefined)
  if (first.notModified) {
    log.debug(`Repository list of ${org} unchanged (304).`)
    await setCursor(sql, 'repositories', 0, {
      state: { ...cursor.state, [orgKey]: { full: iso(seen.full), verified: iso(now) } }
    })
    return storedRepositories(sql, org)
  }
  const listed = [...first.data]
  let next = first.links.next
  while (next) {
    const page = await getPage<GitHubRepo[]>(octokit, next)
    if (page.notModified) break
    listed.push(...page.data)
    next = page.links.next
  }
  await sql.begin(async (tx) => {
    await upsertRepositories(tx, org, listed)
    await putEtag(tx, key, first.etag)
    await setCursor(tx, 'repositories', 0, {
      state: { ...cursor.state, [orgKey]: { full: iso(now), verified: iso(now) } }
    })
  })
  return listed.map((r) => toRepo(org, r)).sort((a, b) => a.name.localeCompare(b.name))
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

function toRepo(org: string, r: GitHubRepo): Repo {
  return {
    id: r.id,
    org: r.owner?.login ?? org,
    name: r.name,
    fullName: r.full_name,
    archived: !!r.archived,
    private: !!r.private
  }
}

async function storedRepositories(sql: Sql, org: string): Promise<Repo[]> {
  const rows = await sql<
    { id: string; org: string; name: string; full_name: string; archived: boolean; private: boolean }[]
  >`
    select id, org, name, full_name, archived, private from repositories
    where lower(org) = lower(${org}) and listed order by name`
  return rows.map((r) => ({
    id: Number(r.id),
    org: r.org,
    name: r.name,
    fullName: r.full_name,
    archived: r.archived,
    private: r.private
  }))
}

/**
 * Records the listing. A repository whose id is known under another name
 * was renamed: its old name joins previous_names and every row keyed by its
 * id takes the new name, so history stays in one place. Repositories no
 * longer listed are kept but marked unlisted.
 */
async function upsertRepositories(tx: Queryable, org: string, listed: GitHubRepo[]): Promise<void> {
  const rows = listed.map((r) => ({
    id: r.id,
    node_id: r.node_id ?? null,
    org: r.owner?.login ?? org,
    name: r.name,
    full_name: r.full_name,
    private: !!r.private,
    archived: !!r.archived,
    html_url: r.html_url ?? null,
    created_at: r.created_at ?? null,
    pushed_at: r.pushed_at ?? null
  }))
  const ids = listed.map((r) => r.id)
  await tx`update repositories set listed = false where lower(org) = lower(${org}) and not (id = any(${ids}::bigint[]))`
  if (rows.length === 0) return
  const renamed = await tx<{ id: string; name: string }[]>`
    select r.id, l.name from repositories r
    join json_to_recordset(${tx.json(rows.map((x) => ({ id: x.id, name: x.name })) as never)}::json) as l(id bigint, name varchar)
      on l.id = r.id
    where r.name <> l.name`
  await tx`
    insert into repositories ${tx(rows, 'id', 'node_id', 'org', 'name', 'full_name', 'private', 'archived', 'html_url', 'created_at', 'pushed_at')}
    on conflict (id) do update set
      node_id = excluded.node_id, org = excluded.org, name = excluded.name, full_name = excluded.full_name,
      private = excluded.private, archived = excluded.archived, html_url = excluded.html_url,
      pushed_at = excluded.pushed_at, last_seen_at = now(), listed = true,
      previous_names = case when repositories.name <> excluded.name
        then array_append(repositories.previous_names, repositories.name) else repositories.previous_names end`
  for (const { id, name } of renamed) {
    await tx`update issues set repo = ${name} where repo_id = ${id} and repo is distinct from ${name}`
    await tx`update pull_requests set repo = ${name} where repo_id = ${id} and repo is distinct from ${name}`
    await tx`update events set repo = ${name} where repo_id = ${id} and repo is distinct from ${name}`
  }
}
