/**
 * A GitHub account as stored in the `user`, `assignee` and `assignees`
 * jsonb columns: the REST API's simple-user object, kept whole (the seed
 * stored it that way; dashboards read `user ->> 'avatar_url'`).
 */
export interface UserJson {
  login: string
  id: number
  node_id?: string
  avatar_url?: string
  html_url?: string
  type?: string
  site_admin?: boolean
  [field: string]: unknown
}
