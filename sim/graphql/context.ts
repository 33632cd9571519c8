// What every resolver sees: the world, the caller, this query's rate-limit
// figures, and a REST rendering context so GraphQL and REST share helpers
// (bodies, labels, author associations, shas).
import type { Ctx } from '../render/common.js'
import type { Caller } from '../tokens.js'
import type { World } from '../world.js'

export interface RateInfo {
  limit: number
  cost: number
  remaining: number
  used: number
  resetAt: string
  nodeCount: number
}

export interface GqlCtx {
  world: World
  caller: Caller
  rest: Ctx
  rate: RateInfo
}

/** Arguments of a connection field, as graphql-js hands them to a resolver. */
export type Args = Record<string, unknown>

export { HTML } from '../render/common.js'
