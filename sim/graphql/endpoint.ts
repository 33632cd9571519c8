// POST /graphql: parse → validate against GitHub's schema → price → rate
// limits → execute with resolvers over the same world REST renders.
//
// Answers, as GitHub gives them:
// - Validation and execution errors: HTTP 200 with `errors` (and `data` when
//   execution started), e.g. NOT_FOUND "Could not resolve to a Repository
//   with the name 'o/r'." beside `repository: null`.
// - A spent primary limit: HTTP 200, an error, `x-ratelimit-remaining: 0`
//   ("If you exceed your primary rate limit, the response status will still
//   be 200, but you will receive an error message" — github/docs
//   rate-limits-and-query-limits-for-the-graphql-api.md). The body GitHub
//   sends has changed: `{type: 'RATE_LIMITED', message: 'API rate limit
//   exceeded for user ID …'}` (what @octokit/plugin-throttling 11 looks for),
//   and since 2026 `{type: 'RATE_LIMIT', code: 'graphql_rate_limit',
//   message: 'API rate limit already exceeded for user ID …'}`
//   (yanyongyu/githubkit#271). The simulator answers the newer one unless
//   `config.graphqlRateLimitError` is 'RATE_LIMITED'.
// - The secondary limit (2,000 queries a minute): 403 with the REST
//   secondary-limit message and `retry-after` ("the response status will be
//   200 or 403" — same page).
import { execute, getOperationAST, getVariableValues, GraphQLError, parse, validate, type DocumentNode } from 'graphql'
import type { RateLimits } from '../limits.js'
import { iso } from '../render/common.js'
import type { Caller } from '../tokens.js'
import type { World } from '../world.js'
import type { GqlCtx, RateInfo } from './context.js'
import { priceQuery } from './cost.js'
import { formatError, formatValidationError, type GqlErrorJson } from './errors.js'
import { rootValue } from './root.js'
import { githubSchema } from './schema.js'

export interface GraphqlEnv {
  world: World
  caller: Caller
  /** The request's origin (REST URLs in shared render helpers). */
  api: string
  limits: RateLimits
}

export interface GraphqlAnswer {
  status: number
  body: unknown
  /** Points to charge to the graphql bucket (0 = unbilled). */
  points: number
  /** Set when the per-minute secondary limit is hit: answer 403 with this `retry-after`. */
  secondaryRetryAfter?: number
}

const DOCS = 'https://docs.github.com/graphql'

/**
 * Requests that fail before execution (bad JSON, syntax, validation,
 * pagination or node limits) are charged 1 point: no source says whether
 * GitHub charges them, so the costlier answer.
 */
const rejected = (errors: GqlErrorJson[]): GraphqlAnswer => ({ status: 200, body: { errors }, points: 1 })

export function graphqlRequest(raw: string, env: GraphqlEnv): GraphqlAnswer {
  let req: { query?: unknown; variables?: unknown; operationName?: unknown }
  try {
    req = JSON.parse(raw) as typeof req
  } catch {
    return { status: 400, body: { message: 'Problems parsing JSON', documentation_url: DOCS }, points: 1 }
  }
  if (typeof req?.query !== 'string') {
    return rejected([{ message: 'A query attribute must be specified and must be a string.' }])
  }
  const schema = githubSchema()
  let doc: DocumentNode
  try {
    doc = parse(req.query)
  } catch (e) {
    if (!(e instanceof GraphQLError)) throw e
    return rejected([{ ...(e.locations ? { locations: e.locations } : {}), message: e.message }])
  }
  const invalid = validate(schema, doc)
  if (invalid.length) return rejected(invalid.map(formatValidationError))
  const operationName = typeof req.operationName === 'string' ? req.operationName : undefined
  const operation = getOperationAST(doc, operationName)
  if (!operation) return rejected([{ message: `No operation named '${operationName ?? ''}'` }])
  if (operation.operation !== 'query') {
    return rejected([{ type: 'FORBIDDEN', message: 'The simulated GitHub implements no mutations or subscriptions.' }])
  }
  const vars = getVariableValues(
    schema,
    operation.variableDefinitions ?? [],
    (req.variables ?? {}) as Record<string, unknown>
  )
  if (vars.errors) return rejected(vars.errors.map(formatValidationError))

  const price = priceQuery(schema, doc, operation, vars.coerced)
  if (price.errors.length) return rejected(price.errors)

  const { world, caller, limits } = env
  const before = limits.state(caller.principal, caller.kind, 'graphql')
  // A dry run is not evaluated; charging it 1 point is an assumption (the costlier one).
  const points = price.dryRun ? 1 : price.cost
  if (before.remaining < points) {
    const who = caller.kind === 'app' ? 'installation ID 1' : 'user ID 1'
    const error =
      world.config.graphqlRateLimitError === 'RATE_LIMITED'
        ? { type: 'RATE_LIMITED', message: `API rate limit exceeded for ${who}.` }
        : { type: 'RATE_LIMIT', code: 'graphql_rate_limit', message: `API rate limit already exceeded for ${who}.` }
    return { status: 200, body: { errors: [error] }, points: 0 }
  }
  const wait = limits.takeGraphqlMinute(caller.principal)
  if (wait !== null) return { status: 403, body: null, points: 0, secondaryRetryAfter: wait }

  const rate: RateInfo = {
    limit: before.limit,
    cost: price.cost,
    remaining: before.remaining - points,
    used: before.used + points,
    resetAt: iso(before.reset * 1000),
    nodeCount: price.nodes
  }
  const ctx: GqlCtx = { world, caller, rate, rest: { world, api: env.api, canRead: caller.canRead } }
  const result = execute({
    schema,
    document: doc,
    rootValue: price.dryRun ? dryRunRoot(ctx) : rootValue(ctx),
    contextValue: ctx,
    variableValues: vars.coerced,
    operationName
  })
  if (result instanceof Promise) throw new Error('resolvers must be synchronous')
  const body: Record<string, unknown> = { data: result.data ?? null }
  if (result.errors?.length) body.errors = result.errors.map(formatError)
  return { status: 200, body, points }
}

/**
 * A dry run ("calculate the cost for the query without evaluating it") answers
 * `rateLimit` and leaves the rest empty: nullable root fields null, `nodes`
 * an empty list, `search` an empty connection, `viewer` as usual — what
 * GitHub puts there is undocumented; this keeps the answer valid.
 */
function dryRunRoot(ctx: GqlCtx): Record<string, unknown> {
  const root = rootValue(ctx)
  const empty = { issueCount: 0, codeCount: 0, discussionCount: 0, repositoryCount: 0, userCount: 0, wikiCount: 0 }
  return {
    rateLimit: root.rateLimit,
    viewer: root.viewer,
    nodes: () => [],
    search: () => ({
      ...empty,
      pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null },
      nodes: [],
      edges: []
    })
  }
}
