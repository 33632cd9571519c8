// Actors: User, Bot, and GitHub's rendering of a deleted account.
//
// - A deleted account is `null` wherever GraphQL has an actor (author,
//   actor, assignee, mergedBy…), where REST shows `null` or the `ghost` user:
//   "In the REST API, we return the Ghost User … In GraphQL we handle this by
//   returning `null`" (atlassian/github-for-jira#164, by a GitHub engineer;
//   also sourcecred/sourcecred#228, anthropics/claude-code-action#1489).
// - A bot's GraphQL `login` has no `[bot]` suffix, which REST shows
//   ("GraphQL `author.login` for bots has no `[bot]` suffix (e.g.
//   "github-actions" … with `__typename: "Bot"`)",
//   anthropics/claude-code-action#1516; lhpaul/ai-dev-framework-template#739).
import { GHOST_ID } from '../world-state.js'
import type { UserRec } from '../model.js'
import { iso, nodeId } from '../render/common.js'
import { HTML, type GqlCtx } from './context.js'

const avatar = (id: number, size?: unknown): string =>
  `https://avatars.githubusercontent.com/u/${id}?v=4${typeof size === 'number' ? `&s=${size}` : ''}`

/** Accounts have no creation time in the world; a fixed, plausible one per id. */
const created = (id: number): string => iso(Date.UTC(2012, 0, 1) + (id % 100_000) * 3_600_000)

/** What User and Bot share. */
abstract class AccountNode {
  constructor(readonly _u: UserRec) {}
  databaseId(): number {
    return this._u.id
  }
  avatarUrl(a: { size?: number }): string {
    return avatar(this._u.id, a.size)
  }
  createdAt(): string {
    return created(this._u.id)
  }
  updatedAt(): string {
    return created(this._u.id)
  }
  abstract login(): string
  abstract resourcePath(): string
  url(): string {
    return `${HTML}${this.resourcePath()}`
  }
}

export class UserNode extends AccountNode {
  readonly __typename = 'User'
  id(): string {
    return nodeId('U', this._u.id)
  }
  login(): string {
    return this._u.login
  }
  resourcePath(): string {
    return `/${this._u.login}`
  }
  name(): null {
    return null
  }
  email(): string {
    return ''
  }
  isSiteAdmin(): boolean {
    return false
  }
}

export class BotNode extends AccountNode {
  readonly __typename = 'Bot'
  id(): string {
    return nodeId('BOT', this._u.id)
  }
  login(): string {
    return this._u.login.replace(/\[bot\]$/, '')
  }
  resourcePath(): string {
    return `/apps/${this.login()}`
  }
}

/** The actor for a user id: null for a deleted account (or none). */
export function actor(c: GqlCtx, id: number): UserNode | BotNode | null {
  if (!id || id === GHOST_ID) return null
  const u = c.world.users.get(id)
  if (!u || u.deleted) return null
  return u.type === 'Bot' ? new BotNode(u) : new UserNode(u)
}

/** Where the schema says `User` (assignees, reaction users): bots and deleted accounts are null. */
export function userOnly(c: GqlCtx, id: number): UserNode | null {
  const a = actor(c, id)
  return a instanceof UserNode ? a : null
}

/** `viewer`: the token's own account (an App installation answers its `<app>[bot]` user). */
export function viewer(c: GqlCtx): UserNode {
  const login = c.caller.login || 'octocat'
  const known = c.world.usersByLogin.get(login)
  if (known && !known.deleted) return new UserNode(known)
  let h = 0
  for (const ch of login) h = (h * 31 + ch.charCodeAt(0)) >>> 0
  return new UserNode({ id: 80_000_000 + (h % 10_000_000), login, type: 'User', deleted: false })
}
