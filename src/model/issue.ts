import type { UserJson } from './user.js'

/** Columns shared by `issues` and `pull_requests` (the seed's, plus repo_id). */
export interface CommonRow {
  id: number
  repo_id: number
  org: string
  repo: string
  number: number
  title: string
  body: string | null
  user: UserJson
  username: string
  labels: unknown[]
  assignee: UserJson | null
  assignees: UserJson[]
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

/** A row of `issues`. */
export interface IssueRow extends CommonRow {
  score: number | null
}

/** A row of `pull_requests`; `id` is the pull request's issue id, as in the seed. */
export interface PullRow extends CommonRow {
  score: number | null
  merged: boolean
  merged_at: string | null
  draft: boolean | null
  pull_request: Record<string, unknown> | null
}

/** An issues-API item mapped to the table it belongs in. */
export type MappedIssue = { kind: 'issue'; row: IssueRow } | { kind: 'pull'; row: PullRow }

/** Columns this project writes on both tables (the seed's, plus repo_id). */
export const COMMON_COLUMNS = [
  'id',
  'repo_id',
  'org',
  'repo',
  'number',
  'title',
  'body',
  'user',
  'username',
  'labels',
  'assignee',
  'assignees',
  'milestone',
  'state',
  'state_reason',
  'locked',
  'active_lock_reason',
  'comments',
  'created_at',
  'updated_at',
  'closed_at',
  'author_association',
  'reactions',
  'performed_via_github_app',
  'url',
  'html_url',
  'node_id',
  'repository_url',
  'labels_url',
  'comments_url',
  'events_url',
  'timeline_url',
  'score'
] as const satisfies readonly (keyof IssueRow)[]

export const ISSUE_COLUMNS = [...COMMON_COLUMNS] as const satisfies readonly (keyof IssueRow)[]
export const PULL_COLUMNS = [
  ...COMMON_COLUMNS,
  'merged',
  'merged_at',
  'draft',
  'pull_request'
] as const satisfies readonly (keyof PullRow)[]

/** The fields of a stored pull request that the `pulls` task compares with GitHub's pulls list. */
export interface StoredPull {
  id: string
  number: number
  state: string | null
  merged: boolean | null
  merged_at: Date | null
  draft: boolean | null
  closed_at: Date | null
  updated_at: Date | null
}

/** An issue or pull request whose timeline is synced (pull requests by their issue id and number). */
export interface TimelineIssue {
  id: number
  number: number
  updatedAt: Date
}
