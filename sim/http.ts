// Request/response types shared by the router and the route handlers, and
// the lookups that turn URL parts into records (with GitHub's 301/404/410).
import type { IssueRec, RepoRec } from './model.js'
import type { Ctx } from './render/common.js'

export const DOCS = 'https://docs.github.com/rest'

export interface Req {
  url: URL
  q: URLSearchParams
  params: Record<string, string>
  ctx: Ctx
  /** Path after the repo prefix (e.g. '/issues/5/timeline'); used to build redirects. */
  suffix: string
  canReadMembers: boolean
  incomplete: () => boolean
}

export interface Result {
  status: number
  body?: unknown
  headers?: Record<string, string>
  /**
   * Single resources only: when the resource last changed (ms), sent as
   * `Last-Modified` and compared with `If-Modified-Since`. Lists carry none.
   */
  lastModified?: number
}

export class HttpError extends Error {
  constructor(
    public status: number,
    public body: unknown,
    public headers: Record<string, string> = {}
  ) {
    super(
      typeof body === 'object' && body && 'message' in body
        ? String((body as { message: unknown }).message)
        : `HTTP ${status}`
    )
  }
}

export function notFound(doc = DOCS): HttpError {
  return new HttpError(404, { message: 'Not Found', documentation_url: doc, status: '404' })
}

export function validation(message: string, doc = DOCS, errors?: unknown[]): HttpError {
  return new HttpError(422, { message, ...(errors ? { errors } : {}), documentation_url: doc, status: '422' })
}

export function moved(location: string, doc = DOCS): HttpError {
  return new HttpError(301, { message: 'Moved Permanently', url: location, documentation_url: doc }, { location })
}

/** The issue at `n`, following GitHub for transferred (301 / 404) and deleted (410) issues. */
export function issueAt(req: Req, repo: RepoRec, n: string, opts: { pullOnly?: boolean } = {}): IssueRec {
  const i = repo.issues.get(Number(n))
  if (!i) throw notFound()
  if (i.deleted) throw new HttpError(410, { message: 'This issue was deleted', documentation_url: DOCS, status: '410' })
  if (opts.pullOnly && !i.isPull) throw notFound()
  if (i.movedTo) {
    const to = req.ctx.world.resolve(i)
    if (to.deleted)
      throw new HttpError(410, { message: 'This issue was deleted', documentation_url: DOCS, status: '410' })
    if (!req.ctx.canRead(to.repo)) throw notFound()
    const rest = req.suffix.replace(/^\/issues\/\d+/, '')
    const base =
      req.ctx.world.config.transferRedirect === 'repositories'
        ? `${req.ctx.api}/repositories/${to.repo.id}`
        : `${req.ctx.api}/repos/${req.ctx.world.org}/${to.repo.name}`
    throw moved(`${base}/issues/${to.number}${rest}${req.url.search}`, `${DOCS}/issues/issues#get-an-issue`)
  }
  return i
}

/** Parses an ISO-8601 `since`; GitHub answers 422 for unparsable values. */
export function sinceParam(q: URLSearchParams): number | null {
  const s = q.get('since')
  if (s === null) return null
  const t = Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(s) || !s.includes('T') ? s : `${s}Z`)
  if (Number.isNaN(t)) throw validation(`Invalid value for \`since\`: '${s}'`)
  return t
}

/** Seconds-precision time, as GitHub renders and compares timestamps. */
export const sec = (ms: number): number => Math.floor(ms / 1000) * 1000

export function direction(q: URLSearchParams, dflt: 'asc' | 'desc'): 1 | -1 {
  const d = q.get('direction') ?? dflt
  return d === 'asc' ? 1 : -1
}
