// Faults on demand: the Nth matching request, or a seeded random rate.
import { mulberry32, type Rand } from './prng.js'

export type Fault =
  /** `echo-auth`: a JSON error whose message quotes the request's Authorization header (a careless proxy's). */
  | { status: 500 | 502 | 503; body?: 'html' | 'json' | 'echo-auth' }
  | { reset: true }
  | { stall: number }
  | { malformedJson: true }
  /** A secondary rate limit with `retry-after: N`, or (null) without the header. */
  | { secondaryLimit: number | null }
  /** Not a failure: runs `run` (e.g. a world mutation) just before the request is answered normally. */
  | { run: () => void }

export interface FaultMatch {
  route?: string
  method?: string
  path?: RegExp
}

interface NthRule {
  match: FaultMatch
  remaining: number
  fault: Fault
}

export function faultName(f: Fault): string {
  if ('status' in f) return `status:${f.status}`
  if ('reset' in f) return 'reset'
  if ('stall' in f) return `stall:${f.stall}`
  if ('malformedJson' in f) return 'malformedJson'
  if ('run' in f) return 'run'
  return `secondaryLimit:${f.secondaryLimit}`
}

export class Faults {
  private nth: NthRule[] = []
  private rate: { rate: number; rand: Rand; faults: Fault[]; match: FaultMatch } | null = null
  private incomplete = 0

  /** The n-th (1-based) request matching `match` from now on gets `fault`. */
  failNth(match: FaultMatch, n: number, fault: Fault): this {
    this.nth.push({ match, remaining: n, fault })
    return this
  }
  /**
   * Just before the n-th (1-based) request matching `match` from now on is
   * answered, runs `action` (a world mutation): GitHub changing while a
   * client walks its pages, e.g. a repository deleted between page 1 and
   * page 2 of a listing. The request is then answered normally.
   */
  onNth(match: FaultMatch, n: number, action: () => void): this {
    return this.failNth(match, n, { run: action })
  }
  /** Each request (optionally only matching ones) fails with probability `rate`, reproducibly from `seed`. */
  failRate(rate: number, seed: number, faults: Fault[], match: FaultMatch = {}): this {
    this.rate = { rate, rand: mulberry32(seed), faults, match }
    return this
  }
  /** The next `times` search answers report `incomplete_results: true` (as on a search timeout). */
  incompleteResults(times = 1): this {
    this.incomplete = times
    return this
  }
  clear(): void {
    this.nth = []
    this.rate = null
    this.incomplete = 0
  }

  /** Called by the server once per request; returns the fault to inject, if any. */
  pick(req: { method: string; path: string; route: string | null }): Fault | null {
    let hit: Fault | null = null
    for (const rule of this.nth) {
      if (!matches(rule.match, req)) continue
      rule.remaining--
      if (rule.remaining === 0 && !hit) hit = rule.fault
    }
    this.nth = this.nth.filter((r) => r.remaining > 0)
    if (hit) return hit
    if (this.rate && matches(this.rate.match, req)) {
      const roll = this.rate.rand()
      const which = this.rate.rand()
      if (roll < this.rate.rate) return this.rate.faults[Math.floor(which * this.rate.faults.length)]
    }
    return null
  }
  takeIncomplete(): boolean {
    if (this.incomplete <= 0) return false
    this.incomplete--
    return true
  }
}

function matches(m: FaultMatch, req: { method: string; path: string; route: string | null }): boolean {
  if (m.method && m.method !== req.method) return false
  if (m.route && m.route !== req.route) return false
  if (m.path && !m.path.test(req.path)) return false
  return true
}
