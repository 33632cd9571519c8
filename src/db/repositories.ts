import { REPOSITORY_COLUMNS, type Repo, type RepositoryRow } from '../model/repo.js'
import type { Queryable } from './connect.js'

/** The org's repositories as last listed (those still listed), by name. */
export async function storedRepositories(sql: Queryable, org: string): Promise<Repo[]> {
  const rows = await sql<
    {
      id: string
      org: string
      name: string
      full_name: string
      archived: boolean
      private: boolean
      node_id: string | null
      has_issues: boolean
    }[]
  >`
    select id, org, name, full_name, archived, private, node_id, has_issues from repositories
    where lower(org) = lower(${org}) and listed order by name`
  return rows.map((r) => ({
    id: Number(r.id),
    org: r.org,
    name: r.name,
    fullName: r.full_name,
    archived: r.archived,
    private: r.private,
    nodeId: r.node_id,
    hasIssues: r.has_issues
  }))
}

/**
 * Records repositories as listed (or confirmed one by one). A repository
 * whose id is known under another name was renamed: its old name joins
 * previous_names and every row keyed by its id takes the new name, so
 * history stays in one place. `gone` are the ids a listing no longer showed
 * and a lookup confirmed deleted or moved away: they are kept but marked
 * unlisted. A repository merely missing from one walk is never unlisted here.
 */
export async function upsertRepositories(
  tx: Queryable,
  org: string,
  listed: readonly RepositoryRow[],
  gone: readonly number[] = []
): Promise<void> {
  // One row per id: a walk whose pages shifted can list a repository twice,
  // and an upsert may not touch a row twice.
  const rows = [...new Map(listed.map((r) => [r.id, r])).values()]
  if (gone.length > 0) {
    await tx`update repositories set listed = false where lower(org) = lower(${org}) and id = any(${[...gone]}::bigint[])`
  }
  if (rows.length === 0) return
  const renamed = await tx<{ id: string; name: string }[]>`
    select r.id, l.name from repositories r
    join json_to_recordset(${tx.json(rows.map((x) => ({ id: x.id, name: x.name })) as never)}::json) as l(id bigint, name varchar)
      on l.id = r.id
    where r.name <> l.name`
  await tx`
    insert into repositories ${tx(rows as RepositoryRow[], ...REPOSITORY_COLUMNS)}
    on conflict (id) do update set
      node_id = excluded.node_id, org = excluded.org, name = excluded.name, full_name = excluded.full_name,
      private = excluded.private, archived = excluded.archived, html_url = excluded.html_url,
      pushed_at = excluded.pushed_at, has_issues = excluded.has_issues, last_seen_at = now(), listed = true,
      previous_names = case when repositories.name <> excluded.name
        then array_append(repositories.previous_names, repositories.name) else repositories.previous_names end`
  for (const { id, name } of renamed) {
    await tx`update issues set repo = ${name} where repo_id = ${id} and repo is distinct from ${name}`
    await tx`update pull_requests set repo = ${name} where repo_id = ${id} and repo is distinct from ${name}`
    await tx`update events set repo = ${name} where repo_id = ${id} and repo is distinct from ${name}`
  }
}

/** Records that a repository's issues are turned off (its issue routes answered 410). */
export async function markIssuesDisabled(tx: Queryable, repoId: number): Promise<void> {
  await tx`update repositories set has_issues = false where id = ${repoId} and has_issues`
}
