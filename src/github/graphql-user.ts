import type { UserJson } from '../model/user.js'
import { GHOST_USER } from './users.js'

/** The actor fields every GraphQL query here selects (see ACTOR_FIELDS). */
export interface GraphqlActor {
  __typename: string
  login: string
  id?: string
  databaseId?: number | null
  avatarUrl?: string
  url?: string
  isSiteAdmin?: boolean
}

/** Selection of an `Actor` (User, Bot, Mannequin, Organization, EnterpriseUserAccount). */
export const ACTOR_FIELDS = `__typename login avatarUrl url
  ... on User { id databaseId isSiteAdmin }
  ... on Bot { id databaseId }
  ... on Mannequin { id databaseId }
  ... on Organization { id databaseId }`

/**
 * The REST API's simple-user object for a GraphQL actor, so rows written
 * from GraphQL equal rows written from REST:
 * - a bot's GraphQL `login` lacks the `[bot]` suffix REST shows
 *   (anthropics/claude-code-action#1516), so it is added back;
 * - GraphQL answers a deleted account with `null` where REST shows GitHub's
 *   `ghost` user (atlassian/github-for-jira#164), so null becomes ghost;
 * - REST's URL fields are templates on the login, under `apiUrl`;
 * - `avatar_url` is GraphQL's `avatarUrl` without the size and cache-key
 *   parameters REST does not add (`s`, `u`).
 */
export function restUser(actor: GraphqlActor | null | undefined, apiUrl: string): UserJson {
  if (!actor) return ghostUser(apiUrl)
  const login = actor.__typename === 'Bot' && !actor.login.endsWith('[bot]') ? `${actor.login}[bot]` : actor.login
  const type = actor.__typename === 'Bot' || actor.__typename === 'Organization' ? actor.__typename : 'User'
  return simpleUser(apiUrl, {
    login,
    id: actor.databaseId ?? 0,
    node_id: actor.id ?? '',
    avatar_url: normaliseAvatar(actor.avatarUrl ?? ''),
    html_url: actor.url ?? '',
    type,
    site_admin: actor.isSiteAdmin ?? false
  })
}

/** GitHub's `ghost` user as the REST API renders it under `apiUrl`. */
export function ghostUser(apiUrl: string): UserJson {
  return simpleUser(apiUrl, {
    login: GHOST_USER.login,
    id: GHOST_USER.id,
    node_id: GHOST_USER.node_id as string,
    avatar_url: GHOST_USER.avatar_url as string,
    html_url: GHOST_USER.html_url as string,
    type: 'User',
    site_admin: false
  })
}

function simpleUser(
  apiUrl: string,
  u: {
    login: string
    id: number
    node_id: string
    avatar_url: string
    html_url: string
    type: string
    site_admin: boolean
  }
): UserJson {
  const base = `${apiUrl}/users/${encodeURIComponent(u.login)}`
  return {
    login: u.login,
    id: u.id,
    node_id: u.node_id,
    avatar_url: u.avatar_url,
    gravatar_id: '',
    url: base,
    html_url: u.html_url,
    followers_url: `${base}/followers`,
    following_url: `${base}/following{/other_user}`,
    gists_url: `${base}/gists{/gist_id}`,
    starred_url: `${base}/starred{/owner}{/repo}`,
    subscriptions_url: `${base}/subscriptions`,
    organizations_url: `${base}/orgs`,
    repos_url: `${base}/repos`,
    events_url: `${base}/events{/privacy}`,
    received_events_url: `${base}/received_events`,
    type: u.type,
    user_view_type: 'public',
    site_admin: u.site_admin
  }
}

function normaliseAvatar(url: string): string {
  if (!url) return url
  try {
    const u = new URL(url)
    u.searchParams.delete('s')
    u.searchParams.delete('u')
    return u.toString()
  } catch {
    return url
  }
}
