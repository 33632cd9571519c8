// /search/issues: qualifiers, date ranges, sort/order, the 1,000-result cap,
// incomplete_results and the search bucket.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSim, World, type Sim } from '../../sim/index.js'
import { get, links, type AnyJson } from './helpers.js'

let sim: Sim
const HOUR = 3_600_000
const T0 = Date.parse('2025-01-01T00:00:00Z')

beforeAll(async () => {
  const w = new World({ org: 'acme', now: T0 })
  w.createRepo('a')
  w.createRepo('b')
  // a: issues #1-#10 one per hour from 01:00; b: PRs #1-#6, hourly from 2025-01-02T01:00.
  for (let k = 1; k <= 10; k++) {
    w.setNow(T0 + k * HOUR)
    w.openIssue('a', { title: k % 2 ? 'Odd widget bug' : 'Even gadget', user: 'dev-1' })
  }
  for (let k = 1; k <= 6; k++) {
    w.setNow(T0 + 24 * HOUR + k * HOUR)
    w.openIssue('b', { title: `PR ${k}`, user: 'dev-2', isPull: true })
  }
  w.setNow(T0 + 48 * HOUR)
  w.close('a', 1, { actor: 'dev-1' })
  w.close('a', 2, { actor: 'dev-1', reason: 'not_planned' })
  w.merge('b', 1, 'dev-1')
  w.merge('b', 2, 'dev-1')
  w.close('b', 3, { actor: 'dev-1' })
  w.setNow(T0 + 72 * HOUR)
  sim = await startSim({ world: w, budget: { search: 1000 } })
})
afterAll(() => sim?.close())

async function search(
  q: string,
  extra = ''
): Promise<{ total: number; numbers: string[]; json: AnyJson; headers: Record<string, string> }> {
  const r = await get(sim, `/search/issues?q=${encodeURIComponent(q)}&per_page=100${extra}`)
  expect(r.status, `${q}: ${r.text}`).toBe(200)
  const numbers = r.json.items.map(
    (i: { repository_url: string; number: number }) => `${i.repository_url.split('/').pop()}#${i.number}`
  )
  return { total: r.json.total_count, numbers, json: r.json, headers: r.headers }
}

describe('qualifiers', () => {
  it('org:, repo:, is:issue|pr', async () => {
    expect((await search('org:acme')).total).toBe(16)
    expect((await search('org:other')).total).toBe(0)
    expect((await search('repo:acme/b')).total).toBe(6)
    expect((await search('org:acme is:issue')).total).toBe(10)
    expect((await search('org:acme is:pr')).total).toBe(6)
    expect((await search('org:acme type:pr')).total).toBe(6)
  })
  it('is:open|closed, state:, is:merged|unmerged', async () => {
    expect((await search('org:acme is:closed')).total).toBe(5)
    expect((await search('org:acme state:open')).total).toBe(11)
    expect((await search('org:acme is:pr is:merged')).numbers.sort()).toEqual(['b#1', 'b#2'])
    expect((await search('org:acme is:pr is:unmerged')).numbers).toEqual(['b#3'])
  })
  it('created: with >, >=, <, <=, ranges, * and date-times', async () => {
    expect((await search('repo:acme/a created:>=2025-01-01T05:00:00Z')).total).toBe(6)
    expect((await search('repo:acme/a created:>2025-01-01T05:00:00Z')).total).toBe(5)
    expect((await search('repo:acme/a created:<2025-01-01T05:00:00Z')).total).toBe(4)
    expect((await search('repo:acme/a created:<=2025-01-01T05:00:00Z')).total).toBe(5)
    expect((await search('repo:acme/a created:2025-01-01T03:00:00Z..2025-01-01T06:00:00Z')).total).toBe(4)
    expect((await search('org:acme created:2025-01-02..*')).total).toBe(6)
    expect((await search('org:acme created:*..2025-01-01')).total).toBe(10)
    expect((await search('org:acme created:>2025-01-01')).total).toBe(6)
    expect((await search('org:acme created:2025-01-01')).total).toBe(10)
    expect((await search('org:acme created:<=2025-01-01')).total).toBe(10)
  })
  it('updated: and closed:', async () => {
    expect((await search('org:acme closed:>=2025-01-03')).total).toBe(5)
    expect((await search('org:acme updated:>=2025-01-03T00:00:00Z')).total).toBe(5)
    expect((await search('org:acme closed:<2025-01-03')).total).toBe(0)
  })
  it('free text matches titles', async () => {
    expect((await search('repo:acme/a widget')).total).toBe(5)
  })
  it('rejects unknown qualifiers and bad dates with 422', async () => {
    expect((await get(sim, '/search/issues?q=org:acme+created:>soon')).status).toBe(422)
    expect((await get(sim, '/search/issues')).status).toBe(422)
  })
})

