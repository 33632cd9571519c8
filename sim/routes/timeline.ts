// /issues/{n}/timeline, /issues/{n}/events, /issues/{n}/comments and the
// repo-wide /issues/events (a capped recent feed) and /issues/comments.
import { EVENT_KINDS, type Item, type RepoRec } from '../model.js'
import { direction, issueAt, sec, sinceParam, type Req, type Result } from '../http.js'
import { pageNo, paginate, perPage } from '../paginate.js'
import { comment, issueEvent, repoEvent, timelineItem } from '../render/timeline.js'

function pageOf(req: Req, items: Item[], render: (t: Item) => unknown): Result {
  const { page, link } = paginate(items, { url: req.url, perPage: perPage(req.q), page: pageNo(req.q) })
  return { status: 200, body: page.map(render), headers: link ? { link } : {} }
}

export function timeline(req: Req, repo: RepoRec): Result {
  const i = issueAt(req, repo, req.params.issue_number)
  return pageOf(req, i.timeline, (t) => timelineItem(req.ctx, t))
}

export function issueEvents(req: Req, repo: RepoRec): Result {
  const i = issueAt(req, repo, req.params.issue_number)
  return pageOf(
    req,
    i.timeline.filter((t) => EVENT_KINDS.has(t.kind)),
    (t) => issueEvent(req.ctx, t)
  )
}

export function issueComments(req: Req, repo: RepoRec): Result {
  const i = issueAt(req, repo, req.params.issue_number)
  const since = sinceParam(req.q)
  const items = i.timeline.filter((t) => t.kind === 'commented' && (since === null || sec(t.updatedAt) >= since))
  return pageOf(req, items, (t) => comment(req.ctx, t))
}

/** GitHub keeps only recent events here: newest first, capped in count and age. */
export function repoEvents(req: Req, repo: RepoRec): Result {
  const { eventsFeedCap, eventsFeedDays } = req.ctx.world.config
  const oldest = req.ctx.world.nowMs() - eventsFeedDays * 86_400_000
  const all: Item[] = []
  for (const i of repo.list) {
    if (i.deleted) continue
    for (const t of i.timeline) if (EVENT_KINDS.has(t.kind) && t.at >= oldest) all.push(t)
  }
  all.sort((a, b) => b.at - a.at || b.id - a.id)
  return pageOf(req, all.slice(0, eventsFeedCap), (t) => repoEvent(req.ctx, t))
}

export function repoComments(req: Req, repo: RepoRec): Result {
  const since = sinceParam(req.q)
  const sort = req.q.get('sort') ?? 'created'
  const dir = direction(req.q, 'asc')
  const all: Item[] = []
  for (const i of repo.list) {
    if (i.deleted) continue
    for (const t of i.timeline) if (t.kind === 'commented' && (since === null || sec(t.updatedAt) >= since)) all.push(t)
  }
  const key = sort === 'updated' ? (t: Item) => t.updatedAt : (t: Item) => t.at
  all.sort((a, b) => dir * (key(a) - key(b) || a.id - b.id))
  return pageOf(req, all, (t) => comment(req.ctx, t))
}
