// The simulator driven by the client the action uses (@actions/github's
// Octokit with the throttling plugin): pagination through cursor links,
// 304 as a thrown RequestError, silent 301 following, secondary limits.
import { getOctokit } from '@actions/github'
import { throttling } from '@octokit/plugin-throttling'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSim, World, type Sim } from '../../sim/index.js'

let sim: Sim

beforeAll(async () => {
  const w = new World({ org: 'acme', config: { issuesMaxPage: 2 } })
  w.createRepo('app')
  w.createRepo('other')
  for (let k = 0; k < 450; k++) w.openIssue('app', { title: `i${k}` })
  w.transfer('app', 1, 'other', 'dev-1')
  sim = await startSim({ world: w })
})
afterAll(() => sim?.close())

const client = () => getOctokit('t0k3n', { baseUrl: sim.url })

describe('with Octokit', () => {
  it('paginates the issues list past the page-number limit by following Link', async () => {
    sim.log.reset()
    const all = await client().paginate(client().rest.issues.listForRepo, {
      owner: 'acme',
      repo: 'app',
      state: 'all',
      per_page: 100
    })
    expect(all).toHaveLength(449)
    expect(new Set(all.map((i) => i.number)).size).toBe(449)
    expect(sim.log.billable()).toBe(5)
    expect(sim.log.entries.filter((e) => e.query.includes('after=')).length).toBe(3)
  })

  it('surfaces 304 as a RequestError', async () => {
    const o = client()
    const first = await o.rest.issues.get({ owner: 'acme', repo: 'app', issue_number: 2 })
    await expect(
      o.rest.issues.get({
        owner: 'acme',
        repo: 'app',
        issue_number: 2,
        headers: { 'if-none-match': first.headers.etag! }
      })
    ).rejects.toMatchObject({ status: 304 })
  })

  it('follows a transfer 301 silently', async () => {
    const r = await client().rest.issues.get({ owner: 'acme', repo: 'app', issue_number: 1 })
    expect(r.status).toBe(200)
    expect(r.data.repository_url).toBe(`${sim.url}/repos/acme/other`)
  })

  it('lets the throttling plugin see secondary limits with their retry-after', async () => {
    const seen: number[] = []
    const o = getOctokit(
      't0k3n',
      {
        baseUrl: sim.url,
        throttle: {
          onRateLimit: () => false,
          onSecondaryRateLimit: (retryAfter: number) => {
            seen.push(retryAfter)
            return seen.length < 2
          }
        }
      },
      throttling
    )
    sim.limits.secondary(1, 1)
    const r = await o.rest.repos.get({ owner: 'acme', repo: 'app' })
    expect(r.status).toBe(200)
    expect(seen).toEqual([1])
  })

  it('lets the throttling plugin see a spent primary limit', async () => {
    let hit = 0
    const o = getOctokit(
      't0k3n',
      {
        baseUrl: sim.url,
        throttle: {
          onRateLimit: () => {
            hit++
            return false
          },
          onSecondaryRateLimit: () => false
        }
      },
      throttling
    )
    sim.limits.exhaust('core')
    await expect(o.rest.repos.get({ owner: 'acme', repo: 'app' })).rejects.toMatchObject({ status: 403 })
    expect(hit).toBe(1)
    sim.limits.reset()
  })
})
