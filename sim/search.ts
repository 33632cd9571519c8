// GET /search/issues: the qualifiers the project uses, GitHub's date range
// syntax, sort/order, the 1,000-result cap and the index lag. GraphQL's
// `search` (graphql/search.ts) runs the same query through `searchHits`.
import type { IssueRec } from './model.js'
import { DOCS, HttpError, sec, validation, type Req, type Result } from './http.js'
import { linkHeader, pageNo, perPage, withParams } from './paginate.js'
import type { Ctx } from './render/common.js'
import { searchItem } from './render/issue.js'
import { indexedView } from './search-index.js'

type Pred = (i: IssueRec) => boolean
const DAY = 86_400_000

function invalid(q: string, why: string): HttpError {
  return validation('Validation Failed', `${DOCS}/search/search#search-issues-and-pull-requests`, [
    { message: why, resource: 'Search', field: 'q', code: 'invalid', value: q }
  ])
}

/** A date or date-time bound; `dateOnly` widens `<=`, `>` and exact matches to the whole day. */
function parseTime(s: string): { t: number; dateOnly: boolean } | null {
  if (/^\d{4}-\d{2}-\d{2}$/.test(s)) return { t: Date.parse(`${s}T00:00:00Z`), dateOnly: true }
  if (!/^\d{4}-\d{2}-\d{2}T/.test(s)) return null
  const t = Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(s) ? s : `${s}Z`)
  return Number.isNaN(t) ? null : { t, dateOnly: false }
}

/** `>x`, `>=x`, `<x`, `<=x`, `a..b`, `a..*`, `*..b`, or `x`. Returns a half-open [lo, hi) test on ms. */
export function parseRange(v: string): ((ms: number) => boolean) | null {
  const bound = (s: string): { t: number; dateOnly: boolean } | null | 'star' => (s === '*' ? 'star' : parseTime(s))
  const m = /^(>=|<=|>|<)(.+)$/.exec(v)
  if (m) {
    const b = parseTime(m[2])
    if (!b) return null
    const end = b.dateOnly ? b.t + DAY : b.t + 1000
    switch (m[1]) {
      case '>':
        return (x) => x >= end
      case '>=':
        return (x) => x >= b.t
      case '<':
        return (x) => x < b.t
      default:
        return (x) => x < end
    }
  }
  if (v.includes('..')) {
    const [a, z] = v.split('..')
    const lo = bound(a)
    const hi = bound(z)
    if (!lo || !hi) return null
    const loT = lo === 'star' ? -Infinity : lo.t
    const hiT = hi === 'star' ? Infinity : hi.dateOnly ? hi.t + DAY : hi.t + 1000
    return (x) => x >= loT && x < hiT
  }
  const b = parseTime(v)
  if (!b) return null
  const end = b.dateOnly ? b.t + DAY : b.t + 1000
  return (x) => x >= b.t && x < end
}

