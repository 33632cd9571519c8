/** What the last response said about one rate-limit bucket. */
export interface BucketState {
  limit: number
  remaining: number
  used: number
  /** When the bucket refills (epoch seconds). */
  reset: number
}

/**
 * Counts every HTTP request sent to GitHub, retries included: billable ones
 * (everything but 304) and conditional ones answered 304, which the primary
 * rate limit does not charge. Also keeps the latest rate-limit headers per
 * bucket, so long tasks can stop before spending the reserve.
 */
export class RequestMeter {
  billable = 0
  notModified = 0
  /** Transport failures (reset connections, time-outs) that got no answer. */
  failed = 0
  readonly buckets = new Map<string, BucketState>()

  record(status: number, headers: Headers): void {
    if (status === 304) this.notModified++
    else this.billable++
    const resource = headers.get('x-ratelimit-resource') ?? 'core'
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

  recordFailure(): void {
    this.failed++
  }

  /** Core requests left, as of the latest response (Infinity before any). */
  remaining(bucket = 'core'): number {
    return this.buckets.get(bucket)?.remaining ?? Number.POSITIVE_INFINITY
  }

  snapshot(): { billable: number; notModified: number; failed: number } {
    return { billable: this.billable, notModified: this.notModified, failed: this.failed }
  }
}
