// Who a token is: its kind, what it may read, and whose rate limit it
// spends. Tests and benchmarks mint a fresh token per simulated run, as an
// Actions runner gets one per job (a new GITHUB_TOKEN, or a new App
// installation token from actions/create-github-app-token), or reuse one
// fixed PAT. The difference matters because GitHub scopes ETags to the token
// (see etag.ts) but rate limits to the installation, user or repository.
import { mulberry32, type Rand } from './prng.js'
import type { TokenKind } from './limits.js'
import type { RepoRec } from './model.js'

export interface TokenSpec {
  kind: 'app' | 'pat' | 'github_token'
  /** For github_token: the repository names it can read. */
  repos?: string[]
  canReadMembers?: boolean
  /** The login `viewer` answers (PATs; default 'octocat'). */
  login?: string
  /**
   * Whose primary limits the token spends. Default: the token itself for
   * tokens given in `SimOptions.tokens`; for minted tokens the App
   * installation, the PAT's user, or the GITHUB_TOKEN's repository.
   */
  principal?: string
}

export type MintKind = TokenSpec['kind']

/** How `Sim.runToken()` hands out tokens: a new one per run (Actions) or one PAT kept across runs. */
export type RunTokens = 'fresh' | 'fixed'

export interface Caller {
  token: string
  kind: TokenKind
  /** Rate-limit key: installation, user or repository (see TokenSpec.principal). */
  principal: string
  canRead: (r: RepoRec) => boolean
  canReadMembers: boolean
  /** What `viewer { login }` answers. */
  login: string
}

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'

function chars(rand: Rand, n: number): string {
  let s = ''
  for (let k = 0; k < n; k++) s += BASE62[Math.floor(rand() * 62)]
  return s
}

/** Viewer login of an App installation token (GraphQL answers `<app>[bot]`, fullsend-ai/fullsend#1953). */
export const APP_LOGIN = 'contributor-metrics[bot]'
export const ACTIONS_LOGIN = 'github-actions[bot]'

export class Tokens {
  private minted = new Map<string, TokenSpec>()
  private rand: Rand
  private fixed: string | null = null

  constructor(
    private configured?: Record<string, TokenSpec>,
    private runMode: RunTokens = 'fresh',
    private runKind: MintKind = 'app',
    private runSpec: Omit<TokenSpec, 'kind'> = {},
    seed = 0x5eed
  ) {
    this.rand = mulberry32(seed)
  }

  /**
   * A new token of `kind`, with GitHub's prefixes: `ghs_` for installation
   * tokens (Apps and the Actions GITHUB_TOKEN alike), `ghp_` for classic PATs,
   * `github_pat_` for fine-grained PATs. Deterministic per simulator.
   */
  mint(kind: MintKind = 'app', spec: Omit<TokenSpec, 'kind'> & { fineGrained?: boolean } = {}): string {
    const { fineGrained, ...rest } = spec
    const token =
      kind === 'pat'
        ? fineGrained
          ? `github_pat_${chars(this.rand, 22)}_${chars(this.rand, 59)}`
          : `ghp_${chars(this.rand, 36)}`
        : `ghs_${chars(this.rand, 36)}`
    const principal =
      rest.principal ??
      (kind === 'app'
        ? 'installation:1'
        : kind === 'pat'
          ? `user:${rest.login ?? 'octocat'}`
          : `repository:${rest.repos?.[0] ?? '*'}`)
    this.minted.set(token, { kind, ...rest, principal })
    return token
  }

  /** The token for one simulated run: fresh each call, or one fixed PAT (see RunTokens). */
  runToken(): string {
    if (this.runMode === 'fresh') return this.mint(this.runKind, this.runSpec)
    this.fixed ??= this.mint('pat', this.runSpec)
    return this.fixed
  }

  /** Who is calling; null = a token the configured set does not know (401). */
  caller(token: string): Caller | null {
    if (!token) {
      return {
        token: '',
        kind: 'anonymous',
        principal: '',
        canRead: (r) => !r.private,
        canReadMembers: true,
        login: ''
      }
    }
    const spec = this.minted.get(token) ?? this.configured?.[token]
    if (!spec) {
      if (this.configured) return null
      return { token, kind: 'pat', principal: token, canRead: () => true, canReadMembers: true, login: 'octocat' }
    }
    const principal = spec.principal ?? token
    if (spec.kind === 'github_token') {
      const names = new Set(spec.repos ?? [])
      return {
        token,
        kind: spec.kind,
        principal,
        canRead: (r) => names.has(r.name) || r.oldNames.some((n) => names.has(n)),
        canReadMembers: spec.canReadMembers ?? false,
        login: ACTIONS_LOGIN
      }
    }
    return {
      token,
      kind: spec.kind,
      principal,
      canRead: () => true,
      canReadMembers: spec.canReadMembers ?? true,
      login: spec.kind === 'app' ? APP_LOGIN : (spec.login ?? 'octocat')
    }
  }

  /** Rate-limit key of a token (the token itself when unknown). */
  principal(token: string): string {
    return this.caller(token)?.principal ?? token
  }
}
