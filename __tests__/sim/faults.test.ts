// Injected faults: statuses with JSON or HTML bodies, connection resets,
// stalls, malformed JSON, secondary limits, and a seeded random rate.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { startSim, World, type Sim } from '../../sim/index.js'
import { get } from './helpers.js'

let sim: Sim
const ROUTE = '/repos/{owner}/{repo}/issues'

beforeAll(async () => {
  const w = new World({ org: 'acme' })
  w.createRepo('app')
  w.openIssue('app', { title: 'x' })
  sim = await startSim({ world: w })
})
afterEach(() => {
  sim.faults.clear()
  sim.log.reset()
})
afterAll(() => sim?.close())

describe('failNth', () => {
  it('fails only the nth matching request with 500 JSON', async () => {
    sim.faults.failNth({ route: ROUTE }, 2, { status: 500 })
    expect((await get(sim, '/repos/acme/app')).status).toBe(200) // does not match
    expect((await get(sim, '/repos/acme/app/issues')).status).toBe(200)
    const r = await get(sim, '/repos/acme/app/issues')
    expect(r.status).toBe(500)
    expect(r.json.message).toBe('Server Error')
    expect((await get(sim, '/repos/acme/app/issues')).status).toBe(200)
    expect(sim.log.entries.find((e) => e.status === 500)).toMatchObject({ fault: 'status:500', billable: true })
  })

  it('502 with an HTML body, 503 with JSON', async () => {
    sim.faults.failNth({ path: /issues$/ }, 1, { status: 502, body: 'html' })
    const r = await get(sim, '/repos/acme/app/issues')
    expect(r.status).toBe(502)
    expect(r.headers['content-type']).toMatch(/text\/html/)
    expect(r.text).toMatch(/^<html>/)
    sim.faults.failNth({ method: 'GET' }, 1, { status: 503 })
    expect((await get(sim, '/repos/acme/app')).status).toBe(503)
  })

  it('resets the connection', async () => {
    sim.faults.failNth({ route: ROUTE }, 1, { reset: true })
    await expect(get(sim, '/repos/acme/app/issues')).rejects.toThrow()
    expect(sim.log.entries[0]).toMatchObject({ status: 0, billable: false, fault: 'reset' })
    expect((await get(sim, '/repos/acme/app/issues')).status).toBe(200)
  })

  it('stalls past a client timeout', async () => {
    sim.faults.failNth({ route: ROUTE }, 1, { stall: 400 })
    const t0 = Date.now()
    await expect(fetch(`${sim.url}/repos/acme/app/issues`, { signal: AbortSignal.timeout(100) })).rejects.toThrow()
    expect(Date.now() - t0).toBeLessThan(350)
    // Without a timeout the stalled request is simply slow.
    sim.faults.failNth({ route: ROUTE }, 1, { stall: 150 })
    const t1 = Date.now()
    expect((await get(sim, '/repos/acme/app/issues')).status).toBe(200)
    expect(Date.now() - t1).toBeGreaterThanOrEqual(140)
  })

  it('returns malformed JSON with a 200', async () => {
    sim.faults.failNth({ route: ROUTE }, 1, { malformedJson: true })
    const r = await get(sim, '/repos/acme/app/issues')
    expect(r.status).toBe(200)
    expect(() => JSON.parse(r.text)).toThrow()
  })

  it('answers a secondary limit with retry-after', async () => {
    sim.faults.failNth({ route: ROUTE }, 1, { secondaryLimit: 30 })
    const r = await get(sim, '/repos/acme/app/issues')
    expect(r.status).toBe(403)
    expect(r.headers['retry-after']).toBe('30')
    expect(r.json.message).toMatch(/secondary rate limit/)
  })
})

describe('failRate', () => {
  async function run(seed: number): Promise<number[]> {
    sim.faults.clear()
    sim.faults.failRate(0.3, seed, [{ status: 500 }, { status: 502, body: 'html' }, { status: 503 }])
    const statuses: number[] = []
    for (let k = 0; k < 40; k++) statuses.push((await get(sim, '/repos/acme/app')).status)
    return statuses
  }
  it('fails about the given share of requests, reproducibly from the seed', async () => {
    const a = await run(42)
    const b = await run(42)
    expect(a).toEqual(b)
    const failed = a.filter((s) => s !== 200).length
    expect(failed).toBeGreaterThan(4)
    expect(failed).toBeLessThan(22)
    expect(new Set(a.filter((s) => s !== 200)).size).toBeGreaterThan(1)
    expect(await run(43)).not.toEqual(a)
  })
})
