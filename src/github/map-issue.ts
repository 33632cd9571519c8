import type { CommonRow, MappedIssue } from '../model/issue.js'
import type { Repo } from '../model/repo.js'
import type { GitHubIssue } from './types.js'
import { loginOf, userOrGhost } from './users.js'

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
