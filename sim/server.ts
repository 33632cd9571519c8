// The node:http server: auth → route → faults → rate limits → handler →
// ETag / Last-Modified / 304 → headers and log. One request at a time is
// enough: every handler is synchronous over in-memory state.
import { randomUUID } from 'node:crypto'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { etagMatches, etagOf, httpDate, notModifiedSince } from './conditional.js'
import { faultName, type Fault, type Faults } from './faults.js'
import { graphqlRequest } from './graphql/endpoint.js'
import { DOCS, HttpError, type Req, type Result } from './http.js'
import type { RateLimits } from './limits.js'
import type { Bucket, LogEntry, RequestLog } from './log.js'
import { match } from './router.js'
import type { Tokens } from './tokens.js'
import type { World } from './world.js'

export type { TokenSpec } from './tokens.js'

export interface ServerDeps {
  world: World
  log: RequestLog
  faults: Faults
  limits: RateLimits
  tokens: Tokens
}

function tokenOf(req: IncomingMessage): string {
  const h = req.headers.authorization ?? ''
  const m = /^(?:token|bearer)\s+(.+)$/i.exec(h.trim())
  return m ? m[1] : ''
}

const json = (body: unknown): string => JSON.stringify(body)
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    req.on('error', reject)
  })
}

export function createSimServer(deps: ServerDeps): Server {
  const server = createServer((req, res) => {
    handle(deps, req, res).catch((err: unknown) => {
      if (!res.headersSent) {
        res.writeHead(500, { 'content-type': 'application/json; charset=utf-8' })
        res.end(
          json({
            message: `Simulator error: ${err instanceof Error ? err.message : String(err)}`,
            documentation_url: DOCS
          })
        )
      }
    })
  })
  server.keepAliveTimeout = 5000
  return server
}

