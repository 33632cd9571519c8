// Every request the simulator answered, for assertions such as
// "this run cost 3 billable requests" or "5 billable units".
export type Bucket = 'core' | 'search' | 'graphql'

export interface LogEntry {
  method: string
  /** Path without the query string. */
  path: string
  /** Query string without `?` ('' when none). */
  query: string
  /** Route template, e.g. '/repos/{owner}/{repo}/issues'; null when no route matched. */
  route: string | null
  /** 0 when the connection was reset instead of answered. */
  status: number
  /** Counted against a primary rate-limit bucket (see sim/README.md). */
  billable: boolean
  bucket: Bucket | null
  notModified: boolean
  /** GraphQL only: the points this request took from the graphql bucket (0 when unbilled). */
  points?: number
  /** How the 304 was earned: a matching ETag or an unchanged Last-Modified. */
  conditional?: 'etag' | 'last-modified'
  token?: string
  /** Name of the injected fault, if any. */
  fault?: string
}

export type LogFilter = Partial<Pick<LogEntry, 'method' | 'route' | 'status' | 'bucket' | 'token'>> & {
  path?: RegExp | string
}

function matches(e: LogEntry, f: LogFilter = {}): boolean {
  if (f.method !== undefined && f.method !== e.method) return false
  if (f.route !== undefined && f.route !== e.route) return false
  if (f.status !== undefined && f.status !== e.status) return false
  if (f.bucket !== undefined && f.bucket !== e.bucket) return false
  if (f.token !== undefined && f.token !== e.token) return false
  if (f.path instanceof RegExp && !f.path.test(e.path)) return false
  if (typeof f.path === 'string' && f.path !== e.path) return false
  return true
}

export class RequestLog {
  entries: LogEntry[] = []

  add(e: LogEntry): void {
    this.entries.push(e)
  }
  reset(): void {
    this.entries = []
  }
  count(filter?: LogFilter): number {
    return this.entries.filter((e) => matches(e, filter)).length
  }
  billable(filter?: LogFilter): number {
    return this.entries.filter((e) => e.billable && matches(e, filter)).length
  }
  notModified(filter?: LogFilter): number {
    return this.entries.filter((e) => e.notModified && matches(e, filter)).length
  }
  /** GraphQL points spent (the graphql bucket; each query costs at least 1 when billed). */
  points(filter?: LogFilter): number {
    let n = 0
    for (const e of this.entries) if (e.billable && e.bucket === 'graphql' && matches(e, filter)) n += e.points ?? 0
    return n
  }
  /**
   * Billable units, the measure DESIGN.md budgets: billable core and search
   * requests plus GraphQL points (a GraphQL request counts by its points, not as one request).
   */
  units(filter?: LogFilter): number {
    let n = 0
    for (const e of this.entries) {
      if (!e.billable || !matches(e, filter)) continue
      n += e.bucket === 'graphql' ? (e.points ?? 0) : 1
    }
    return n
  }
  byRoute(): Record<string, { total: number; billable: number; notModified: number }> {
    const out: Record<string, { total: number; billable: number; notModified: number }> = {}
    for (const e of this.entries) {
      const k = e.route ?? '(unmatched)'
      const r = (out[k] ??= { total: 0, billable: 0, notModified: 0 })
      r.total++
      if (e.billable) r.billable++
      if (e.notModified) r.notModified++
    }
    return out
  }
}