/** Tokens of q: `key:value` (quotes allowed) or free text. */
function tokens(q: string): string[] {
  return q.match(/(?:[^\s"]+|"[^"]*")+/g)?.map((t) => t.replace(/"/g, '')) ?? []
}

export type SortKey = 'created' | 'updated' | 'comments'

export interface Compiled {
  pred: Pred
  /** From a `sort:updated-asc` style qualifier, if any. */
  sort?: { key: SortKey; dir: 1 | -1 }
}

export function compile(ctx: Ctx, q: string): Compiled {
  const world = ctx.world
  const preds: Pred[] = []
  const text: string[] = []
  let sort: Compiled['sort']
  for (const tok of tokens(q)) {
    const at = tok.indexOf(':')
    if (at < 0) {
      text.push(tok.toLowerCase())
      continue
    }
    const key = tok.slice(0, at).toLowerCase()
    const val = tok.slice(at + 1)
    const lval = val.toLowerCase()
    switch (key) {
      case 'org':
      case 'user':
      case 'owner':
        preds.push(() => lval === world.org.toLowerCase())
        break
      case 'repo': {
        const [o, r] = val.split('/')
        preds.push(
          (i) => o?.toLowerCase() === world.org.toLowerCase() && i.repo.name.toLowerCase() === r?.toLowerCase()
        )
        break
      }
      case 'is':
      case 'type':
      case 'state':
        if (lval === 'issue') preds.push((i) => !i.isPull)
        else if (lval === 'pr' || lval === 'pull-request') preds.push((i) => i.isPull)
        else if (lval === 'open' || lval === 'closed') preds.push((i) => i.state === lval)
        else if (lval === 'merged') preds.push((i) => i.isPull && i.mergedAt > 0)
        else if (lval === 'unmerged') preds.push((i) => i.isPull && i.state === 'closed' && !i.mergedAt)
        else if (lval === 'locked') preds.push((i) => i.locked)
        else if (lval === 'draft') preds.push((i) => i.isPull && i.draft)
        else if (lval === 'public' || lval === 'private') preds.push((i) => i.repo.private === (lval === 'private'))
        else throw invalid(q, `The '${key}:${val}' qualifier is not supported by the simulator`)
        break
      case 'created':
      case 'updated':
      case 'closed':
      case 'merged': {
        const r = parseRange(val)
        if (!r) throw invalid(q, `Invalid date range '${val}' for '${key}'`)
        const get =
          key === 'created'
            ? (i: IssueRec) => i.createdAt
            : key === 'updated'
              ? (i: IssueRec) => i.updatedAt
              : key === 'closed'
                ? (i: IssueRec) => i.closedAt
                : (i: IssueRec) => i.mergedAt
        preds.push((i) => get(i) > 0 && r(sec(get(i))))
        break
      }
      case 'label':
        preds.push((i) => i.labels.includes(val))
        break
      case 'author':
        preds.push((i) => world.users.get(i.user)?.login === val)
        break
      case 'assignee':
        preds.push((i) => i.assignees.some((a) => world.users.get(a)?.login === val))
        break
      case 'in':
        break
      case 'sort': {
        // The web and GraphQL search syntax: sort:created, sort:updated-asc, sort:comments-desc …
        const m = /^(created|updated|comments)(?:-(asc|desc))?$/.exec(lval)
        if (!m) throw invalid(q, `The sort '${val}' is not supported by the simulator`)
        sort = { key: m[1] as SortKey, dir: m[2] === 'asc' ? 1 : -1 }
        break
      }
      default:
        throw invalid(q, `The '${key}' qualifier is not supported by the simulator`)
    }
  }
  preds.push((i) => text.every((t) => i.title.toLowerCase().includes(t)))
  return { pred: (i) => preds.every((p) => p(i)), sort }
}

/**
 * Every issue matching `q` that the token may read, as the search index has
 * it (see search-index.ts), sorted: by the `sort` given, else by a `sort:`
 * qualifier, else newest first.
 */
export function searchHits(ctx: Ctx, q: string, sort?: { key: SortKey | null; dir: 1 | -1 }): IssueRec[] {
  const c = compile(ctx, q)
  const world = ctx.world
  const lagging = world.searchPending.size > 0
  const hits: IssueRec[] = []
  for (const r of world.repos) {
    if (!ctx.canRead(r)) continue
    for (const rec of r.list) {
      const i = lagging ? indexedView(world, rec) : rec
      // Issues of a repository with issues turned off are not found (its pull requests are).
      if (i && !i.deleted && !i.movedTo && (r.hasIssues || i.isPull) && c.pred(i)) hits.push(i)
    }
  }
  const by = sort?.key ? sort : (c.sort ?? { key: 'created' as SortKey, dir: sort?.dir ?? (-1 as const) })
  const key =
    by.key === 'updated'
      ? (i: IssueRec) => sec(i.updatedAt)
      : by.key === 'comments'
        ? (i: IssueRec) => i.comments
        : (i: IssueRec) => sec(i.createdAt)
  hits.sort((a, b) => by.dir * (key(a) - key(b) || a.id - b.id))
  return hits
}

export function searchIssues(req: Req): Result {
  const q = req.q.get('q')
  if (!q)
    throw validation('Validation Failed', `${DOCS}/search/search#search-issues-and-pull-requests`, [
      { resource: 'Search', field: 'q', code: 'missing' }
    ])
  const n = perPage(req.q)
  const page = pageNo(req.q)
  if ((page - 1) * n >= 1000) {
    throw new HttpError(422, {
      message: 'Only the first 1000 search results are available',
      documentation_url: `${DOCS}/search/search`,
      status: '422'
    })
  }
  const sort = req.q.get('sort')
  const order = req.q.get('order')
  const hits = searchHits(req.ctx, q, {
    key: sort === 'updated' || sort === 'comments' || sort === 'created' ? sort : null,
    dir: (order ?? 'desc') === 'asc' ? 1 : -1
  })
  const reachable = Math.min(hits.length, 1000)
  const last = Math.max(1, Math.ceil(reachable / n))
  const links: [string, string][] = []
  const at = (p: number): string => withParams(req.url, { page: String(p) })
  if (page > 1) links.push(['prev', at(Math.min(page - 1, last))])
  if (page < last) links.push(['next', at(page + 1)], ['last', at(last)])
  if (page > 1) links.push(['first', at(1)])
  const start = (page - 1) * n
  const items = hits.slice(start, Math.min(start + n, reachable)).map((i) => searchItem(req.ctx, i))
  const link = linkHeader(links)
  return {
    status: 200,
    body: { total_count: hits.length, incomplete_results: req.incomplete(), items, search_type: 'lexical' },
    headers: link ? { link } : {}
  }
}
