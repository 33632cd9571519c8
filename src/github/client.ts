import { GitHub, defaults as actionsDefaults } from '@actions/github/lib/utils'
import { retry } from '@octokit/plugin-retry'
import { throttling } from '@octokit/plugin-throttling'
import Bottleneck from 'bottleneck'
import { API_VERSION } from '../constants.js'
import type { Log } from '../log.js'
import type { RequestMeter } from './meter.js'

const Client = GitHub.plugin(retry, throttling)

export type Octokit = InstanceType<typeof Client>

export interface ClientOptions {
  token: string
  /** REST API base URL (api-url). */
  baseUrl: string
  log: Log
  meter: RequestMeter
  /** Longest wait for a spent primary limit to reset; longer → fail. */
  maxRateLimitWaitSeconds: number
  /** Milliseconds per second of a computed wait; tests shrink it. */
  msPerSecond?: number
  /** Per-request time-out; a stalled answer is retried like a 5xx. */
  requestTimeoutMs?: number
  /** Retries of 5xx and transport errors. */
  retries?: number
}

/**
 * The one Octokit factory: retry for 5xx and dropped connections, throttling
 * for primary and secondary rate limits (explicit policies below), the API
 * version header, and a meter that sees every HTTP request, retries included.
 */
export function createOctokit(options: ClientOptions): Octokit {
  const { log, meter } = options
  const msPerSecond = options.msPerSecond ?? 1000
  const timeoutMs = options.requestTimeoutMs ?? 60_000
  const innerFetch: typeof fetch = (actionsDefaults.request?.fetch as typeof fetch | undefined) ?? globalThis.fetch

  const meteredFetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const signal = AbortSignal.timeout(timeoutMs)
    let response: Response
    try {
      response = await innerFetch(input, { ...init, signal })
    } catch (error) {
      meter.recordFailure()
      throw error
    }
    const graphql = isGraphqlRequest(input)
    meter.record(response.status, response.headers, graphql, isRateLimitRequest(input))
    return ensureParsableJson(response, graphql)
  }

  return new Client({
    ...(options.token ? { auth: `token ${options.token}` } : {}),
    baseUrl: options.baseUrl,
    headers: { 'x-github-api-version': API_VERSION },
    request: { fetch: meteredFetch },
    retry: {
      retries: options.retries ?? 3,
      // 403/429 rate limits belong to the throttling plugin alone, so a
      // limited request is never retried by both.
      doNotRetry: [400, 401, 403, 404, 410, 422, 429, 451],
      retryAfterBaseValue: msPerSecond
    },
    throttle: {
      retryAfterBaseValue: msPerSecond,
      // The plugin's own pacing, on this client's clock so tests can shrink
      // it: search one at a time 2 s apart (under 30 a minute). Its "write"
      // group also paces every GraphQL POST (1 s apart by default, GitHub's
      // advice for *mutating* requests); this client sends no REST write and
      // no mutation, so queries go one at a time 0.1 s apart — serially, as
      // GitHub asks, and at most 600 a minute, under the 2,000 points a
      // minute of GraphQL's secondary limit.
      search: new Bottleneck.Group({ maxConcurrent: 1, minTime: 2 * msPerSecond }),
      write: new Bottleneck.Group({ maxConcurrent: 1, minTime: msPerSecond / 10 }),
      onRateLimit: (retryAfter, request, _octokit, retryCount) => {
        const where = `${request.method} ${request.url}`
        if (retryCount < 1 && retryAfter <= options.maxRateLimitWaitSeconds) {
          log.warning(`Primary rate limit spent (${where}); waiting ${retryAfter}s for the reset.`)
          return true
        }
        log.warning(
          `Primary rate limit spent (${where}); the reset is ${retryAfter}s away, more than ` +
            `max-rate-limit-wait (${options.maxRateLimitWaitSeconds}s). Giving up.`
        )
        return false
      },
      onSecondaryRateLimit: (retryAfter, request, _octokit, retryCount) => {
        const where = `${request.method} ${request.url}`
        if (retryCount < 1) {
          log.warning(`Secondary rate limit (${where}); retrying after ${retryAfter}s.`)
          return true
        }
        log.warning(`Secondary rate limit again (${where}); not retrying twice.`)
        return false
      }
    }
  })
}

/**
 * @octokit/request hands back unparsable JSON as a string, which a caller
 * would silently store. Turn a JSON response that does not parse into a 502
 * so the retry policy treats it as the transient fault it is.
 *
 * A GraphQL answer for spent points is HTTP 200 with an error. GitHub's
 * current body names it `type: 'RATE_LIMIT'` (`code: 'graphql_rate_limit'`,
 * yanyongyu/githubkit#271), but @octokit/plugin-throttling 11 waits only on
 * the older `RATE_LIMITED` (its wrap-request.js); the type is renamed to the
 * older one here, so the plugin waits for the reset as for REST (bounded by
 * max-rate-limit-wait), instead of the query failing at once.
 */
async function ensureParsableJson(response: Response, graphql = false): Promise<Response> {
  const type = response.headers.get('content-type') ?? ''
  if (!/json/i.test(type) || response.status === 204 || response.status === 304) return response
  const text = await response.text()
  const headers = new Headers(response.headers)
  headers.delete('content-length')
  headers.delete('content-encoding')
  const rebuilt = (status: number, body: string): Response =>
    new Response(body, { status, statusText: response.statusText, headers })
  if (text.length === 0) return rebuilt(response.status, text)
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch {
    return rebuilt(502, JSON.stringify({ message: 'Malformed JSON in response body' }))
  }
  const errors = graphql ? (body as { errors?: { type?: string }[] } | null)?.errors : undefined
  if (Array.isArray(errors) && errors.some((e) => e?.type === 'RATE_LIMIT')) {
    for (const e of errors) if (e?.type === 'RATE_LIMIT') e.type = 'RATE_LIMITED'
    return rebuilt(response.status, JSON.stringify(body))
  }
  return rebuilt(response.status, text)
}

function urlOf(input: string | URL | Request): string {
  return typeof input === 'string' ? input : input instanceof URL ? input.href : input.url
}

/** `GET /rate_limit`, which GitHub does not charge. */
function isRateLimitRequest(input: string | URL | Request): boolean {
  return /\/rate_limit(?:\?|$)/.test(urlOf(input))
}

/** A POST to the GraphQL endpoint (`{baseUrl}/graphql`, GHES `…/api/graphql`). */
function isGraphqlRequest(input: string | URL | Request): boolean {
  return /\/graphql(?:\?|$)/.test(urlOf(input))
}
