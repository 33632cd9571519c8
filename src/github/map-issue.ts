import type { Repo } from './repos.js'
import { loginOf, userOrGhost, type GitHubUser } from './users.js'

/** An issue or pull request as /issues, /issues/{n} and /search/issues return it. */
export interface GitHubIssue {
  id: number
  node_id?: string
  number: number
  title: string
  body?: string | null
  user: GitHubUser | null
  labels?: (string | { name?: string; [k: string]: unknown })[]
  assignee?: GitHubUser | null
  assignees?: GitHubUser[] | null
  milestone?: unknown
  state: string
  state_reason?: string | null
  locked?: boolean
  active_lock_reason?: string | null
  comments?: number
  created_at: string
  updated_at: string
  closed_at?: string | null
  author_association?: string
  draft?: boolean
  pull_request?: { url?: string; html_url?: string; merged_at?: string | null; [k: string]: unknown }
  reactions?: Record<string, unknown>
  performed_via_github_app?: unknown
  score?: number
  url: string
  html_url: string
  repository_url?: string
  labels_url?: string
  comments_url?: string
  events_url?: string
  timeline_url?: string
  [field: string]: unknown
}

/** Columns shared by `issues` and `pull_requests` (the seed's, plus repo_id). */
interface CommonRow {
  id: number
  repo_id: number
  org: string
  repo: string
  number: number
  title: string
  body: string | null
  user: GitHubUser
  username: string
  labels: unknown[]
  assignee: GitHubUser | null
  assignees: GitHubUser[]
  milestone: unknown
  state: string
  state_reason: string | null
  locked: boolean | null
  active_lock_reason: string | null
  comments: number | null
  created_at: string
  updated_at: string
  closed_at: string | null
  author_association: string | null
  reactions: Record<string, unknown> | null
  performed_via_github_app: string | null
  url: string
  html_url: string
  node_id: string | null
  repository_url: string | null
  labels_url: string | null
  comments_url: string | null
  events_url: string | null
  timeline_url: string | null
}

export interface IssueRow extends CommonRow {
  score: number | null
}

export interface PullRow extends CommonRow {
  score: number | null
  merged: boolean
  merged_at: string | null
  draft: boolean | null
  pull_request: Record<string, unknown> | null
}

export type MappedIssue = { kind: 'issue'; row: IssueRow } | { kind: 'pull'; row: PullRow }

/**
 * Maps an issues-API item to its row. Pull requests (items with
 * `pull_request`) go to `pull_requests` with `merged` taken from
 * `pull_request.merged_at`: false while open or closed unmerged. A deleted
 * author (`user: null`) becomes GitHub's ghost user.
 */
export function mapIssue(item: GitHubIssue, repo: Pick<Repo, 'id' | 'org' | 'name'>): MappedIssue {
  const common: CommonRow = {
    id: item.id,
    repo_id: repo.id,
    org: repo.org,
    repo: repo.name,
    number: item.number,
    title: item.title,
    body: item.body ?? null,
    user: userOrGhost(item.user),
    username: loginOf(item.user),
    labels: (item.labels ?? []).map((l) => (typeof l === 'string' ? { name: l } : l)),
    assignee: item.assignee ?? null,
    assignees: item.assignees ?? [],
    milestone: item.milestone ?? null,
    state: item.state,
    state_reason: item.state_reason ?? null,
    locked: item.locked ?? null,
    active_lock_reason: item.active_lock_reason ?? null,
    comments: item.comments ?? null,
    created_at: item.created_at,
    updated_at: item.updated_at,
    closed_at: item.closed_at ?? null,
    author_association: item.author_association ?? null,
    reactions: item.reactions ?? null,
    performed_via_github_app: item.performed_via_github_app ? JSON.stringify(item.performed_via_github_app) : null,
    url: item.url,
    html_url: item.html_url,
    node_id: item.node_id ?? null,
    repository_url: item.repository_url ?? null,
    labels_url: item.labels_url ?? null,
    comments_url: item.comments_url ?? null,
    events_url: item.events_url ?? null,
    timeline_url: item.timeline_url ?? null
  }
  // The seed stored search results, whose `score` is relevance to that one
  // query. Rows here come from listings and from several searches, so a
  // score would depend on which request wrote the row last: kept null.
  if (!item.pull_request) return { kind: 'issue', row: { ...common, score: null } }
  const mergedAt = item.pull_request.merged_at ?? null
  return {
    kind: 'pull',
    row: {
      ...common,
      score: null,
      merged: mergedAt !== null,
      merged_at: mergedAt,
      draft: item.draft ?? null,
      pull_request: item.pull_request
    }
  }
}