describe('sort and order', () => {
  it('sorts by created asc/desc and by updated', async () => {
    expect((await search('repo:acme/a', '&sort=created&order=asc')).numbers.slice(0, 3)).toEqual(['a#1', 'a#2', 'a#3'])
    expect((await search('repo:acme/a', '&sort=created&order=desc')).numbers.slice(0, 3)).toEqual([
      'a#10',
      'a#9',
      'a#8'
    ])
    expect((await search('org:acme', '&sort=updated&order=desc')).numbers.slice(0, 5).sort()).toEqual([
      'a#1',
      'a#2',
      'b#1',
      'b#2',
      'b#3'
    ])
  })
  it('takes a sort: qualifier in q, unless the sort parameter is given', async () => {
    expect((await search('repo:acme/a sort:created-asc')).numbers.slice(0, 2)).toEqual(['a#1', 'a#2'])
    expect((await search('repo:acme/a sort:created')).numbers.slice(0, 2)).toEqual(['a#10', 'a#9'])
    expect((await search('repo:acme/a sort:updated-desc')).numbers.slice(0, 2).sort()).toEqual(['a#1', 'a#2'])
    expect((await search('repo:acme/a sort:created-asc', '&sort=created&order=desc')).numbers[0]).toBe('a#10')
    expect((await get(sim, `/search/issues?q=${encodeURIComponent('repo:acme/a sort:stars')}`)).status).toBe(422)
  })

  it('renders issue-search-result items with a score and pull_request for PRs', async () => {
    const r = await search('repo:acme/b is:merged')
    expect(r.json.items[0].score).toBe(1)
    expect(r.json.items[0].pull_request.merged_at).toBeTruthy()
  })
})

describe('limits of search', () => {
  it('reports incomplete_results when injected', async () => {
    sim.faults.incompleteResults(1)
    expect((await search('org:acme')).json.incomplete_results).toBe(true)
    expect((await search('org:acme')).json.incomplete_results).toBe(false)
  })

  it('serves at most 1,000 results and answers 422 beyond', async () => {
    const w = sim.world
    w.createRepo('big')
    for (let k = 0; k < 1100; k++) w.openIssue('big', { title: `n${k}`, user: 'dev-3' })
    const first = await get(sim, '/search/issues?q=repo:acme/big&per_page=100')
    expect(first.json.total_count).toBe(1100)
    expect(links(first.headers.link).last).toContain('page=10')
    const tenth = await get(sim, '/search/issues?q=repo:acme/big&per_page=100&page=10')
    expect(tenth.status).toBe(200)
    expect(tenth.json.items).toHaveLength(100)
    expect(links(tenth.headers.link).next).toBeUndefined()
    const beyond = await get(sim, '/search/issues?q=repo:acme/big&per_page=100&page=11')
    expect(beyond.status).toBe(422)
    expect(beyond.json.message).toBe('Only the first 1000 search results are available')
  })

  it('counts search requests in their own bucket', async () => {
    sim.limits.reset()
    const r = await get(sim, '/search/issues?q=org:acme')
    expect(r.headers['x-ratelimit-resource']).toBe('search')
    expect(r.headers['x-ratelimit-used']).toBe('1')
    const core = await get(sim, '/repos/acme/a')
    expect(core.headers['x-ratelimit-resource']).toBe('core')
    expect(core.headers['x-ratelimit-used']).toBe('1')
  })
})
