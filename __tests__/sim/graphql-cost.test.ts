// GraphQL pricing by GitHub's documented formula, the node limit and
// first/last rules with GitHub's error shapes, the graphql bucket (primary
// limit answered with HTTP 200 and an error), the 2,000-a-minute secondary
// limit, faults on /graphql, and the log's points and units.
import { getOctokit } from '@actions/github'
import { throttling } from '@octokit/plugin-throttling'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { startSim, World, type Sim } from '../../sim/index.js'
import { gql, gqlData } from './graphql-helpers.js'
import { get, type AnyJson } from './helpers.js'

let sim: Sim

beforeAll(async () => {
  const w = new World({ org: 'acme', now: '2025-01-01T00:00:00Z' })
  w.createRepo('app')
  w.createRepo('big')
  for (let k = 0; k < 3; k++) w.openIssue('app', { title: `i${k}`, user: 'dev-1' })
  w.comment('app', 1, { user: 'dev-2', body: 'hi' })
  for (let k = 0; k < 1010; k++) w.openIssue('big', { title: `b${k}` })
  sim = await startSim({ world: w })
})
beforeEach(() => {
  sim.limits.reset()
  sim.limits.setBudget({ graphql: 5000, graphqlPerMinute: 2000 })
  sim.faults.clear()
  sim.log.reset()
  sim.world.config.graphqlRateLimitError = 'RATE_LIMIT'
})
afterAll(() => sim?.close())

/** `query` with `rateLimit { cost nodeCount }` added to its operation: what it costs and what was charged. */
async function price(query: string, variables = {}): Promise<{ cost: number; nodeCount: number; points: number }> {
  sim.log.reset()
  const d = await gqlData(sim, query.replace('{', '{ rateLimit { cost nodeCount } '), variables)
  return { ...d.rateLimit, points: sim.log.points() }
}

describe('pricing (requests to fulfil every connection at full page size ÷ 100, rounded, at least 1)', () => {
  it("the docs' example: 1 + 100 + 5,000 = 5,101 requests → 51 points", async () => {
    const p = await price(`query { organization(login: "acme") { repositories(first: 100) { edges { node { id
      issues(first: 50) { edges { node { id labels(first: 60) { edges { node { id name } } } } } } } } } } }`)
    expect(p).toEqual({ cost: 51, nodeCount: 100 + 5000 + 300_000, points: 51 })
    const r = await gql(sim, `{ viewer { login } }`)
    expect(r.headers['x-ratelimit-used']).toBe('52')
  })

  it('search(first: 100) { timelineItems(first: 100) } is 101 requests → 1 point; reactions under it → 101', async () => {
    const tl = `search(query: "org:acme", type: ISSUE, first: 100) { nodes { ... on Issue { timelineItems(first: 100) {
      nodes { ... on IssueComment { id %s } } } } } }`
    expect(await price(`query { ${tl.replace('%s', '')} }`)).toEqual({ cost: 1, nodeCount: 10_100, points: 1 })
    // 1 + 100 + 10,000 requests; 100 + 10,000 + 400,000 nodes.
    expect(await price(`query { ${tl.replace('%s', 'reactions(first: 40) { totalCount }')} }`)).toEqual({
      cost: 101,
      nodeCount: 410_100,
      points: 101
    })
    // At first: 100 the same query asks for 1,010,100 possible nodes: refused by the node limit.
    const r = await gql(sim, `{ ${tl.replace('%s', 'reactions(first: 100) { totalCount }')} }`)
    expect(r.errors?.[0].type).toBe('MAX_NODE_LIMIT_EXCEEDED')
  })

  it('counts per alias, through fragments and variables, and a query without connections costs 1', async () => {
    expect(await price(`query { viewer { login } }`)).toMatchObject({ cost: 1, nodeCount: 0 })
    const q = `query($n: Int!) { a: repository(owner: "acme", name: "app") { ...F } b: repository(owner: "acme", name: "big") { ...F } }
      fragment F on Repository { issues(first: $n) { nodes { comments(first: $n) { nodes { id } } } } }`
    // 2 × (1 + 100) = 202 requests → 2 points.
    expect(await price(q, { n: 100 })).toEqual({ cost: 2, nodeCount: 2 * (100 + 10_000), points: 2 })
    expect(await price(q, { n: 10 })).toMatchObject({ cost: 1, nodeCount: 2 * 110 })
  })

  it('assumption: nodes(ids:) multiplies what it holds by the number of ids', async () => {
    const ids = (await get(sim, '/repos/acme/app/issues?state=all')).json.map((i: AnyJson) => i.node_id)
    expect(ids).toHaveLength(3)
    const p = await price(
      `query($ids: [ID!]!) { nodes(ids: $ids) { ... on Issue { comments(first: 100) { nodes { reactions(first: 100) { totalCount } } } } } }`,
      { ids }
    )
    // 3 comment connections + 300 reaction connections = 303 requests.
    expect(p).toEqual({ cost: 3, nodeCount: 300 + 30_000, points: 3 })
  })

  it('a connection asked only for totalCount needs no first/last and still counts as a request', async () => {
    const d = await gqlData(
      sim,
      `{ repository(owner: "acme", name: "big") { issues { totalCount } } rateLimit { cost } }`
    )
    expect(d.repository.issues.totalCount).toBe(1010)
    expect(d.rateLimit.cost).toBe(1)
  })

  it('rateLimit(dryRun: true) evaluates nothing else and reports the cost (charged 1, an assumption)', async () => {
    const r = await gql(
      sim,
      `{ rateLimit(dryRun: true) { cost nodeCount remaining } organization(login: "acme") { repositories(first: 100) {
        nodes { issues(first: 100) { nodes { comments(first: 10) { nodes { id } } } } } } }
        search(query: "org:acme", type: ISSUE, first: 5) { issueCount } }`
    )
    expect(r.data).toEqual({
      rateLimit: { cost: 101, nodeCount: 110_105, remaining: 4999 },
      organization: null,
      search: { issueCount: 0 }
    })
    expect(r.errors).toBeUndefined()
    expect(sim.log.points()).toBe(1)
  })
})

