// Primary rate limits per token and bucket, plus injected secondary limits.
// Windows run on the real clock (not the world clock) because clients such
// as @octokit/plugin-throttling compare `x-ratelimit-reset` with Date.now();
// tests that exhaust a budget call `limits.reset()` instead of waiting.
import type { Bucket } from './log.js'

export type TokenKind = 'app' | 'pat' | 'github_token' | 'anonymous'

export interface BucketState {
  limit: number
  used: number
  remaining: number
  /** Epoch seconds when the window resets. */
  reset: number
}

const WINDOW_MS: Record<Bucket, number> = { core: 3_600_000, search: 60_000 }

interface Window {
  used: number
  resetAt: number
}

export class RateLimits {
  private budget: { core: number; search: number }
  private windows = new Map<string, Window>()
  private exhausted = new Set<string>()
  private secondaryQueue: { remaining: number; retryAfter: number; status: 403 | 429 } | null = null
  /** Status of a spent primary limit: GitHub answers 403 (older) or 429. */
  primaryStatus: 403 | 429 = 403

  constructor(budget: { core?: number; search?: number } = {}) {
    this.budget = { core: budget.core ?? 5000, search: budget.search ?? 30 }
  }

  setBudget(b: { core?: number; search?: number }): void {
    if (b.core !== undefined) this.budget.core = b.core
    if (b.search !== undefined) this.budget.search = b.search
  }
  /** Fresh windows for every token, exhaustion and secondary limits cleared. */
  reset(): void {
    this.windows.clear()
    this.exhausted.clear()
    this.secondaryQueue = null
  }
  /** Spend a bucket entirely (for all tokens, or one). */
  exhaust(bucket: Bucket, token?: string): void {
    this.exhausted.add(token === undefined ? `*|${bucket}` : `${token}|${bucket}`)
  }
  /** The next `n` requests answer a secondary limit with `retry-after: retryAfterSec`. */
  secondary(n: number, retryAfterSec: number, status: 403 | 429 = 403): void {
    this.secondaryQueue = { remaining: n, retryAfter: retryAfterSec, status }
  }
  setPrimaryStatus(status: 403 | 429): void {
    this.primaryStatus = status
  }

  limitFor(kind: TokenKind, bucket: Bucket): number {
    if (kind === 'anonymous') return bucket === 'core' ? 60 : 10
    if (bucket === 'search') return this.budget.search
    // GITHUB_TOKEN gets 1,000 requests an hour per repository.
    return kind === 'github_token' ? Math.min(1000, this.budget.core) : this.budget.core
  }

  state(token: string, kind: TokenKind, bucket: Bucket): BucketState {
    const w = this.window(token, bucket)
    const limit = this.limitFor(kind, bucket)
    const spent = this.exhausted.has(`*|${bucket}`) || this.exhausted.has(`${token}|${bucket}`)
    const used = spent ? limit : Math.min(w.used, limit)
    return { limit, used, remaining: limit - used, reset: Math.ceil(w.resetAt / 1000) }
  }
  /** Counts one billable request. */
  spend(token: string, bucket: Bucket): void {
    this.window(token, bucket).used++
  }
  takeSecondary(): { retryAfter: number; status: 403 | 429 } | null {
    const q = this.secondaryQueue
    if (!q || q.remaining <= 0) return null
    q.remaining--
    return { retryAfter: q.retryAfter, status: q.status }
  }

  private window(token: string, bucket: Bucket): Window {
    const key = `${token}|${bucket}`
    const now = Date.now()
    let w = this.windows.get(key)
    if (!w || now >= w.resetAt) {
      w = { used: 0, resetAt: now + WINDOW_MS[bucket] }
      this.windows.set(key, w)
    }
    return w
  }
}
