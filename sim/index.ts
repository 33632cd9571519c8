// Public entry point: start a simulated GitHub (REST and GraphQL) in-process.
import type { AddressInfo } from 'node:net'
import { Faults } from './faults.js'
import { generateWorld, type GenerateOptions } from './generate.js'
import { RateLimits, type Budget } from './limits.js'
import { RequestLog } from './log.js'
import { createSimServer } from './server.js'
import { Tokens, type MintKind, type RunTokens, type TokenSpec } from './tokens.js'
import { World, type WorldConfig } from './world.js'

export type { WorldConfig } from './world.js'

export { World } from './world.js'
export { generateWorld, type GenerateOptions } from './generate.js'
export { RequestLog, type LogEntry, type LogFilter } from './log.js'
export { Faults, type Fault, type FaultMatch } from './faults.js'
export { RateLimits, type Budget } from './limits.js'
export type { TokenSpec, MintKind, RunTokens } from './tokens.js'
export type { EtagScope } from './conditional.js'

export interface SimOptions {
  /** An existing world; otherwise one is generated (or an empty one created). */
  world?: World
  generate?: GenerateOptions
  /** Default 0 (ephemeral); the host is always 127.0.0.1. */
  port?: number
  /** Known tokens; default: any token is accepted with full access. Minted tokens are always known. */
  tokens?: Record<string, TokenSpec>
  /**
   * Limits: core requests per hour (default 5000), search per minute (30),
   * GraphQL points per hour (5000) and GraphQL queries per minute (2000).
   */
  budget?: Partial<Budget>
  /** What `runToken()` hands out: a new token per run (default, as Actions does) or one fixed PAT. */
  runTokens?: RunTokens
  /** Kind and spec of the fresh run tokens (default an App installation token with full access). */
  runTokenKind?: MintKind
  runTokenSpec?: Omit<TokenSpec, 'kind'>
  /** Overrides of world behaviour (deep-page limit, redirect form, events feed cap...). */
  config?: Partial<WorldConfig>
}

export interface Sim {
  /** e.g. http://127.0.0.1:41234 — use as api-url / Octokit baseUrl. */
  url: string
  world: World
  log: RequestLog
  faults: Faults
  limits: RateLimits
  /**
   * A new token (`ghs_…` for 'app' and 'github_token', `ghp_…` or, with
   * `fineGrained`, `github_pat_…` for 'pat'), known to the simulator from now on.
   * It shares the rate limits of its installation, user or repository.
   */
  mintToken(kind?: MintKind, spec?: Omit<TokenSpec, 'kind'> & { fineGrained?: boolean }): string
  /** The token for one simulated run, per `SimOptions.runTokens`. */
  runToken(): string
  close(): Promise<void>
}

export async function startSim(opts: SimOptions = {}): Promise<Sim> {
  const world = opts.world ?? (opts.generate ? generateWorld(opts.generate) : new World())
  if (opts.config) Object.assign(world.config, opts.config)
  const log = new RequestLog()
  const faults = new Faults()
  const limits = new RateLimits(opts.budget)
  const tokens = new Tokens(opts.tokens, opts.runTokens, opts.runTokenKind, opts.runTokenSpec)
  limits.principalOf = (t) => tokens.principal(t)
  const server = createSimServer({ world, log, faults, limits, tokens })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve())
  })
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    world,
    log,
    faults,
    limits,
    mintToken: (kind, spec) => tokens.mint(kind, spec),
    runToken: () => tokens.runToken(),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections()
        server.close((err) => (err ? reject(err) : resolve()))
      })
  }
}