describe('node limit and page sizes', () => {
  it('more than 500,000 possible nodes: MAX_NODE_LIMIT_EXCEEDED, nothing runs', async () => {
    const r = await gql(
      sim,
      `{ organization(login: "acme") { repositories(first: 100) { nodes { issues(first: 100) { nodes {
        timelineItems(first: 100) { nodes { __typename } } comments(first: 1) { totalCount } } } } } } }`
    )
    expect(r.status).toBe(200)
    expect(r.body).toEqual({
      errors: [
        {
          type: 'MAX_NODE_LIMIT_EXCEEDED',
          message: 'This query requests up to 1,020,100 possible nodes which exceeds the maximum limit of 500,000.'
        }
      ]
    })
  })

  it('a connection selecting nodes or edges without first/last: MISSING_PAGINATION_BOUNDARIES at its path', async () => {
    const r = await gql(sim, `{ repository(owner: "acme", name: "app") { issues { edges { node { id } } } } }`)
    expect(r.body).toEqual({
      errors: [
        {
          type: 'MISSING_PAGINATION_BOUNDARIES',
          path: ['repository', 'issues'],
          locations: [{ line: 1, column: 44 }],
          message: 'You must provide a `first` or `last` value to properly paginate the `issues` connection.'
        }
      ]
    })
  })

  it('first or last above 100: EXCESSIVE_PAGINATION', async () => {
    const r = await gql(
      sim,
      `{ repository(owner: "acme", name: "app") { issues(first: 101) { nodes { id } } pullRequests(last: 500) { nodes { id } } } }`
    )
    expect(r.errors?.map((e: AnyJson) => [e.type, e.path.join('.'), e.message])).toEqual([
      [
        'EXCESSIVE_PAGINATION',
        'repository.issues',
        'Requesting 101 records on the `issues` connection exceeds the `first` limit of 100 records.'
      ],
      [
        'EXCESSIVE_PAGINATION',
        'repository.pullRequests',
        'Requesting 500 records on the `pullRequests` connection exceeds the `last` limit of 100 records.'
      ]
    ])
    expect(r.data).toBeUndefined()
    // Rejected queries are charged 1 point (assumed: the costlier answer).
    expect(sim.log.points()).toBe(1)
  })

  it('search pages only through the first 1,000 results; issueCount counts them all', async () => {
    let after: string | null = null
    let seen = 0
    for (let page = 0; page < 12; page++) {
      const d: AnyJson = await gqlData(
        sim,
        `query($after: String) { search(query: "repo:acme/big", type: ISSUE, first: 100, after: $after) {
          issueCount pageInfo { hasNextPage endCursor } nodes { ... on Issue { number } } } }`,
        { after }
      )
      expect(d.search.issueCount).toBe(1010)
      seen += d.search.nodes.length
      if (!d.search.pageInfo.hasNextPage) break
      after = d.search.pageInfo.endCursor
    }
    expect(seen).toBe(1000)
  })
})