async function handle(deps: ServerDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const { world, log, faults, limits, tokens } = deps
  const host =
    req.headers.host ?? `127.0.0.1:${(req.socket.localAddress && (req.socket.address() as AddressInfo).port) || 0}`
  const api = `http://${host}`
  const url = new URL(req.url ?? '/', api)
  const method = req.method ?? 'GET'
  const token = tokenOf(req)
  const who = tokens.caller(token)
  const isGraphql = url.pathname.replace(/\/+$/, '') === '/graphql'
  const m = isGraphql ? null : match(world, url.pathname)
  const entry: LogEntry = {
    method,
    path: url.pathname,
    query: url.search.slice(1),
    route: isGraphql ? '/graphql' : (m?.route ?? null),
    status: 0,
    billable: false,
    bucket: isGraphql ? 'graphql' : (m?.bucket ?? (m ? null : 'core')),
    notModified: false,
    ...(isGraphql ? { points: 0 } : {}),
    ...(token ? { token } : {})
  }
  const headers: Record<string, string> = {
    'content-type': 'application/json; charset=utf-8',
    'x-github-api-version-selected': '2022-11-28',
    'x-github-media-type': 'github.v3; format=json',
    'x-github-request-id': randomUUID().toUpperCase().slice(0, 23),
    vary: 'Accept, Authorization, Cookie, X-GitHub-OTP'
  }
  const send = (status: number, body?: string, extra: Record<string, string> = {}): void => {
    entry.status = status
    log.add(entry)
    const h = { ...headers, ...extra }
    if (body === undefined) delete h['content-type']
    res.writeHead(status, h)
    res.end(body)
  }

  if (!who) return send(401, json({ message: 'Bad credentials', documentation_url: DOCS, status: '401' }))
  if (isGraphql && who.kind === 'anonymous') {
    // GitHub's GraphQL API has no unauthenticated access.
    return send(
      401,
      json({
        message: 'This endpoint requires you to be authenticated.',
        documentation_url:
          'https://docs.github.com/graphql/guides/forming-calls-with-graphql#authenticating-with-graphql'
      })
    )
  }
  const bucket: Bucket = entry.bucket ?? 'core'
  const rl = (): void => {
    const s = limits.state(who.principal, who.kind, bucket)
    headers['x-ratelimit-limit'] = String(s.limit)
    headers['x-ratelimit-remaining'] = String(s.remaining)
    headers['x-ratelimit-used'] = String(s.used)
    headers['x-ratelimit-reset'] = String(s.reset)
    headers['x-ratelimit-resource'] = bucket
  }
  /** Counts the request (GraphQL: `points` points) against its bucket. */
  const bill = (points = 1): void => {
    if (entry.bucket === null) return
    limits.spend(who.principal, bucket, bucket === 'graphql' ? points : 1)
    entry.billable = true
    if (bucket === 'graphql') entry.points = (entry.points ?? 0) + points
  }

  if (m && m.route === '/rate_limit') {
    rl()
    const st = (b: Bucket): Record<string, number> => ({ ...limits.state(who.principal, who.kind, b) })
    const core = st('core')
    const body = json({ resources: { core, search: st('search'), graphql: st('graphql') }, rate: core })
    return send(200, body)
  }

  let fault: Fault | null = faults.pick({ method, path: url.pathname, route: entry.route })
  if (fault && 'run' in fault) {
    // A change of the world at this moment, then the ordinary answer.
    fault.run()
    fault = null
  }
  if (fault) {
    entry.fault = faultName(fault)
    if ('reset' in fault) {
      log.add(entry)
      req.socket.destroy()
      return
    }
    if ('stall' in fault) await sleep(fault.stall)
    else if ('secondaryLimit' in fault) return secondary(fault.secondaryLimit, 403)
    else if ('status' in fault) {
      bill()
      rl()
      if (fault.body === 'html') {
        return send(
          fault.status,
          `<html><head><title>${fault.status} Bad Gateway</title></head><body><h1>${fault.status} Server Error</h1><p>Simulated upstream failure.</p></body></html>`,
          { 'content-type': 'text/html; charset=utf-8' }
        )
      }
      if (fault.body === 'echo-auth') {
        return send(
          fault.status,
          json({
            message: `Server Error while handling Authorization: ${req.headers.authorization ?? ''}`,
            documentation_url: DOCS
          })
        )
      }
      return send(
        fault.status,
        json({ message: fault.status === 503 ? 'Service Unavailable' : 'Server Error', documentation_url: DOCS })
      )
    }
  }

  // GitHub may leave `retry-after` out ("If the retry-after response header
  // is not present… wait for at least one minute", github/docs): null omits it.
  function secondary(retryAfter: number | null, status: 403 | 429): void {
    bill()
    rl()
    send(
      status,
      json({
        message:
          'You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID.',
        documentation_url:
          'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits'
      }),
      retryAfter === null ? {} : { 'retry-after': String(retryAfter) }
    )
  }
  const sec = limits.takeSecondary()
  if (sec) return secondary(sec.retryAfter, sec.status)

  if (isGraphql) {
    if (method !== 'POST') {
      rl()
      return send(404, json({ message: 'Not Found', documentation_url: 'https://docs.github.com/graphql' }))
    }
    const answer = graphqlRequest(await readBody(req), { world, caller: who, api, limits })
    if (answer.secondaryRetryAfter !== undefined) return secondary(answer.secondaryRetryAfter, 403)
    if (answer.points > 0) bill(answer.points)
    rl()
    const body = json(answer.body)
    if (fault && 'malformedJson' in fault) return send(answer.status, body.slice(0, Math.max(1, body.length >> 1)))
    return send(answer.status, body)
  }

  rl()
  if (headers['x-ratelimit-remaining'] === '0') {
    // A spent primary limit rejects without counting (used cannot pass the limit).
    const whoDesc = who.kind === 'app' ? 'installation ID 1' : who.kind === 'anonymous' ? '127.0.0.1' : 'user ID 1'
    return send(
      limits.primaryStatus,
      json({
        message: `API rate limit exceeded for ${whoDesc}. If you reach out to GitHub Support for help, please include the request ID.`,
        documentation_url:
          'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-primary-rate-limits'
      })
    )
  }

  let result: Result
  if (!m || method !== 'GET') {
    result = { status: 404, body: { message: 'Not Found', documentation_url: DOCS, status: '404' } }
  } else {
    const r: Req = {
      url,
      q: url.searchParams,
      params: m.params,
      suffix: m.suffix,
      canReadMembers: who.canReadMembers,
      ctx: { world, api, canRead: who.canRead },
      incomplete: () => faults.takeIncomplete()
    }
    try {
      result = m.run(r)
    } catch (e) {
      if (!(e instanceof HttpError)) throw e
      result = { status: e.status, body: e.body, headers: e.headers }
    }
  }
  const body = result.body === undefined ? undefined : json(result.body)
  if (result.status === 200 && body !== undefined) {
    const etag = etagOf(body, world.config.etagScope, {
      accept: req.headers.accept,
      authorization: req.headers.authorization,
      cookie: req.headers.cookie
    })
    headers.etag = etag
    headers['cache-control'] = 'private, max-age=60, s-maxage=60'
    if (result.lastModified !== undefined) headers['last-modified'] = httpDate(result.lastModified)
    const inm = req.headers['if-none-match']
    const ims = req.headers['if-modified-since']
    const searchIgnores = entry.route === '/search/issues' && !world.config.searchConditional
    const viaEtag = !searchIgnores && etagMatches(inm, etag)
    if (viaEtag || (result.lastModified !== undefined && notModifiedSince(ims, inm, result.lastModified))) {
      // 304 answers are free on GitHub, whichever validator earned them: no bucket is charged.
      entry.notModified = true
      entry.conditional = viaEtag ? 'etag' : 'last-modified'
      return send(304, undefined, result.headers)
    }
  }
  bill()
  rl()
  if (fault && 'malformedJson' in fault && body !== undefined) {
    return send(result.status, body.slice(0, Math.max(1, Math.floor(body.length / 2))), result.headers)
  }
  send(result.status, body, result.headers)
}
