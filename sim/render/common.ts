// Shared pieces of GitHub's JSON: users, labels, reaction rollups, dates,
// node ids and shas. Rendering happens per request from compact records.
import { createHash } from 'node:crypto'
import { REACTIONS, type IssueRec, type RepoRec, type UserRec } from '../model.js'
import { GHOST_ID, type World } from '../world.js'

/** Per-request rendering context: API URLs use the request's own origin, as GHES would. */
export interface Ctx {
  world: World
  /** e.g. http://127.0.0.1:41234 */
  api: string
  /** Repos the token may read (undefined = all). */
  canRead: (r: RepoRec) => boolean
}

export const HTML = 'https://github.com'

/** GitHub timestamps: second precision, `Z` suffix. */
export function iso(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z')
}
export const isoOrNull = (ms: number): string | null => (ms ? iso(ms) : null)

export function nodeId(prefix: string, id: number): string {
  return `${prefix}_kwDO${Buffer.from(String(id)).toString('base64url')}`
}

/** A deterministic 40-hex sha for commits and merge commits. */
export function sha(kind: string, id: number): string {
  return createHash('sha1').update(`${kind}:${id}`).digest('hex')
}

export function simpleUser(ctx: Ctx, u: UserRec): Record<string, unknown> {
  const login = u.login
  const base = `${ctx.api}/users/${encodeURIComponent(login)}`
  return {
    login,
    id: u.id,
    // GitHub's ghost keeps its legacy global id (GET /users/ghost answers it).
    node_id: u.id === GHOST_ID ? 'MDQ6VXNlcjEwMTM3' : nodeId(u.type === 'Bot' ? 'BOT' : 'U', u.id),
    avatar_url: `https://avatars.githubusercontent.com/u/${u.id}?v=4`,
    gravatar_id: '',
    url: base,
    html_url: u.type === 'Bot' ? `${HTML}/apps/${login.replace(/\[bot\]$/, '')}` : `${HTML}/${login}`,
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
    site_admin: false
  }
}

/** Issue/comment authors: a deleted account is `null`. */
export function userOrNull(ctx: Ctx, id: number): Record<string, unknown> | null {
  if (!id) return null
  const u = ctx.world.users.get(id)
  return !u || u.deleted ? null : simpleUser(ctx, u)
}

/** Timeline actors: a deleted account is GitHub's `ghost` user. */
export function userOrGhost(ctx: Ctx, id: number): Record<string, unknown> {
  const u = ctx.world.users.get(id)
  return simpleUser(ctx, !u || u.deleted ? ctx.world.users.get(GHOST_ID)! : u)
}

const PALETTE = ['d73a4a', '0075ca', 'cfd3d7', 'a2eeef', '7057ff', '008672', 'e4e669', 'd876e3', 'fbca04', '0e8a16']

function hashInt(s: string): number {
  let h = 2166136261
  for (let k = 0; k < s.length; k++) h = Math.imul(h ^ s.charCodeAt(k), 16777619)
  return h >>> 0
}

export function labelId(repo: RepoRec, name: string): number {
  return 200_000_000 + ((repo.id * 31 + hashInt(name)) % 1_000_000_000)
}
export function labelColor(name: string): string {
  return PALETTE[hashInt(name) % PALETTE.length]
}

export function label(ctx: Ctx, repo: RepoRec, name: string): Record<string, unknown> {
  const id = labelId(repo, name)
  return {
    id,
    node_id: nodeId('LA', id),
    url: `${repoApi(ctx, repo)}/labels/${encodeURIComponent(name)}`,
    name,
    color: labelColor(name),
    default: name === 'bug' || name === 'enhancement',
    description: `Label '${name}'`
  }
}

export function repoApi(ctx: Ctx, r: RepoRec): string {
  return `${ctx.api}/repos/${ctx.world.org}/${r.name}`
}

/** The `reactions` rollup object; `packed` holds userId * 8 + content index. */
export function reactions(url: string, packed: number[] | null): Record<string, unknown> {
  const counts = [0, 0, 0, 0, 0, 0, 0, 0]
  for (const p of packed ?? []) counts[p % 8]++
  const out: Record<string, unknown> = { url, total_count: packed?.length ?? 0 }
  REACTIONS.forEach((c, k) => (out[c] = counts[k]))
  return out
}

/** MEMBER while the author is in the org (GitHub computes it at read time). */
export function authorAssociation(ctx: Ctx, userId: number, i?: IssueRec): string {
  if (ctx.world.members.has(userId)) return 'MEMBER'
  if (i && i.user === userId && i.isPull && i.mergedAt) return 'CONTRIBUTOR'
  return 'NONE'
}

export function milestone(ctx: Ctx, repo: RepoRec, n: number): Record<string, unknown> | null {
  if (!n) return null
  const id = repo.id * 100 + n
  const url = `${repoApi(ctx, repo)}/milestones/${n}`
  return {
    url,
    html_url: `${HTML}/${ctx.world.org}/${repo.name}/milestone/${n}`,
    labels_url: `${url}/labels`,
    id,
    node_id: nodeId('MI', id),
    number: n,
    state: 'open',
    title: repo.milestones[n - 1],
    description: null,
    creator: null,
    open_issues: 0,
    closed_issues: 0,
    created_at: iso(repo.createdAt),
    updated_at: iso(repo.createdAt),
    closed_at: null,
    due_on: null
  }
}
