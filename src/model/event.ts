import type { UserJson } from './user.js'

/** A row of `events`: the seed's columns plus repo_id. `id` is a bigint as a string. */
export interface EventRow {
  id: string
  issue_id: number
  repo_id: number
  org: string
  repo: string
  event: string
  body: string | null
  label: Record<string, unknown> | null
  reactions: Record<string, unknown> | null
  state: string | null
  created_at: string | null
  updated_at: string | null
  node_id: string | null
  user: UserJson | null
  author_association: string | null
  username: string | null
}

/** The columns written by upserts, in order. */
export const EVENT_COLUMNS = [
  'id',
  'issue_id',
  'repo_id',
  'org',
  'repo',
  'event',
  'body',
  'label',
  'reactions',
  'state',
  'created_at',
  'updated_at',
  'node_id',
  'user',
  'author_association',
  'username'
] as const satisfies readonly (keyof EventRow)[]

/** An events row with the timeline page it was read from. */
export interface PagedEventRow extends EventRow {
  timeline_page: number
}

/** One polled timeline page (`event_polls`): the ETag that makes the next request free. */
export interface EventPollRow {
  /** Issue id. */
  id: number
  page_no: number
  etag: string | null
  issue_updated_at: Date
  item_count: number
}
