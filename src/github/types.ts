/**
 * The parts of GitHub's REST responses this project reads. Field names are
 * GitHub's; only what is used is named, the rest is kept as it comes.
 */
import type { UserJson } from '../model/user.js'

/** A GitHub account as the REST API renders it (simple-user). */
export type GitHubUser = UserJson

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

/** A pull request as GET /pulls lists it (its `id` is the pulls id, not the issue id). */
export interface GitHubPull {
  number: number
  state: string
  draft?: boolean
  merged_at: string | null
  closed_at: string | null
  updated_at: string
}

/** A repository as GET /orgs/{org}/repos lists it. */
export interface GitHubRepo {
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
  /** Issues turned on (false: the issue routes answer 410, pull requests still work). */
  has_issues?: boolean
}

/** A user object as GET /orgs/{org}/members lists it (simple-user). */
export interface GitHubMember {
  readonly id: number
  readonly login: string
  readonly node_id?: string
  readonly avatar_url?: string
  readonly gravatar_id?: string | null
  readonly url?: string
  readonly html_url?: string
  readonly followers_url?: string
  readonly following_url?: string
  readonly gists_url?: string
  readonly starred_url?: string
  readonly subscriptions_url?: string
  readonly organizations_url?: string
  readonly repos_url?: string
  readonly events_url?: string
  readonly received_events_url?: string
  readonly type?: string
  readonly site_admin?: boolean
}

/**
 * One item of GET /repos/{o}/{r}/issues/{n}/timeline. The timeline is a
 * union of a dozen shapes (issue events, comments, reviews, commits,
 * cross-references…); only the fields stored are named here.
 */
export interface TimelineItem {
  event?: string
  id?: number | null
  node_id?: string | null
  actor?: GitHubUser | null
  /** Comments and reviews: the author (null for a deleted account on some endpoints). */
  user?: GitHubUser | null
  body?: string | null
  label?: { name: string; color?: string } | null
  reactions?: Record<string, unknown> | null
  /** Reviews: approved, changes_requested, commented, dismissed… */
  state?: string | null
  created_at?: string | null
  updated_at?: string | null
  /** Reviews have submitted_at instead of created_at. */
  submitted_at?: string | null
  author_association?: string | null
  /** committed */
  sha?: string
  message?: string
  author?: { name?: string; email?: string; date?: string } | null
  committer?: { name?: string; email?: string; date?: string } | null
  /** cross-referenced */
  source?: {
    type?: string
    issue?: { id?: number; node_id?: string; url?: string; html_url?: string } | null
  } | null
  [field: string]: unknown
}

/** One page of GET /search/issues. */
export interface SearchPage {
  total_count: number
  incomplete_results: boolean
  items: GitHubIssue[]
}
