// /repos/{o}/{r}/issues (page numbers, then cursors), /issues/{n},
// /pulls, /pulls/{n}, /pulls/{n}/reviews.
import type { IssueRec, RepoRec } from '../model.js'
import { DOCS, direction, issueAt, sec, sinceParam, validation, type Req, type Result } from '../http.js'
import { decodeCursor, encodeCursor, linkHeader, pageNo, paginate, perPage, withParams } from '../paginate.js'
import { issue, pull, pullSimple } from '../render/issue.js'
import { review } from '../render/timeline.js'

const live = (i: IssueRec): boolean => !i.deleted && !i.movedTo

function stateFilter(q: URLSearchParams): (i: IssueRec) => boolean {
  const s = q.get('state') ?? 'open'
  if (s === 'all') return () => true
  if (s === 'open' || s === 'closed') return (i) => i.state === s
  throw validation('Validation Failed', DOCS, [{ resource: 'Issue', field: 'state', code: 'invalid' }])
}

export function listIssues(req: Req, repo: RepoRec): Result {
  const q = req.q
  const state = stateFilter(q)
  const since = sinceParam(q)
  const labels =
    q
      .get('labels')
      ?.split(',')
      .map((l) => l.trim())
      .filter(Boolean) ?? []
  const creator = q.get('creator')
  const sort = q.get('sort') ?? 'created'
  const dir = direction(q, 'desc')
  const key =
    sort === 'updated'
      ? (i: IssueRec) => sec(i.updatedAt)
      : sort === 'comments'
        ? (i: IssueRec) => i.comments
        : (i: IssueRec) => sec(i.createdAt)
  const items = repo.list.filter(
    (i) =>
      live(i) &&
      state(i) &&
      (since === null || sec(i.updatedAt) >= since) &&
      labels.every((l) => i.labels.includes(l)) &&
      (!creator || req.ctx.world.users.get(i.user)?.login === creator)
  )
  const cmp = (a: { key: number; number: number }, b: { key: number; number: number }): number =>
    dir * (a.key - b.key || a.number - b.number)
  const keyed = items.map((i) => ({ key: key(i), number: i.number, i }))
  keyed.sort(cmp)
  const n = perPage(q)
  const cursorOf = (k: { key: number; number: number }): string => encodeCursor(k.key, k.number)
  const after = q.get('after')
  const before = q.get('before')
  if (after !== null || before !== null) {
    // Cursor mode: what GitHub's own `Link` URLs use once page numbers get deep.
    const c = decodeCursor(after ?? before ?? '')
    if (!c) throw validation('Invalid cursor', `${DOCS}/issues/issues#list-repository-issues`)
    let slice: typeof keyed
    let hasMore: boolean
    let hasPrev: boolean
    if (after !== null) {
      const from = keyed.findIndex((k) => cmp(k, c) > 0)
      const start = from < 0 ? keyed.length : from
      slice = keyed.slice(start, start + n)
      hasMore = start + n < keyed.length
      hasPrev = start > 0
    } else {
      const upto = keyed.findIndex((k) => cmp(k, c) >= 0)
      const end = upto < 0 ? keyed.length : upto
      const start = Math.max(0, end - n)
      slice = keyed.slice(start, end)
      hasMore = end < keyed.length
      hasPrev = start > 0
    }
    const links: [string, string][] = []
    if (hasPrev && slice.length)
      links.push(['prev', withParams(req.url, { page: null, after: null, before: cursorOf(slice[0]) })])
    if (hasMore && slice.length)
      links.push(['next', withParams(req.url, { page: null, before: null, after: cursorOf(slice[slice.length - 1]) })])
    const body = slice.map((k) => issue(req.ctx, k.i))
    const link = linkHeader(links)
    return { status: 200, body, headers: link ? { link } : {} }
  }
  const page = pageNo(q)
  const maxPage = req.ctx.world.config.issuesMaxPage
  if (page > maxPage) {
    throw validation(
      'Pagination with the page parameter is not supported for large datasets, please use cursor based pagination (after/before)',
      `${DOCS}/issues/issues#list-repository-issues`
    )
  }
  const start = (page - 1) * n
  const slice = keyed.slice(start, start + n)
  const last = Math.max(1, Math.ceil(keyed.length / n))
  const links: [string, string][] = []
  const at = (p: number): string => withParams(req.url, { page: String(p) })
  if (page > 1) links.push(['prev', at(Math.min(page - 1, last))])
  if (page < last) {
    // Past the page-number limit the next link switches to a cursor, as GitHub's does.
    links.push([
      'next',
      page + 1 <= maxPage ? at(page + 1) : withParams(req.url, { page: null, after: cursorOf(slice[slice.length - 1]) })
    ])
    if (last <= maxPage) links.push(['last', at(last)])
  }
  if (page > 1) links.push(['first', at(1)])
  const link = linkHeader(links)
  return { status: 200, body: slice.map((k) => issue(req.ctx, k.i)), headers: link ? { link } : {} }
}

export function getIssue(req: Req, repo: RepoRec): Result {
  const i = issueAt(req, repo, req.params.issue_number)
  return { status: 200, body: issue(req.ctx, i), lastModified: i.updatedAt }
}

export function listPulls(req: Req, repo: RepoRec): Result {
  const q = req.q
  const state = stateFilter(q)
  const sort = q.get('sort') ?? 'created'
  const dir = direction(q, 'desc')
  const key =
    sort === 'updated'
      ? (i: IssueRec) => i.updatedAt
      : sort === 'popularity'
        ? (i: IssueRec) => i.comments
        : sort === 'long-running'
          ? (i: IssueRec) => -i.createdAt
          : (i: IssueRec) => i.createdAt
  const items = repo.list.filter((i) => i.isPull && live(i) && state(i))
  items.sort((a, b) => dir * (key(a) - key(b) || a.number - b.number))
  const { page, link } = paginate(items, { url: req.url, perPage: perPage(q), page: pageNo(q) })
  return { status: 200, body: page.map((i) => pullSimple(req.ctx, i)), headers: link ? { link } : {} }
}

export function getPull(req: Req, repo: RepoRec): Result {
  const i = issueAt(req, repo, req.params.pull_number, { pullOnly: true })
  return { status: 200, body: pull(req.ctx, i), lastModified: i.updatedAt }
}

export function listReviews(req: Req, repo: RepoRec): Result {
  const i = issueAt(req, repo, req.params.pull_number, { pullOnly: true })
  const reviews = i.timeline.filter((t) => t.kind === 'reviewed')
  const { page, link } = paginate(reviews, { url: req.url, perPage: perPage(req.q), page: pageNo(req.q) })
  return { status: 200, body: page.map((t) => review(req.ctx, t)), headers: link ? { link } : {} }
}
