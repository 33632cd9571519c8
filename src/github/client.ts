import { GitHub, defaults as actionsDefaults } from '@actions/github/lib/utils'
import { endpoint } from '@octokit/endpoint'
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
      response = await innerFetch(onApiHost(input, options.baseUrl), { ...init, signal })
    } catch (error) {
      meter.recordFailure()
      throw error
    }
    const graphql = isGraphqlRequest(input)
    meter.record(response.status, response.headers, graphql, isRateLimitRequest(input))
    return ensureParsableJson(response, graphql)
  }

  const octokit = new Client({
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
      // Secondary limits are waited out by secondaryLimits() below, which
      // backs off as GitHub asks; the plugin hands them on at once.
      onSecondaryRateLimit: () => false
    }
  })
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  octokit.hook.wrap('request', secondaryLimits(options, msPerSecond) as any)
  return octokit
}

/** A spent rate limit that waiting up to `max-rate-limit-wait` did not cure; the message says which. */
export class RateLimitError extends Error {
  constructor(
    message: string,
    readonly status: number,
    /** 'secondary', or the primary bucket GitHub named (core, search, graphql). */
    readonly limit: string
  ) {
    super(message)
    this.name = 'RateLimitError'
  }
}

type RequestFn = (options: { method?: string; url?: string; [k: string]: unknown }) => Promise<unknown>

/**
 * Secondary rate limits as GitHub asks (github/docs, "Rate limits for the
 * REST API" → "Handle rate limit errors appropriately"): wait `retry-after`
 * seconds when the answer has it; else, if `x-ratelimit-remaining` is 0,
 * until `x-ratelimit-reset`; else at least a minute, backing off
 * exponentially (1, 2, 4 … minutes) — and stop retrying once the waits would
 * pass `max-rate-limit-wait` in all, failing with a message that names the
 * limit. Continuing to send while limited "may result in the banning of your
 * integration", so nothing is retried early. A primary limit the throttling
 * plugin gave up on (its reset further away than max-rate-limit-wait) fails
 * the same way, naming its bucket — the GraphQL bucket's spent points
 * included, which GitHub answers with HTTP 200 and a RATE_LIMIT error.
 */
function secondaryLimits(options: ClientOptions, msPerSecond: number) {
  const { log } = options
  const max = options.maxRateLimitWaitSeconds
  return async (request: RequestFn, endpoint: Parameters<RequestFn>[0]): Promise<unknown> => {
    let waited = 0
    let backoffs = 0
    for (;;) {
      try {
        return await request(endpoint)
      } catch (error) {
        const limited = limitOf(error)
        const where = `${endpoint.method ?? 'GET'} ${pathOf(endpoint)}`
        if (!limited) throw unanswered(error, where, options.retries ?? 3)
        if (limited.kind === 'primary') {
          throw new RateLimitError(
            `GitHub's primary rate limit for ${bucketName(limited.resource)} is spent (${where}); it resets at ` +
              `${limited.resetAt ?? 'an unknown time'}, later than max-rate-limit-wait (${max}s) allows waiting. ` +
              'Nothing more was written; the next run continues.',
            limited.status,
            limited.resource
          )
        }
        let wait: number
        let why: string
        if (limited.retryAfter !== undefined) {
          wait = limited.retryAfter
          why = `retry-after: ${wait}s`
        } else if (limited.resetIn !== undefined) {
          wait = limited.resetIn
          why = `x-ratelimit-remaining 0, reset in ${wait}s`
        } else {
          wait = 60 * 2 ** backoffs++
          why = `no retry-after: backing off ${wait}s`
        }
        if (waited + wait > max) {
          throw new RateLimitError(
            `GitHub's secondary rate limit (${where}): ${limited.message}. Waited ${waited}s so far; the next wait ` +
              `(${why}) would pass max-rate-limit-wait (${max}s). Nothing more was written; the next run continues.`,
            limited.status,
            'secondary'
          )
        }
        log.warning(`Secondary rate limit (${where}); waiting ${wait}s (${why}).`)
        await sleep(wait * msPerSecond)
        waited += wait
      }
    }
  }
}

/**
 * A server error or a dropped connection that the retries met too: its
 * message gets the request it failed on (a 5xx's own is only GitHub's text,
 * e.g. "Server Error - https://docs.github.com/rest", which names nothing).
 * The error is kept, status included, so callers still see what it was.
 */
