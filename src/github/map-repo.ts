import type { Repo, RepositoryRow } from '../model/repo.js'
import type { GraphqlRepo } from './graphql-org.js'
import type { GitHubRepo } from './types.js'

/** A listed repository as the sync tasks use it (owner falls back to the org asked for). */
export function toRepo(org: string, r: GitHubRepo): Repo {
  return {
    id: r.id,
    org: r.owner?.login ?? org,
    name: r.name,
    fullName: r.full_name,
    archived: !!r.archived,
    private: !!r.private,
    nodeId: r.node_id ?? null,
    hasIssues: r.has_issues ?? true
  }
}

/** A listed repository as a `repositories` row. */
export function mapRepository(org: string, r: GitHubRepo): RepositoryRow {
  return {
    id: r.id,
    node_id: r.node_id ?? null,
    org: r.owner?.login ?? org,
    name: r.name,
    full_name: r.full_name,
    private: !!r.private,
    archived: !!r.archived,
    html_url: r.html_url ?? null,
    created_at: r.created_at ?? null,
    pushed_at: r.pushed_at ?? null,
    has_issues: r.has_issues ?? true
  }
}

/** A repository from GraphQL as the REST listing renders it (same `repositories` row). */
export function restRepo(r: GraphqlRepo): GitHubRepo {
  return {
    id: r.databaseId,
    node_id: r.id,
    name: r.name,
    full_name: r.nameWithOwner,
    private: r.isPrivate,
    archived: r.isArchived,
    html_url: r.url,
    created_at: r.createdAt,
    pushed_at: r.pushedAt,
    owner: { login: r.owner.login },
    ...(r.hasIssuesEnabled === undefined ? {} : { has_issues: r.hasIssuesEnabled })
  }
}
