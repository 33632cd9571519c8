// Public entry point: start a simulated GitHub REST API in-process.
import type { AddressInfo } from 'node:net'
import { Faults } from './faults.js'
import { generateWorld, type GenerateOptions } from './generate.js'
import { RateLimits } from './limits.js'
import { RequestLog } from './log.js'
import { createSimServer, type TokenSpec } from './server.js'
import { World, type WorldConfig } from './world.js'

export type { WorldConfig } from './world.js'

export { World } from './world.js'
export { generateWorld, type GenerateOptions } from './generate.js'
export { RequestLog, type LogEntry, type LogFilter } from './log.js'
export { Faults, type Fault, type FaultMatch } from './faults.js'
export { RateLimits } from './limits.js'
export type { TokenSpec } from './server.js'

export interface SimOptions {
  /** An existing world; otherwise one is generated (or an empty one created). */
  world?: World
  generate?: GenerateOptions
  /** Default 0 (ephemeral); the host is always 127.0.0.1. */
  port?: number
  /** Known tokens; default: any token is accepted with full access. */
  tokens?: Record<string, TokenSpec>
  /** Primary limits: core per hour (default 5000), search per minute (default 30). */
  budget?: { core?: number; search?: number }
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
  close(): Promise<void>
}

export async function startSim(opts: SimOptions = {}): Promise<Sim> {
  const world = opts.world ?? (opts.generate ? generateWorld(opts.generate) : new World())
  if (opts.config) Object.assign(world.config, opts.config)
  const log = new RequestLog()
  const faults = new Faults()
  const limits = new RateLimits(opts.budget)
  const server = createSimServer({ world, log, faults, limits, tokens: opts.tokens })
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
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections()
        server.close((err) => (err ? reject(err) : resolve()))
      })
  }
}
