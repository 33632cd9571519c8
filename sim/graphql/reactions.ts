// Reactions on issues and comments: `reactions(content, first…)` and
// `reactionGroups`, from the world's packed `userId * 8 + content` lists.
// The world does not record when a reaction was made; its `createdAt` is
// the reacted-to item's creation time.
import { iso, nodeId } from '../render/common.js'
import { actor, userOnly, type BotNode, type UserNode } from './actors.js'
import { connection, keysetCursors, type ConnArgs, type Connection } from './connection.js'
import type { Args, GqlCtx } from './context.js'

/** GraphQL's ReactionContent, in the order of model.ts REACTIONS (+1, -1, laugh, hooray, confused, heart, rocket, eyes). */
export const CONTENTS = ['THUMBS_UP', 'THUMBS_DOWN', 'LAUGH', 'HOORAY', 'CONFUSED', 'HEART', 'ROCKET', 'EYES'] as const

class ReactionNode {
  readonly __typename = 'Reaction'
  constructor(
    readonly _packed: number,
    readonly _at: number,
    readonly _seq: number
  ) {}
  /** Unique within the world: holder time and position, and the packed reaction. */
  databaseId(): number {
    return (Math.floor(this._at / 1000) * 31 + this._packed * 7 + this._seq) % 2_000_000_000
  }
  id(): string {
    return nodeId('REA', this.databaseId())
  }
  content(): string {
    return CONTENTS[this._packed % 8]
  }
  createdAt(): string {
    return iso(this._at)
  }
  user(_a: Args, c: GqlCtx): UserNode | null {
    return userOnly(c, Math.floor(this._packed / 8))
  }
}

export function reactions(_c: GqlCtx, rx: number[] | null, a: Args, at: number): Connection<ReactionNode> {
  const content = a.content as string | undefined
  const all = (rx ?? []).map((p, k) => ({ p, k }))
  const items = content ? all.filter((x) => CONTENTS[x.p % 8] === content) : all
  return connection(
    items,
    a as ConnArgs,
    keysetCursors((x) => [x.k]),
    (x) => new ReactionNode(x.p, at, x.k)
  )
}

/** All eight groups, GitHub's order, with `reactors` (Reactor union: bots included) and counts. */
export function reactionGroups(c: GqlCtx, rx: number[] | null, subject: unknown, at: number): object[] {
  return CONTENTS.map((content, k) => {
    const users = (rx ?? []).filter((p) => p % 8 === k).map((p) => Math.floor(p / 8))
    const reactors = (a: Args): Connection<UserNode | BotNode | null> =>
      connection(
        users,
        a as ConnArgs,
        keysetCursors((id) => [users.indexOf(id)]),
        (id) => actor(c, id)
      )
    return {
      content,
      createdAt: users.length ? iso(at) : null,
      subject,
      viewerHasReacted: false,
      reactors,
      users: (a: Args) =>
        connection(
          users.filter((id) => userOnly(c, id)),
          a as ConnArgs,
          keysetCursors((id) => [users.indexOf(id)]),
          (id) => userOnly(c, id)
        )
    }
  })
}