describe('the graphql bucket', () => {
  it('answers HTTP 200 with a RATE_LIMIT error and remaining 0 once spent, unbilled; /rate_limit reports it', async () => {
    sim.limits.setBudget({ graphql: 3 })
    for (let k = 0; k < 3; k++) await gqlData(sim, `{ viewer { login } }`)
    const r = await gql(sim, `{ viewer { login } }`)
    expect(r.status).toBe(200)
    expect(r.headers['x-ratelimit-remaining']).toBe('0')
    expect(r.body).toEqual({
      errors: [
        { type: 'RATE_LIMIT', code: 'graphql_rate_limit', message: 'API rate limit already exceeded for user ID 1.' }
      ]
    })
    expect(sim.log.points()).toBe(3)
    expect(sim.log.entries.at(-1)).toMatchObject({ status: 200, billable: false, points: 0 })
    const rl = (await get(sim, '/rate_limit', { authorization: 'token t' })).json.resources.graphql
    expect(rl).toMatchObject({ limit: 3, used: 3, remaining: 0 })
    // A query costing more than what is left is refused too.
    sim.limits.reset()
    sim.limits.setBudget({ graphql: 50 })
    const big = await gql(
      sim,
      `{ organization(login: "acme") { repositories(first: 100) { nodes { issues(first: 100) { nodes {
        comments(first: 10) { nodes { id } } } } } } } }`
    )
    expect(big.errors?.[0].type).toBe('RATE_LIMIT')
  })

  it("with graphqlRateLimitError 'RATE_LIMITED' answers the older shape, the one @octokit/plugin-throttling 11 recognises", async () => {
    sim.limits.setBudget({ graphql: 1 })
    const hits: string[] = []
    const o = getOctokit(
      't',
      {
        baseUrl: sim.url,
        throttle: {
          onRateLimit: () => {
            hits.push('rate')
            return false
          },
          onSecondaryRateLimit: () => false
        }
      },
      throttling
    )
    await o.graphql(`{ viewer { login } }`)
    // The newer body passes the plugin unnoticed: the client sees a plain GraphQL error.
    await expect(o.graphql(`{ viewer { login } }`)).rejects.toMatchObject({ name: 'GraphqlResponseError' })
    expect(hits).toEqual([])
    sim.world.config.graphqlRateLimitError = 'RATE_LIMITED'
    const old = await gql(sim, `{ viewer { login } }`)
    expect(old.body).toEqual({ errors: [{ type: 'RATE_LIMITED', message: 'API rate limit exceeded for user ID 1.' }] })
    await expect(o.graphql(`{ viewer { login } }`)).rejects.toThrow()
    expect(hits).toEqual(['rate'])
  })

  it('is shared by the tokens of one installation, and separate from core and search', async () => {
    sim.limits.setBudget({ graphql: 2 })
    await gqlData(sim, `{ viewer { login } }`, {}, sim.mintToken('app'))
    await gqlData(sim, `{ viewer { login } }`, {}, sim.mintToken('app'))
    expect((await gql(sim, `{ viewer { login } }`, {}, sim.mintToken('app'))).errors?.[0].type).toBe('RATE_LIMIT')
    const core = await get(sim, '/repos/acme/app', { authorization: `token ${sim.mintToken('app')}` })
    expect(core.headers['x-ratelimit-remaining']).toBe('4999')
  })

  it('2,000 queries a minute (secondary points, one per query): then 403 with retry-after', async () => {
    sim.limits.setBudget({ graphqlPerMinute: 2 })
    await gqlData(sim, `{ viewer { login } }`)
    await gqlData(sim, `{ viewer { login } }`)
    const r = await gql(sim, `{ viewer { login } }`)
    expect(r.status).toBe(403)
    expect(Number(r.headers['retry-after'])).toBeGreaterThan(0)
    expect(r.body.message).toMatch(/secondary rate limit/)
  })
})

describe('faults and the log', () => {
  it('faults apply to /graphql: 502, reset, malformed JSON, injected secondary limit', async () => {
    sim.faults.failNth({ route: '/graphql' }, 1, { status: 502 })
    expect((await gql(sim, `{ viewer { login } }`)).status).toBe(502)
    sim.faults.failNth({ route: '/graphql', method: 'POST' }, 1, { reset: true })
    await expect(gql(sim, `{ viewer { login } }`)).rejects.toThrow()
    sim.faults.failNth({ route: '/graphql' }, 1, { malformedJson: true })
    const res = await fetch(`${sim.url}/graphql`, {
      method: 'POST',
      headers: { authorization: 'bearer t' },
      body: JSON.stringify({ query: '{ viewer { login } }' })
    })
    await expect(res.json()).rejects.toThrow()
    sim.faults.failNth({ route: '/graphql' }, 1, { secondaryLimit: 7 })
    const sec = await gql(sim, `{ viewer { login } }`)
    expect([sec.status, sec.headers['retry-after']]).toEqual([403, '7'])
    expect(sim.log.entries.map((e) => e.fault ?? null)).toEqual([
      'status:502',
      'reset',
      'malformedJson',
      'secondaryLimit:7'
    ])
  })

  it('points() sums GraphQL points; units() adds core and search requests; billable() still counts requests', async () => {
    await get(sim, '/repos/acme/app')
    await get(sim, '/repos/acme/app/issues')
    await get(sim, '/search/issues?q=org:acme')
    await gqlData(
      sim,
      `{ organization(login: "acme") { repositories(first: 100) { edges { node { id
      issues(first: 50) { edges { node { id labels(first: 60) { edges { node { id name } } } } } } } } } } }`
    )
    await gqlData(sim, `{ viewer { login } }`)
    expect(sim.log.points()).toBe(52)
    expect(sim.log.units()).toBe(2 + 1 + 52)
    expect(sim.log.billable()).toBe(5)
    expect(sim.log.units({ bucket: 'core' })).toBe(2)
    expect(sim.log.points({ route: '/graphql' })).toBe(52)
  })
})
