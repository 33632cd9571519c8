// Secondary limits waited out as GitHub asks (retry-after; else at least a
// minute, backing off exponentially, bounded by max-rate-limit-wait), spent
// primary limits — the GraphQL bucket's as REST's — failing with a message
// that names the limit, and requests through a proxy given as api-url kept on
// its host even where GitHub's Link URLs name api.github.com (issue 13, item 11).
import { afterEach, describe, expect, it } from 'vitest'
import { startSim, World, type Sim } from '../sim/index.js'
import { createOctokit, onApiHost, RateLimitError } from '../src/github/client.js'
import { graphqlQuery, RATE_LIMIT_FIELDS } from '../src/github/graphql.js'
import { RequestMeter } from '../src/github/meter.js'
import { MemoryLog } from '../src/log.js'
import { run } from '../src/main.js'
import { createTestDatabase, type TestDatabase } from './helpers/db.js'
import { startGate, type HttpGate } from './helpers/http-gate.js'
import { testIO } from './helpers/io.js'

let sim: Sim | undefined
let gate: HttpGate | undefined
let db: TestDatabase | undefined
afterEach(async () => {
  await gate?.close()
  await sim?.close()
  await db?.drop()
  sim = gate = db = undefined
})

function world(): World {
  const w = new World({ org: 'acme', now: '2025-01-01T00:00:00Z' })
  w.createRepo('app')
  for (let k = 0; k < 250; k++) w.openIssue('app', { title: `Issue ${k}`, user: `dev-${k % 7}` })
  for (let k = 0; k < 130; k++) w.addMember(`member-${k}`)
  return w
}

function client(s: Sim, maxWait: number) {
  const log = new MemoryLog()
  const octokit = createOctokit({
    token: 't',
    baseUrl: s.url,
    log,
    meter: new RequestMeter(),
    maxRateLimitWaitSeconds: maxWait,
    msPerSecond: 1
  })
  return { octokit, log, meter: new RequestMeter() }
}

const waits = (log: MemoryLog): string[] =>
  log.lines.filter((l) => /waiting \d+s/.test(l)).map((l) => /waiting (\d+s \([^)]*\))/.exec(l)![1])

describe('secondary rate limits', () => {
  it('waits retry-after when GitHub gives it', async () => {
    sim = await startSim({ world: world() })
    const { octokit, log } = client(sim, 900)
    sim.limits.secondary(2, 7)
    const { status } = await octokit.request('GET /repos/{owner}/{repo}', { owner: 'acme', repo: 'app' })
    expect(status).toBe(200)
    expect(waits(log)).toEqual(['7s (retry-after: 7s)', '7s (retry-after: 7s)'])
    expect(sim.log.count()).toBe(3)
  })

  it('without retry-after waits a minute, then backs off exponentially', async () => {
    sim = await startSim({ world: world() })
    const { octokit, log } = client(sim, 900)
    sim.limits.secondary(3, null, 429)
    const { status } = await octokit.request('GET /repos/{owner}/{repo}', { owner: 'acme', repo: 'app' })
    expect(status).toBe(200)
    expect(waits(log)).toEqual([
      '60s (no retry-after: backing off 60s)',
      '120s (no retry-after: backing off 120s)',
      '240s (no retry-after: backing off 240s)'
    ])
    expect(sim.log.count()).toBe(4)
  })

  it('fails naming the limit once the waits would pass max-rate-limit-wait', async () => {
    sim = await startSim({ world: world() })
    const { octokit, log } = client(sim, 100)
    sim.limits.secondary(5, null)
    const failed = await octokit.request('GET /repos/{owner}/{repo}', { owner: 'acme', repo: 'app' }).then(
      () => undefined,
      (e: unknown) => e
    )
    expect(failed).toBeInstanceOf(RateLimitError)
    expect((failed as RateLimitError).limit).toBe('secondary')
    expect((failed as Error).message).toMatch(
      /^GitHub's secondary rate limit \(GET \/repos\/acme\/app\): You have exceeded a secondary rate limit\. Waited 60s so far; the next wait \(no retry-after: backing off 120s\) would pass max-rate-limit-wait \(100s\)/
    )
    expect(waits(log)).toEqual(['60s (no retry-after: backing off 60s)'])
    expect(sim.log.count()).toBe(2) // the first answer, one retry after a minute; no third request
  })

  it('the whole run reports the failure by the limit it hit', async () => {
    sim = await startSim({ world: world() })
    db = await createTestDatabase()
    sim.limits.secondary(50, null)
    const io = testIO({
      mode: 'issues',
      'github-token': 't',
      'api-url': sim.url,
      'database-url': db.url,
      org: 'acme',
      'max-rate-limit-wait': '30'
    })
    const report = await run(io, { clock: () => sim!.world.now(), msPerSecond: 1 })
    expect(report.ok).toBe(false)
    expect(io.failure).toMatch(/secondary rate limit .*max-rate-limit-wait \(30s\)/)
    expect(sim.log.count()).toBe(1) // a minute's wait is already more than 30 s: no retry
  })
})

