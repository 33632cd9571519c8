// `node(id)` and `nodes(ids)`: global ids back to records. The world keeps no
// id indexes beyond comments, so lookups scan (one pass for a whole `nodes`
// list); on the benchmark-size world a pass over every timeline takes a few ms.
import type { IssueRec, Item } from '../model.js'
import { sha } from '../render/common.js'
import { ORG_ID } from '../render/repo.js'
import { actor } from './actors.js'
import type { GqlCtx } from './context.js'
import { GqlError, notFound } from './errors.js'
import { IssueNode } from './issue.js'
import { MilestoneNode, OrgNode, RepoNode } from './repository.js'
import { commitObject, itemNode } from './timeline.js'

/** Splits `PREFIX_kwDO<base64url of the decimal id>` (render/common.ts nodeId). */
export function parseNodeId(id: string): { prefix: string; id: number } | null {
  const m = /^([A-Z]+)_kwDO([A-Za-z0-9_-]+)$/.exec(id)
  if (!m) return null
  const digits = Buffer.from(m[2], 'base64url').toString()
  return /^\d+$/.test(digits) ? { prefix: m[1], id: Number(digits) } : null
}

const TIMELINE_PREFIX: Record<string, (t: Item) => boolean> = {
  PRR: (t) => t.kind === 'reviewed',
  E: (t) => t.kind !== 'commented' && t.kind !== 'reviewed' && t.kind !== 'committed' && t.kind !== 'cross-referenced',
  CRE: (t) => t.kind === 'cross-referenced',
  PURC: (t) => t.kind === 'committed',
  C: (t) => t.kind === 'committed'
}

const live = (i: IssueRec): boolean => !i.deleted && !i.movedTo

/** One entry per id: the node, or the NOT_FOUND error GitHub puts beside a null. */
export function lookupNodes(c: GqlCtx, ids: string[]): (object | GqlError)[] {
  const w = c.world
  const parsed = ids.map(parseNodeId)
  const out: (object | GqlError | undefined)[] = parsed.map(() => undefined)
  const issueIds = new Map<number, number[]>()
  const itemIds = new Map<number, number[]>()
  parsed.forEach((p, k) => {
    if (!p) return
    if (p.prefix === 'I' || p.prefix === 'PR') issueIds.set(p.id, [...(issueIds.get(p.id) ?? []), k])
    else if (p.prefix in TIMELINE_PREFIX) itemIds.set(p.id, [...(itemIds.get(p.id) ?? []), k])
    else if (p.prefix === 'IC') {
      const t = w.commentsById.get(p.id)
      if (t && live(t.issue) && c.rest.canRead(t.issue.repo)) out[k] = itemNode(t)
    } else if (p.prefix === 'U' || p.prefix === 'BOT') {
      const a = actor(c, p.id)
      if (a && a.__typename === (p.prefix === 'U' ? 'User' : 'Bot')) out[k] = a
    } else if (p.prefix === 'R') {
      const r = w.reposById.get(p.id)
      if (r && c.rest.canRead(r)) out[k] = new RepoNode(r)
    } else if (p.prefix === 'O' && p.id === ORG_ID) out[k] = new OrgNode()
    else if (p.prefix === 'MI') {
      const r = w.reposById.get(Math.floor(p.id / 100))
      const n = p.id % 100
      if (r && c.rest.canRead(r) && n >= 1 && n <= r.milestones.length) out[k] = new MilestoneNode(r, n)
    }
  })
  if (issueIds.size || itemIds.size) {
    for (const r of w.repos) {
      if (!c.rest.canRead(r)) continue
      for (const i of r.list) {
        if (!live(i) || (!i.isPull && !r.hasIssues)) continue
        const at = issueIds.get(i.id)
        if (at) for (const k of at) if (parsed[k]!.prefix === (i.isPull ? 'PR' : 'I')) out[k] = new IssueNode(i)
        if (!itemIds.size) continue
        for (const t of i.timeline) {
          const hits = itemIds.get(t.id)
          if (!hits) continue
          for (const k of hits) {
            const prefix = parsed[k]!.prefix
            if (!TIMELINE_PREFIX[prefix](t)) continue
            out[k] = prefix === 'C' ? commitObject(sha('commit', t.id), i, t) : itemNode(t)
          }
        }
      }
    }
  }
  return out.map((n, k) => n ?? notFound(`Could not resolve to a node with the global id of '${ids[k]}'`))
}
