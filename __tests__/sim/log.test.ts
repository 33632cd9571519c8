// The request log: routes, billable counts, 304s, per-route tallies.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSim, World, type Sim } from '../../sim/index.js'
import { get } from './helpers.js'

let sim: Sim

beforeAll(async () => {
  const w = new World({ org: 'acme' })
  w.createRepo('app')
  w.openIssue('app', { title: 'x' })
  sim = await startSim({ world: w })
})
afterAll(() => sim?.close())

describe('request log', () => {
  it('records route templates, billable and not-modified requests', async () => {
    const a = await get(sim, '/repos/acme/app/issues/1')
    await get(sim, '/repos/acme/app/issues/1', { 'if-none-match': a.headers.etag })
    await get(sim, '/repos/acme/app/issues/1/timeline?per_page=5')
    await get(sim, '/repos/acme/app/issues/9')
    await get(sim, '/search/issues?q=org:acme')
    await get(sim, '/rate_limit')

    expect(sim.log.count()).toBe(6)
    expect(sim.log.billable()).toBe(4) // the 304 and /rate_limit are free; the 404 is not
    expect(sim.log.billable({ bucket: 'search' })).toBe(1)
    expect(sim.log.notModified()).toBe(1)
    expect(sim.log.count({ status: 404 })).toBe(1)
    expect(sim.log.entries[2]).toMatchObject({
      method: 'GET',
      path: '/repos/acme/app/issues/1/timeline',
      query: 'per_page=5',
      route: '/repos/{owner}/{repo}/issues/{issue_number}/timeline',
      status: 200,
      billable: true,
      bucket: 'core',
      notModified: false,
      token: 'test-token'
    })
    expect(sim.log.byRoute()).toEqual({
      '/repos/{owner}/{repo}/issues/{issue_number}': { total: 3, billable: 2, notModified: 1 },
      '/repos/{owner}/{repo}/issues/{issue_number}/timeline': { total: 1, billable: 1, notModified: 0 },
      '/search/issues': { total: 1, billable: 1, notModified: 0 },
      '/rate_limit': { total: 1, billable: 0, notModified: 0 }
    })
    expect(sim.log.count({ path: /timeline/ })).toBe(1)
    sim.log.reset()
    expect(sim.log.count()).toBe(0)
  })
})
