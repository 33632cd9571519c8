// Primary rate limits per principal and bucket, plus injected secondary limits
// and GraphQL's per-minute secondary limit. Windows run on the real clock (not
// the world clock) because clients such as @octokit/plugin-throttling compare
// `x-ratelimit-reset` with Date.now(); tests that exhaust a budget call
// `limits.reset()` instead of waiting.
//
// Buckets are keyed by principal, not by token: GitHub counts an App's
// requests per installation, a PAT's per user and GITHUB_TOKEN's per
// repository (github/docs rate-limits-for-the-rest-api.md; GraphQL:
// rate-limits-and-query-limits-for-the-graphql-api.md), so a freshly minted
// token does not bring a fresh budget. Tokens given in `SimOptions.tokens`
// are their own principal unless their spec names one.
import type { Bucket } from './log.js'

export type TokenKind = 'app' | 'pat' | 'github_token' | 'anonymous'

export interface BucketState {
  limit: number
  used: number
  remaining: number
  /** Epoch seconds when the window resets. */
  reset: number
}

export interface Budget {
  /** Core REST requests an hour (default 5000). */
  core: number
  /** Search requests a minute (default 30). */
  search: number
  /** GraphQL points an hour (default 5000; GITHUB_TOKEN at most 1000). */
  graphql: number
  /** GraphQL secondary points a minute (default 2000; one per query without mutations). */
  graphqlPerMinute: number
}

const WINDOW_MS: Record<Bucket, number> = { core: 3_600_000, search: 60_000, graphql: 3_600_000 }

interface Window {
  used: number
  resetAt: number
}

export class RateLimits {
  private budget: Budget
  private windows = new Map<string, Window>()
  private minute = new Map<string, Window>()
  private exhausted = new Set<string>()
  private secondaryQueue: { remaining: number; retryAfter: number | null; status: 403 | 429 } | null = null
  /** Status of a spent primary limit: GitHub answers 403 (older) or 429. */
  primaryStatus: 403 | 429 = 403
  /** Maps a token to its principal (set by startSim from its Tokens). */
  principalOf: (token: string) => string = (t) => t

  constructor(budget: Partial<Budget> = {}) {
    this.budget = {
      core: budget.core ?? 5000,
      search: budget.search ?? 30,
      graphql: budget.graphql ?? 5000,
      graphqlPerMinute: budget.graphqlPerMinute ?? 2000
    }
  }

  setBudget(b: Partial<Budget>): void {
    Object.assign(this.budget, Object.fromEntries(Object.entries(b).filter(([, v]) => v !== undefined)))
  }
  /** Fresh windows for every principal, exhaustion and secondary limits cleared. */
  reset(): void {
    this.windows.clear()
    this.minute.clear()
    this.exhausted.clear()
    this.secondaryQueue = null
    this.resetAt = null
  }
  /**
   * Spend a bucket entirely (for all tokens, or for the principal of one).
   * With `resetInSeconds`, the bucket's window ends that soon (its
   * `x-ratelimit-reset`); the exhaustion lasts until `reset()` either way.
   */
  exhaust(bucket: Bucket, token?: string, opts: { resetInSeconds?: number } = {}): void {
    this.exhausted.add(token === undefined ? `*|${bucket}` : `${this.principalOf(token)}|${bucket}`)
    if (opts.resetInSeconds !== undefined) this.resetAt = { bucket, at: Date.now() + opts.resetInSeconds * 1000 }
  }
  /** When an exhausted bucket's window is said to reset, if `exhaust` was given one. */
  private resetAt: { bucket: Bucket; at: number } | null = null
  /** The next `n` requests answer a secondary limit with `retry-after: retryAfterSec` (null: without the header). */
  secondary(n: number, retryAfterSec: number | null, status: 403 | 429 = 403): void {
    this.secondaryQueue = { remaining: n, retryAfter: retryAfterSec, status }
  }
  setPrimaryStatus(status: 403 | 429): void {
    this.primaryStatus = status
  }

  limitFor(kind: TokenKind, bucket: Bucket): number {
    if (kind === 'anonymous') return bucket === 'core' ? 60 : bucket === 'search' ? 10 : 0
    if (bucket === 'search') return this.budget.search
    // GITHUB_TOKEN gets 1,000 requests (or GraphQL points) an hour per repository.
    const limit = bucket === 'core' ? this.budget.core : this.budget.graphql
    return kind === 'github_token' ? Math.min(1000, limit) : limit
  }

  /** The bucket of `principal` (see Tokens.principal). */
  state(principal: string, kind: TokenKind, bucket: Bucket): BucketState {
    const w = this.window(this.windows, principal, bucket, WINDOW_MS[bucket])
    const limit = this.limitFor(kind, bucket)
    const spent = this.exhausted.has(`*|${bucket}`) || this.exhausted.has(`${principal}|${bucket}`)
    const used = spent ? limit : Math.min(w.used, limit)
    const resetAt = spent && this.resetAt?.bucket === bucket ? this.resetAt.at : w.resetAt
    return { limit, used, remaining: limit - used, reset: Math.ceil(resetAt / 1000) }
  }
  /** Counts `n` billable units (requests, or GraphQL points). */
  spend(principal: string, bucket: Bucket, n = 1): void {
    this.window(this.windows, principal, bucket, WINDOW_MS[bucket]).used += n
  }
  takeSecondary(): { retryAfter: number | null; status: 403 | 429 } | null {
    const q = this.secondaryQueue
    if (!q || q.remaining <= 0) return null
    q.remaining--
    return { retryAfter: q.retryAfter, status: q.status }
  }
  /**
   * GraphQL's secondary limit: 2,000 points a minute, where a query without
   * mutations is one point (github/docs
   * data/reusables/rest-api/secondary-rate-limit-rest-graphql.md). Returns the
   * seconds to wait when this query is over the limit, else counts it.
   */
  takeGraphqlMinute(principal: string): number | null {
    const w = this.window(this.minute, principal, 'graphql', 60_000)
    if (w.used >= this.budget.graphqlPerMinute) return Math.max(1, Math.ceil((w.resetAt - Date.now()) / 1000))
    w.used++
    return null
  }

  private window(map: Map<string, Window>, principal: string, bucket: Bucket, ms: number): Window {
    const key = `${principal}|${bucket}`
    const now = Date.now()
    let w = map.get(key)
    if (!w || now >= w.resetAt) {
      w = { used: 0, resetAt: now + ms }
      map.set(key, w)
    }
    return w
  }
}