function unanswered(error: unknown, where: string, retries: number): unknown {
  const status = (error as { status?: unknown }).status
  if (!(error instanceof Error) || typeof status !== 'number' || status < 500) return error
  // Without a response the status is Octokit's stand-in for a dropped connection or a time-out.
  const what = (error as { response?: unknown }).response
    ? `${status} ${error.message}`
    : `no answer (${error.message})`
  error.message =
    `GitHub failed on ${where}: ${what}, and on each of ${retries} retries. ` +
    'Nothing more was written; the next run continues.'
  return error
}

type Limited =
  | { kind: 'secondary'; status: number; message: string; retryAfter?: number; resetIn?: number }
  | { kind: 'primary'; status: number; resource: string; resetAt?: string }

/** Whether an error is a rate limit, and which. */
function limitOf(error: unknown): Limited | undefined {
  const e = error as {
    status?: number
    message?: string
    response?: { status?: number; headers?: Record<string, string | undefined>; data?: unknown }
  }
  const headers = e.response?.headers ?? {}
  const body = e.response?.data as { message?: string; errors?: { type?: string }[] } | undefined
  const message = String(body?.message ?? e.message ?? '')
  const status = e.status ?? e.response?.status ?? 0
  const resetAt = headers['x-ratelimit-reset']
    ? new Date(Number(headers['x-ratelimit-reset']) * 1000).toISOString()
    : undefined
  const graphqlSpent = Array.isArray(body?.errors) && body.errors.some((x) => x?.type === 'RATE_LIMITED')
  if (graphqlSpent) return { kind: 'primary', status: status || 200, resource: 'graphql', resetAt }
  if (status !== 403 && status !== 429) return undefined
  if (/secondary rate limit/i.test(message) || (headers['retry-after'] && headers['x-ratelimit-remaining'] !== '0')) {
    const retryAfter = Number(headers['retry-after'])
    const reset = Number(headers['x-ratelimit-reset'])
    return {
      kind: 'secondary',
      status,
      message: message.split('. ')[0] || 'secondary rate limit',
      retryAfter: headers['retry-after'] !== undefined && Number.isFinite(retryAfter) ? retryAfter : undefined,
      resetIn:
        headers['x-ratelimit-remaining'] === '0' && Number.isFinite(reset)
          ? Math.max(0, Math.ceil(reset - Date.now() / 1000) + 1)
          : undefined
    }
  }
  if (headers['x-ratelimit-remaining'] === '0') {
    return { kind: 'primary', status, resource: headers['x-ratelimit-resource'] ?? 'core', resetAt }
  }
  return undefined
}

/** The path a request went to (its route expanded), for messages; no host, no query. */
function pathOf(options: Parameters<RequestFn>[0]): string {
  try {
    return new URL(endpoint(options as unknown as { method: 'GET'; url: string }).url).pathname
  } catch {
    return String(options.url ?? '')
  }
}

function bucketName(resource: string): string {
  return resource === 'graphql'
    ? 'GraphQL (points)'
    : resource === 'search'
      ? 'search (30 requests a minute)'
      : `${resource} REST requests`
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * The URL to send a request to: on the `api-url` host. GitHub names its own
 * host in `Link` and `Location` URLs (`https://api.github.com/…`), and a
 * proxy (or a load balancer) given as `api-url` passes them on unchanged, so
 * following them as given would bypass it — or fail where only the proxy is
 * reachable. A URL on another origin is therefore moved onto the api-url's
 * origin and path prefix (a GHES `/api/v3` prefix in it is replaced by the
 * api-url's own). Same-origin URLs go as given.
 */
export function onApiHost<T extends string | URL | Request>(input: T, baseUrl: string): T | string {
  if (typeof input !== 'string' && !(input instanceof URL)) return input
  let url: URL
  let base: URL
  try {
    url = new URL(String(input))
    base = new URL(baseUrl)
  } catch {
    return input
  }
  if (url.origin === base.origin) return input
  const prefix = base.pathname.replace(/\/+$/, '')
  let path = url.pathname
  if (!(prefix && (path === prefix || path.startsWith(`${prefix}/`)))) {
    path = `${prefix}${path.replace(/^\/api\/v3(?=\/|$)/, '')}`
  }
  return `${base.origin}${path}${url.search}`
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
