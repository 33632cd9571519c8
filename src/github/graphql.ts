import { GraphqlResponseError } from '@octokit/graphql'
import type { Octokit } from './client.js'
import type { RequestMeter } from './meter.js'

/** What every query asks for beside its data: its price, and what is left of the bucket. */
export const RATE_LIMIT_FIELDS = 'rateLimit { cost remaining resetAt }'

interface RateLimit {
  cost: number
  remaining: number
  resetAt: string
}

/** A GraphQL error as GitHub reports it (HTTP 200 with `errors`). */
export interface GraphqlError {
  type?: string
  message: string
  path?: (string | number)[]
}

/** A query's data and its per-node errors (e.g. NOT_FOUND for a node id that no longer resolves). */
export interface GraphqlResult<T> {
  data: T
  /** Paths (as `a.b.0`) of the fields GitHub answered NOT_FOUND; their value in `data` is null. */
  notFound: Set<string>
}

/**
 * Runs a query through the client (retry, throttling and the meter apply as
 * to REST) and records its cost in points from `rateLimit { cost }`, which
 * every query here selects: GitHub's GraphQL API has its own primary bucket,
 * priced by the number of connection requests a query could need ÷ 100, at
 * least 1 point (github/docs, "Rate limits and query limits for the GraphQL
 * API"). Errors that only say some nodes were not found (a deleted or
 * transferred issue, one the token cannot read) come back as `notFound`
 * with the rest of the data; any other error throws.
 */
export async function graphqlQuery<T>(
  octokit: Octokit,
  meter: RequestMeter,
  query: string,
  variables: Record<string, unknown> = {}
): Promise<GraphqlResult<T>> {
  let data: T & { rateLimit?: RateLimit | null }
  const notFound = new Set<string>()
  try {
    data = await octokit.graphql<T & { rateLimit?: RateLimit | null }>(query, variables)
  } catch (error) {
    if (!(error instanceof GraphqlResponseError)) throw error
    const errors = (error.errors ?? []) as GraphqlError[]
    const other = errors.filter((e) => e.type !== 'NOT_FOUND')
    if (other.length > 0 || !error.data) {
      const first = other[0] ?? errors[0]
      const type = first?.type ? `${first.type}: ` : ''
      throw new Error(`GraphQL query failed: ${type}${first?.message ?? error.message}`)
    }
    data = error.data as T & { rateLimit?: RateLimit | null }
    for (const e of errors) if (e.path) notFound.add(e.path.join('.'))
  }
  if (data.rateLimit) meter.recordPoints(data.rateLimit.cost, data.rateLimit.remaining)
  return { data, notFound }
}
