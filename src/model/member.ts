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

/** One page of the members listing: its ids, and its rows and ETag when it answered 200. */
export interface MemberPage {
  key: string
  ids: number[]
  rows?: MemberRow[]
  etag?: string
}

export interface MembershipCounts {
  /** Spans opened: new members and returning ones. */
  joined: number
  /** Of those, members who had left before. */
  returned: number
  /** Spans closed in the organisation listed: members confirmed gone. */
  left: number
  /** Of those, users now a member of no synced organisation (members.inactive set). */
  inactive: number
  /** members rows inserted or changed. */
  written: number
}
