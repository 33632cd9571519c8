// Primary limits per token and bucket, exhaustion, secondary limits with
// retry-after, /rate_limit, and token kinds (GITHUB_TOKEN scope, 401).
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { startSim, World, type Sim } from '../../sim/index.js'
import { get } from './helpers.js'

let sim: Sim

beforeAll(async () => {
  const w = new World({ org: 'acme' })
  w.createRepo('app')
  w.createRepo('other')
  w.createRepo('secret', { private: true })
  w.openIssue('app', { title: 'x' })
  w.addMember('dev-1')
  sim = await startSim({
    world: w,
    budget: { core: 5, search: 2 },
    tokens: {
      app: { kind: 'app' },
      pat: { kind: 'pat' },
      gh: { kind: 'github_token', repos: ['app'] },
      ghm: { kind: 'github_token', repos: ['app'], canReadMembers: true }
    }
  })
})
afterEach(() => sim.limits.reset())
afterAll(() => sim?.close())

const as = (token: string) => ({ authorization: `Bearer ${token}` })

describe('primary rate limits', () => {
  it('counts down per token with x-ratelimit headers', async () => {
    const a = await get(sim, '/repos/acme/app', as('app'))
    expect(a.headers['x-ratelimit-limit']).toBe('5')
    expect(a.headers['x-ratelimit-remaining']).toBe('4')
    expect(a.headers['x-ratelimit-used']).toBe('1')
    expect(a.headers['x-ratelimit-resource']).toBe('core')
    expect(Number(a.headers['x-ratelimit-reset'])).toBeGreaterThan(Date.now() / 1000)
    expect((await get(sim, '/repos/acme/app', as('app'))).headers['x-ratelimit-remaining']).toBe('3')
    // Another token has its own bucket; errors (404) are billed too.
    expect((await get(sim, '/repos/acme/nope', as('pat'))).headers['x-ratelimit-remaining']).toBe('4')
  })

  it('rejects with 403 and remaining 0 once spent, unbilled, until reset', async () => {
    for (let k = 0; k < 5; k++) expect((await get(sim, '/repos/acme/app', as('app'))).status).toBe(200)
    const billed = sim.log.billable()
    const r = await get(sim, '/repos/acme/app', as('app'))
    expect(r.status).toBe(403)
    expect(r.headers['x-ratelimit-remaining']).toBe('0')
    expect(r.json.message).toMatch(/^API rate limit exceeded for /)
    expect(sim.log.billable()).toBe(billed)
    // /rate_limit stays free and reports the spent bucket.
    const rl = await get(sim, '/rate_limit', as('app'))
    expect(rl.json.resources.core).toMatchObject({ limit: 5, used: 5, remaining: 0 })
    expect(rl.json.rate.remaining).toBe(0)
    expect(sim.log.billable()).toBe(billed)
    sim.limits.reset()
    expect((await get(sim, '/repos/acme/app', as('app'))).status).toBe(200)
  })

  it('can answer 429 instead, and exhaust a bucket on demand', async () => {
    sim.limits.setPrimaryStatus(429)
    sim.limits.exhaust('core')
    const r = await get(sim, '/repos/acme/app', as('pat'))
    expect(r.status).toBe(429)
    expect(r.headers['x-ratelimit-remaining']).toBe('0')
    sim.limits.setPrimaryStatus(403)
    // The search bucket is separate.
    expect((await get(sim, '/search/issues?q=org:acme', as('pat'))).status).toBe(200)
  })

  it('lets tests change the budget', async () => {
    sim.limits.setBudget({ core: 100 })
    expect((await get(sim, '/repos/acme/app', as('app'))).headers['x-ratelimit-limit']).toBe('100')
    sim.limits.setBudget({ core: 5 })
  })

  it('treats a missing token as unauthenticated: 60 an hour, public repos only', async () => {
    const r = await get(sim, '/repos/acme/app', { authorization: '' })
    expect(r.headers['x-ratelimit-limit']).toBe('60')
    expect((await get(sim, '/repos/acme/secret', { authorization: '' })).status).toBe(404)
    expect((await get(sim, '/repos/acme/secret', as('pat'))).status).toBe(200)
  })

  it('answers 401 to a token it does not know', async () => {
    const r = await get(sim, '/repos/acme/app', as('stolen'))
    expect(r.status).toBe(401)
    expect(r.json.message).toBe('Bad credentials')
  })
})

describe('secondary rate limits', () => {
  it('answers 403 with retry-after and the secondary-limit message', async () => {
    sim.limits.secondary(2, 7)
    for (let k = 0; k < 2; k++) {
      const r = await get(sim, '/repos/acme/app', as('pat'))
      expect(r.status).toBe(403)
      expect(r.headers['retry-after']).toBe('7')
      expect(r.json.message).toMatch(/secondary rate limit/)
    }
    expect((await get(sim, '/repos/acme/app', as('pat'))).status).toBe(200)
  })
  it('can use 429', async () => {
    sim.limits.secondary(1, 3, 429)
    const r = await get(sim, '/repos/acme/app', as('pat'))
    expect(r.status).toBe(429)
    expect(r.headers['retry-after']).toBe('3')
  })
})

describe('GITHUB_TOKEN', () => {
  it('reads only its own repository, 1,000 an hour at most', async () => {
    sim.limits.setBudget({ core: 5000 })
    const own = await get(sim, '/repos/acme/app/issues', as('gh'))
    expect(own.status).toBe(200)
    expect(own.headers['x-ratelimit-limit']).toBe('1000')
    expect((await get(sim, '/repos/acme/other/issues', as('gh'))).status).toBe(404)
    const repos = await get(sim, '/orgs/acme/repos', as('gh'))
    expect(repos.json.map((r: { name: string }) => r.name)).toEqual(['app'])
    sim.limits.setBudget({ core: 5 })
  })
  it('cannot read org membership unless allowed', async () => {
    const r = await get(sim, '/orgs/acme/members', as('gh'))
    expect(r.status).toBe(403)
    expect(r.json.message).toBe('Resource not accessible by integration')
    expect((await get(sim, '/orgs/acme/members/dev-1', as('gh'))).status).toBe(403)
    expect((await get(sim, '/orgs/acme/members', as('ghm'))).status).toBe(200)
  })
})
