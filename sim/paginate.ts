// Page-number pagination with GitHub's `Link` header, and the opaque
// cursors the issues list switches to for deep pages.
export interface PageRequest {
  /** Absolute URL of the request (origin from the Host header). */
  url: URL
  perPage: number
  page: number
}

export function perPage(q: URLSearchParams, dflt = 30): number {
  const n = Number(q.get('per_page') ?? dflt)
  if (!Number.isFinite(n) || n < 1) return dflt
  return Math.min(100, Math.floor(n))
}

export function pageNo(q: URLSearchParams): number {
  const n = Number(q.get('page') ?? 1)
  return Number.isFinite(n) && n >= 1 ? Math.floor(n) : 1
}

export function withParams(url: URL, set: Record<string, string | null>): string {
  const u = new URL(url.href)
  for (const [k, v] of Object.entries(set)) {
    if (v === null) u.searchParams.delete(k)
    else u.searchParams.set(k, v)
  }
  return u.href
}

export function linkHeader(links: [rel: string, href: string][]): string | undefined {
  if (links.length === 0) return undefined
  return links.map(([rel, href]) => `<${href}>; rel="${rel}"`).join(', ')
}

/** Slices `total` items into a page and builds prev/next/last/first links. */
export function pageLinks(req: PageRequest, total: number): { start: number; end: number; link?: string } {
  const last = Math.max(1, Math.ceil(total / req.perPage))
  const start = (req.page - 1) * req.perPage
  const end = Math.min(total, start + req.perPage)
  const links: [string, string][] = []
  const at = (p: number): string => withParams(req.url, { page: String(p) })
  if (req.page > 1) links.push(['prev', at(Math.min(req.page - 1, last))])
  if (req.page < last) links.push(['next', at(req.page + 1)], ['last', at(last)])
  if (req.page > 1) links.push(['first', at(1)])
  return { start, end, link: linkHeader(links) }
}

export function paginate<T>(items: T[], req: PageRequest): { page: T[]; link?: string } {
  const { start, end, link } = pageLinks(req, items.length)
  return { page: items.slice(start, Math.max(start, end)), link }
}

/** Opaque cursor: which sort key and number the page starts after. */
export function encodeCursor(key: number, number: number): string {
  return Buffer.from(`cursor:v2:${key}:${number}`).toString('base64url')
}
export function decodeCursor(s: string): { key: number; number: number } | null {
  const m = /^cursor:v2:(-?\d+):(\d+)$/.exec(Buffer.from(s, 'base64url').toString())
  return m ? { key: Number(m[1]), number: Number(m[2]) } : null
}
