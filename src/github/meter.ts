/** What the last response said about one rate-limit bucket. */
export interface BucketState {
  limit: number
  remaining: number
  used: number
  /** When the bucket refills (epoch seconds). */
  reset: number
}

/** What a stretch of work cost, per bucket. */
export interface Usage {
  /** REST requests GitHub charged (everything but 304s), core and search together. */
  billable: number
  /** Of those, requests charged to the core bucket. */
  core: number
  /** Of those, requests charged to the search bucket (30 a minute). */
  search: number
  /** GraphQL requests sent (charged by points, not by request). */
  graphqlRequests: number
  /** GraphQL points charged (each query's `rateLimit.cost`). */
  points: number
  /** Conditional REST requests answered 304, which the primary limit does not charge. */
  notModified: number
  /** Transport failures (reset connections, time-outs) that got no answer. */
  failed: number
}

/**
 * Counts every HTTP request sent to GitHub, retries included, per rate-limit
 * bucket (GitHub names it in `x-ratelimit-resource`: core, search, graphql):
 * REST requests charged (everything but 304), conditional ones answered 304,
 * GraphQL requests and the points their queries cost. Also keeps the latest
 * rate-limit headers per bucket, so long tasks can stop before spending the
 * reserve of the bucket they spend from.
 */
export class RequestMeter {
  private readonly usage: Usage = {
    billable: 0,
    core: 0,
    search: 0,
    graphqlRequests: 0,
    points: 0,
    notModified: 0,
    failed: 0
  }
  readonly buckets = new Map<string, BucketState>()

  /** REST requests charged (core and search). */
  get billable(): number {
    return this.usage.billable
  }

  get notModified(): number {
    return this.usage.notModified
  }

  get failed(): number {
    return this.usage.failed
  }

  /** GraphQL points charged. */
  get points(): number {
    return this.usage.points
  }

  /**
   * Records one HTTP answer. `graphql` marks a POST to the GraphQL endpoint;
   * `free` a request GitHub does not charge (`GET /rate_limit`: "does not
   * count against your primary rate limit", github/docs).
   */
  record(status: number, headers: Headers, graphql = false, free = false): void {
    const resource = headers.get('x-ratelimit-resource') ?? (graphql ? 'graphql' : 'core')
    if (free) {
      // counted nowhere
    } else if (graphql || resource === 'graphql') this.usage.graphqlRequests++
    else if (status === 304) this.usage.notModified++
    else {
      this.usage.billable++
      if (resource === 'search') this.usage.search++
      else this.usage.core++
    }
    const remaining = headers.get('x-ratelimit-remaining')
    if (remaining !== null) {
      this.buckets.set(resource, {
        limit: Number(headers.get('x-ratelimit-limit') ?? 0),
        remaining: Number(remaining),
        used: Number(headers.get('x-ratelimit-used') ?? 0),
        reset: Number(headers.get('x-ratelimit-reset') ?? 0)
      })
    }
  }

  /** Records the points a GraphQL query cost (its `rateLimit { cost }`), and what is left of the bucket. */
  recordPoints(cost: number, remaining?: number): void {
    this.usage.points += cost
    if (remaining !== undefined) {
      const known = this.buckets.get('graphql')
      this.buckets.set('graphql', {
        limit: known?.limit ?? 0,
        used: known?.used ?? 0,
        reset: known?.reset ?? 0,
        remaining
      })
    }
  }

  recordFailure(): void {
    this.usage.failed++
  }

  /** Sets what is left of buckets from a `GET /rate_limit` answer's `resources`. */
  recordLimits(resources: Record<string, { limit: number; remaining: number; used: number; reset: number }>): void {
    for (const [bucket, b] of Object.entries(resources)) {
      if (b && typeof b.remaining === 'number') this.buckets.set(bucket, { ...b })
    }
  }

  /** Requests (or, for graphql, points) left in a bucket, as of the latest response (Infinity before any). */
  remaining(bucket = 'core'): number {
    return this.buckets.get(bucket)?.remaining ?? Number.POSITIVE_INFINITY
  }

  snapshot(): Usage {
    return { ...this.usage }
  }
}

/** What was spent between two snapshots. */
export function usageSince(before: Usage, after: Usage): Usage {
  return {
    billable: after.billable - before.billable,
    core: after.core - before.core,
    search: after.search - before.search,
    graphqlRequests: after.graphqlRequests - before.graphqlRequests,
    points: after.points - before.points,
    notModified: after.notModified - before.notModified,
    failed: after.failed - before.failed
  }
}
