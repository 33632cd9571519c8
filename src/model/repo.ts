/** A repository as the sync tasks use it: keyed by GitHub id, named by its current name. */
export interface Repo {
  id: number
  org: string
  name: string
  fullName: string
  archived: boolean
  private: boolean
  /** GitHub's global node id (GraphQL `id`), when known. */
  nodeId?: string | null
  /** Issues turned on (false: the issue routes answer 410; pull requests sync through search). Default true. */
  hasIssues?: boolean
}

/** A row of `repositories` as a listing writes it. */
export interface RepositoryRow {
  id: number
  node_id: string | null
  org: string
  name: string
  full_name: string
  private: boolean
  archived: boolean
  html_url: string | null
  created_at: string | null
  pushed_at: string | null
  has_issues: boolean
}

export const REPOSITORY_COLUMNS = [
  'id',
  'node_id',
  'org',
  'name',
  'full_name',
  'private',
  'archived',
  'html_url',
  'created_at',
  'pushed_at',
  'has_issues'
] as const satisfies readonly (keyof RepositoryRow)[]
