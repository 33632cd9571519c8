// searchWindows on the simulated GitHub: windows over 1,000 results are
// halved until they fit (never a 422), every match comes back exactly once,
// and pages answered incomplete_results are asked again.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSim, World, type Sim } from '../sim/index.js'
import { createOctokit } from '../src/github/client.js'
import { RequestMeter } from '../src/github/meter.js'
import { rangeQualifier, searchWindows, type SearchWindow } from '../src/github/search.js'
import { MemoryLog } from '../src/log.js'

const MINUTE = 60_000
const T0 = Date.parse('2025-01-01T00:00:00Z')
const CLOSED = 1150
let sim: Sim

beforeAll(async () => {
  const w = new World({ org: 'acme', now: T0 })
  w.createRepo('app')
  // 1,150 PRs closed unmerged, one every 10 minutes from 00:10, and 20 merged ones.
  for (let k = 1; k <= CLOSED; k++) {
    w.setNow(T0 + k * 10 * MINUTE)
    const pr = w.openIssue('app', { title: `PR ${k}`, user: 'dev-1', isPull: true })
    if (k % 60 === 0) {
      const merged = w.openIssue('app', { title: `merged ${k}`, user: 'dev-2', isPull: true })
      w.merge('app', merged.number, 'dev-2')
    }
    w.close('app', pr.number, { actor: 'dev-1' })
  }
  w.setNow(T0 + 30 * 24 * 60 * MINUTE)
  sim = await startSim({ world: w, budget: { search: 1000 } })
})
afterAll(() => sim?.close())

function deps(): { octokit: ReturnType<typeof createOctokit>; log: MemoryLog } {
  const log = new MemoryLog()
  const octokit = createOctokit({
    token: 't',
    baseUrl: sim.url,
    log,
    meter: new RequestMeter(),
    maxRateLimitWaitSeconds: 5,
    msPerSecond: 1
  })
  return { octokit, log }
}

function searchWith(
  d: { octokit: ReturnType<typeof createOctokit>; log: MemoryLog },
  q: Parameters<typeof searchWindows>[2]
): AsyncGenerator<SearchWindow> {
  return searchWindows(d.octokit, d.log, q)
}

async function collect(iter: AsyncIterable<SearchWindow>): Promise<SearchWindow[]> {
  const out: SearchWindow[] = []
  for await (const w of iter) out.push(w)
  return out
}

const query = 'repo:acme/app is:pr is:unmerged is:closed'

describe('rangeQualifier', () => {
  it('covers [from, to) on whole seconds', () => {
    expect(rangeQualifier('closed', T0, T0 + MINUTE)).toBe('closed:2025-01-01T00:00:00Z..2025-01-01T00:00:59Z')
  })
})

describe('searchWindows', () => {
  it('splits a window over 1,000 results and returns every match once', async () => {
    sim.log.reset()
    const windows = await collect(
      searchWith(deps(), { query, field: 'closed', from: new Date(T0), to: new Date(T0 + 10 * 24 * 60 * MINUTE) })
    )
    const ids = windows.flatMap((w) => w.items.map((i) => i.id))
    expect(ids).toHaveLength(CLOSED)
    expect(new Set(ids).size).toBe(CLOSED)
    expect(windows.every((w) => w.complete && w.totalCount <= 1000)).toBe(true)
    // Oldest window first, windows adjacent.
    for (let k = 1; k < windows.length; k++) expect(windows[k].from.getTime()).toBe(windows[k - 1].to.getTime())
    expect(sim.log.count({ status: 422 })).toBe(0)
    // One request for the overflowing window, then one per 100 results of each half.
    const pages = windows.reduce((n, w) => n + Math.max(1, Math.ceil(w.totalCount / 100)), 0)
    expect(windows).toHaveLength(2)
    expect(sim.log.billable({ route: '/search/issues' })).toBe(1 + pages)
    expect(pages).toBe(13) // 720 + 430 results
  })

  it('asks again for a page answered incomplete_results', async () => {
    sim.log.reset()
    sim.faults.incompleteResults(1)
    // 00:10 … 24:00 on day one: 144 PRs, two pages.
    const windows = await collect(
      searchWith(deps(), { query, field: 'closed', from: new Date(T0), to: new Date(T0 + 24 * 60 * MINUTE + 1) })
    )
    expect(windows).toHaveLength(1)
    expect(windows[0].complete).toBe(true)
    expect(windows[0].items).toHaveLength(144)
    expect(sim.log.billable({ route: '/search/issues' })).toBe(3)
  })

  it('reports a window still incomplete after the retries', async () => {
    sim.faults.incompleteResults(5)
    const d = deps()
    const windows = await collect(
      searchWith(d, {
        query,
        field: 'closed',
        from: new Date(T0),
        to: new Date(T0 + 60 * MINUTE),
        incompleteRetries: 1
      })
    )
    sim.faults.clear()
    expect(windows).toHaveLength(1)
    expect(windows[0].complete).toBe(false)
    expect(d.log.lines.join('\n')).toMatch(/may be incomplete/)
  })

  it('yields nothing for an empty range', async () => {
    expect(await collect(searchWith(deps(), { query, field: 'closed', from: new Date(T0), to: new Date(T0) }))).toEqual(
      []
    )
  })
})

