// Minted tokens: GitHub's prefixes, known to a simulator with a fixed token
// set, per-run fresh tokens vs one fixed PAT, and rate limits that belong to
// the installation, user or repository rather than to the token string.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { startSim, World, type Sim } from '../../sim/index.js'
import { get } from './helpers.js'

let sim: Sim
const as = (token: string) => ({ authorization: `Bearer ${token}` })

beforeAll(async () => {
  const w = new World({ org: 'acme' })
  w.createRepo('app')
  w.createRepo('other')
  sim = await startSim({ world: w, budget: { core: 5 }, tokens: { t: { kind: 'app' } } })
})
afterEach(() => sim.limits.reset())
afterAll(() => sim?.close())

describe('mintToken', () => {
  it('gives new tokens with GitHub prefixes: ghs_ for installations and GITHUB_TOKEN, ghp_ / github_pat_ for PATs', () => {
    expect(sim.mintToken()).toMatch(/^ghs_[A-Za-z0-9]{36}$/)
    expect(sim.mintToken('github_token', { repos: ['app'] })).toMatch(/^ghs_[A-Za-z0-9]{36}$/)
    expect(sim.mintToken('pat')).toMatch(/^ghp_[A-Za-z0-9]{36}$/)
    expect(sim.mintToken('pat', { fineGrained: true })).toMatch(/^github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59}$/)
    const many = Array.from({ length: 50 }, () => sim.mintToken())
    expect(new Set(many).size).toBe(50)
  })

  it('are accepted beside the configured tokens; unknown tokens still answer 401', async () => {
    expect((await get(sim, '/repos/acme/app', as(sim.mintToken()))).status).toBe(200)
    expect((await get(sim, '/repos/acme/app', as('ghs_notminted'))).status).toBe(401)
  })

  it('keep their kind: a minted GITHUB_TOKEN reads only its repository and gets 1,000 an hour', async () => {
    sim.limits.setBudget({ core: 5000 })
    const gt = sim.mintToken('github_token', { repos: ['app'] })
    const r = await get(sim, '/repos/acme/app', as(gt))
    expect(r.headers['x-ratelimit-limit']).toBe('1000')
    expect((await get(sim, '/repos/acme/other', as(gt))).status).toBe(404)
    expect((await get(sim, '/orgs/acme/members', as(gt))).status).toBe(403)
    sim.limits.setBudget({ core: 5 })
  })

  it('share the rate limit of their installation: a new token brings no new budget', async () => {
    for (let k = 0; k < 5; k++) expect((await get(sim, '/repos/acme/app', as(sim.mintToken('app')))).status).toBe(200)
    const r = await get(sim, '/repos/acme/app', as(sim.mintToken('app')))
    expect(r.status).toBe(403)
    expect(r.headers['x-ratelimit-remaining']).toBe('0')
    // Another principal (a PAT's user) has its own bucket.
    expect((await get(sim, '/repos/acme/app', as(sim.mintToken('pat')))).headers['x-ratelimit-remaining']).toBe('4')
    // exhaust() by token reaches the principal.
    sim.limits.reset()
    const a = sim.mintToken('app')
    sim.limits.exhaust('core', a)
    expect((await get(sim, '/repos/acme/app', as(sim.mintToken('app')))).status).toBe(403)
  })
})

describe('runToken', () => {
  it("hands out a fresh token per run by default, and one PAT for every run with runTokens: 'fixed'", async () => {
    const fresh = await startSim({ world: new World({ org: 'acme' }) })
    const fixed = await startSim({ world: new World({ org: 'acme' }), runTokens: 'fixed' })
    try {
      const [a, b] = [fresh.runToken(), fresh.runToken()]
      expect(a).not.toBe(b)
      expect(a).toMatch(/^ghs_/)
      expect(fixed.runToken()).toBe(fixed.runToken())
      expect(fixed.runToken()).toMatch(/^ghp_/)
      const gt = await startSim({
        world: new World({ org: 'acme' }),
        runTokenKind: 'github_token',
        runTokenSpec: { repos: ['x'] }
      })
      const g = gt.runToken()
      expect((await get(gt, '/rate_limit', as(g))).json.resources.core.limit).toBe(1000)
      await gt.close()
    } finally {
      await fresh.close()
      await fixed.close()
    }
  })
})
