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
 * The seed's `members` columns that come from GitHub. `inserted_dt`,
 * `inactive` and `inactive_dt` are ours: the task sets them from the run's
 * clock, never from the payload.
 */
export interface MemberRow {
  id: number
  login: string
  node_id: string | null
  avatar_url: string | null
  gravatar_id: string | null
  url: string | null
  html_url: string | null
  followers_url: string | null
  following_url: string | null
  gists_url: string | null
  starred_url: string | null
  subscriptions_url: string | null
  organizations_url: string | null
  repos_url: string | null
  events_url: string | null
  received_events_url: string | null
  type: string | null
  site_admin: boolean | null
}

/** Columns of MemberRow, in a stable order, for `sql(rows, columns)`. */
export const MEMBER_COLUMNS = [
  'id',
  'login',
  'node_id',
  'avatar_url',
  'gravatar_id',
  'url',
  'html_url',
  'followers_url',
  'following_url',
  'gists_url',
  'starred_url',
  'subscriptions_url',
  'organizations_url',
  'repos_url',
  'events_url',
  'received_events_url',
  'type',
  'site_admin'
] as const satisfies readonly (keyof MemberRow)[]

/** Pure: one listed member → one `members` row (without our bookkeeping columns). */
export function mapMember(m: GitHubMember): MemberRow {
  if (!Number.isSafeInteger(m.id) || typeof m.login !== 'string' || m.login === '') {
    throw new Error(`Malformed member in GET /orgs/{org}/members: ${JSON.stringify(m).slice(0, 200)}`)
  }
  return {
    id: m.id,
    login: m.login,
    node_id: m.node_id ?? null,
    avatar_url: m.avatar_url ?? null,
    gravatar_id: m.gravatar_id ?? null,
    url: m.url ?? null,
    html_url: m.html_url ?? null,
    followers_url: m.followers_url ?? null,
    following_url: m.following_url ?? null,
    gists_url: m.gists_url ?? null,
    starred_url: m.starred_url ?? null,
    subscriptions_url: m.subscriptions_url ?? null,
    organizations_url: m.organizations_url ?? null,
    repos_url: m.repos_url ?? null,
    events_url: m.events_url ?? null,
    received_events_url: m.received_events_url ?? null,
    type: m.type ?? null,
    site_admin: m.site_admin ?? null
  }
}