// Issue-13 edge case 1: GitHub's search pages are positions in a result list
// computed anew for each page, so an item entering the window between two
// pages repeats the item at the page boundary, and one leaving it hides the
// next. The simulated GitHub computes each page from the current world, as
// GitHub does; a hook changes the world just before page 2 is asked.
describe('search pages that shift while a window is read', () => {
  let shifting: Sim
  beforeAll(async () => {
    const w = new World({ org: 'acme', now: T0 })
    w.createRepo('b')
    // 150 open issues, created (and last updated) one a minute from 00:01.
    for (let k = 1; k <= 150; k++) {
      w.setNow(T0 + k * MINUTE)
      w.openIssue('b', { title: `issue ${k}`, user: 'dev-1' })
    }
    w.setNow(T0 + 24 * 60 * MINUTE)
    shifting = await startSim({ world: w, budget: { search: 1000 } })
  })
  afterAll(() => shifting?.close())

  /** searchWindows over `updated`, with `change` applied to the world just before the second search request. */
  async function readShifting(
    query: string,
    change: () => void
  ): Promise<{ windows: SearchWindow[]; log: MemoryLog; answered: number }> {
    const log = new MemoryLog()
    const octokit = createOctokit({
      token: 't',
      baseUrl: shifting.url,
      log,
      meter: new RequestMeter(),
      maxRateLimitWaitSeconds: 5,
      msPerSecond: 1
    })
    let searches = 0
    octokit.hook.before('request', (options) => {
      if (String(options.url).includes('/search/issues') && ++searches === 2) change()
    })
    // Items GitHub answered over all pages, repeats included: proves the shift happened.
    let answered = 0
    octokit.hook.after('request', (response) => {
      const data = response.data as { items?: unknown[] }
      answered += data.items?.length ?? 0
    })
    shifting.log.reset()
    const windows = await collect(
      searchWindows(octokit, log, {
        query,
        field: 'updated',
        from: new Date(T0 + 2 * MINUTE),
        to: new Date(T0 + 2 * 24 * 60 * MINUTE)
      })
    )
    return { windows, log, answered }
  }

  it('an item entering the window between pages repeats one across them: kept once, the window complete', async () => {
    // Issue 1 (updated at 00:01, before the window) is commented on: it
    // enters the window at the front, and page 2 starts one item earlier.
    const { windows, answered } = await readShifting('repo:acme/b', () =>
      shifting.world.comment('b', 1, { user: 'dev-2', body: 'late' })
    )
    expect(windows).toHaveLength(1)
    const ids = windows[0].items.map((i) => i.id)
    expect(windows[0].totalCount).toBe(149)
    expect(answered).toBe(150) // 100 + 50: the item at the boundary twice
    expect(ids).toHaveLength(149)
    expect(new Set(ids).size).toBe(149)
    expect(windows[0].complete).toBe(true)
    expect(shifting.log.billable({ route: '/search/issues' })).toBe(2)
  })

  it('an item leaving the window between pages hides one: fewer than total_count, the window incomplete', async () => {
    // Issue 2 (on page 1) is closed: it leaves `is:open`, and page 2 starts
    // one item later, so the item at the boundary is never answered.
    const { windows, log, answered } = await readShifting('repo:acme/b is:open', () =>
      shifting.world.close('b', 2, { actor: 'dev-2' })
    )
    expect(windows).toHaveLength(1)
    expect(windows[0].totalCount).toBe(150)
    expect(answered).toBe(149) // 100 + 49
    expect(windows[0].items).toHaveLength(149)
    expect(windows[0].complete).toBe(false)
    expect(log.lines.join('\n')).toMatch(/149 distinct results of the 150 counted .* the window counts as incomplete/)
    expect(shifting.log.billable({ route: '/search/issues' })).toBe(2)
  })
})