describe('primary rate limits', () => {
  const QUERY = `{ ${RATE_LIMIT_FIELDS} viewer { login } }`

  it('GraphQL: spent points are waited for when the reset is within max-rate-limit-wait', async () => {
    sim = await startSim({ world: world() })
    const { octokit, log, meter } = client(sim, 900)
    sim.limits.exhaust('graphql', undefined, { resetInSeconds: 5 })
    sim.faults.onNth({ route: '/graphql' }, 2, () => sim!.limits.reset()) // the bucket refills before the retry
    const result = await graphqlQuery<{ viewer: { login: string } }>(octokit, meter, QUERY)
    expect(result.data.viewer.login).toBe('octocat')
    expect(
      log.lines.some((l) => /Primary rate limit spent \(POST \/graphql\); waiting \d+s for the reset/.test(l))
    ).toBe(true)
    expect(sim.log.count({ route: '/graphql' })).toBe(2)
  })

  it('GraphQL: spent points fail naming the GraphQL bucket when the reset is further away', async () => {
    sim = await startSim({ world: world() })
    const { octokit, meter } = client(sim, 60)
    sim.limits.exhaust('graphql')
    const failed = await graphqlQuery(octokit, meter, QUERY).then(
      () => undefined,
      (e: unknown) => e
    )
    expect(failed).toBeInstanceOf(RateLimitError)
    expect((failed as RateLimitError).limit).toBe('graphql')
    expect((failed as Error).message).toMatch(
      /^GitHub's primary rate limit for GraphQL \(points\) is spent \(POST \/graphql\); it resets at \d{4}-.*later than max-rate-limit-wait \(60s\)/
    )
    expect(sim.log.count({ route: '/graphql' })).toBe(1)
  })

  it('REST: a spent core bucket fails the same way, naming it', async () => {
    sim = await startSim({ world: world() })
    const { octokit } = client(sim, 60)
    sim.limits.exhaust('core')
    const failed = await octokit.request('GET /repos/{owner}/{repo}', { owner: 'acme', repo: 'app' }).then(
      () => undefined,
      (e: unknown) => e
    )
    expect((failed as RateLimitError).limit).toBe('core')
    expect((failed as Error).message).toMatch(/^GitHub's primary rate limit for core REST requests is spent/)
  })
})

describe('a proxy given as api-url', () => {
  it('moves URLs of another origin onto the api-url host and path', () => {
    expect(onApiHost('https://api.github.com/repos/a/b/issues?page=2', 'http://proxy:8080')).toBe(
      'http://proxy:8080/repos/a/b/issues?page=2'
    )
    expect(onApiHost('https://api.github.com/repos/a/b?x=1', 'https://proxy.corp/github/')).toBe(
      'https://proxy.corp/github/repos/a/b?x=1'
    )
    expect(onApiHost('https://ghe.corp/api/v3/repos/a/b', 'https://gw.corp/api/v3')).toBe(
      'https://gw.corp/api/v3/repos/a/b'
    )
    expect(onApiHost('https://ghe.corp/api/v3/repos/a/b', 'https://gw.corp/ghe')).toBe('https://gw.corp/ghe/repos/a/b')
    expect(onApiHost('http://proxy:8080/repos/a/b', 'http://proxy:8080')).toBe('http://proxy:8080/repos/a/b')
  })

  it('every request of a run goes through the proxy, though GitHub`s Link URLs name api.github.com', async () => {
    sim = await startSim({ world: world() })
    // The proxy forwards with Host: api.github.com, so the answers' Link URLs point there.
    gate = await startGate(sim.url, { upstreamHost: 'api.github.com' })
    db = await createTestDatabase()
    const io = testIO({
      mode: 'issues,members',
      'github-token': 't',
      'api-url': gate.url,
      'database-url': db.url,
      org: 'acme'
    })
    const report = await run(io, { clock: () => sim!.world.now(), msPerSecond: 1, requestTimeoutMs: 5_000 })
    expect(report.ok, report.error).toBe(true)
    expect(report.requests.failed).toBe(0)
    // Pages 2 and 3 of the issues listing and page 2 of the members were followed through the proxy.
    expect(sim.log.count({ route: '/repos/{owner}/{repo}/issues' })).toBeGreaterThanOrEqual(3)
    expect(sim.log.count({ route: '/orgs/{org}/members' })).toBe(2)
    expect(gate.paths.length).toBe(sim.log.entries.length)
    const [{ n }] = await db.sql`select count(*)::int as n from issues`
    expect(n).toBe(250)
    // What GitHub's answers named is stored as they named it.
    const [row] = await db.sql`select url from issues limit 1`
    expect(row.url).toMatch(/^http:\/\/api\.github\.com\/repos\/acme\/app\/issues\/\d+$/)
  })
})
