import type { MemberRow } from '../model/member.js'
import type { GitHubMember } from './types.js'

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
