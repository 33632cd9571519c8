// Link headers, the deep-page 422 with working cursor links, and the
// since/sort/direction parameters of the issues list.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSim, World, type Sim } from '../../sim/index.js'
import { get, links } from './helpers.js'

let sim: Sim
const R = '/repos/acme/app'

beforeAll(async () => {
  const w = new World({ org: 'acme', now: '2025-01-01T00:00:00Z', config: { issuesMaxPage: 3 } })
  w.createRepo('app')
  for (let k = 1; k <= 25; k++) {
    w.advance({ hours: 1 })
    w.openIssue('app', { title: `Issue ${k}`, user: 'dev-1', isPull: k % 5 === 0 })
  }
  for (let k = 0; k < 7; k++) {
    w.advance({ minutes: 1 })
    w.comment('app', 3, { user: 'dev-2', body: `c${k}` })
  }
  sim = await startSim({ world: w })
})
afterAll(() => sim?.close())

describe('page-number pagination', () => {
  it('gives next/last on the first page and prev/first later, with absolute URLs', async () => {
    const p1 = await get(sim, `${R}/issues?state=all&per_page=10`)
    const l1 = links(p1.headers.link)
    expect(Object.keys(l1).sort()).toEqual(['last', 'next'])
    expect(l1.next).toBe(`${sim.url}${R}/issues?state=all&per_page=10&page=2`)
    expect(l1.last).toBe(`${sim.url}${R}/issues?state=all&per_page=10&page=3`)
    const p2 = await get(sim, l1.next)
    expect(Object.keys(links(p2.headers.link)).sort()).toEqual(['first', 'last', 'next', 'prev'])
    const p3 = await get(sim, l1.last)
    const l3 = links(p3.headers.link)
    expect(Object.keys(l3).sort()).toEqual(['first', 'prev'])
    expect(p3.json).toHaveLength(5)
    const numbers = [...p1.json, ...p2.json, ...p3.json].map((i: { number: number }) => i.number)
    expect(numbers).toEqual(Array.from({ length: 25 }, (_, k) => 25 - k))
  })

  it('has no Link header when everything fits on one page', async () => {
    const r = await get(sim, `${R}/issues?state=all&per_page=100`)
    expect(r.headers.link).toBeUndefined()
    expect(r.json).toHaveLength(25)
  })

  it('paginates timelines with rel="last"', async () => {
    const r = await get(sim, `${R}/issues/3/timeline?per_page=3`)
    expect(links(r.headers.link).last).toBe(`${sim.url}${R}/issues/3/timeline?per_page=3&page=3`)
    const last = await get(sim, links(r.headers.link).last)
    expect(last.json).toHaveLength(1)
  })
})

describe('deep pages on the issues list', () => {
  it('answers 422 past the page limit while the cursor next link keeps working', async () => {
    const deep = await get(sim, `${R}/issues?state=all&per_page=2&page=4`)
    expect(deep.status).toBe(422)
    expect(deep.json.message).toMatch(/cursor based pagination/)

    // Walk the Link headers from page 1: page numbers up to the limit, then cursors.
    const seen: number[] = []
    let url: string | undefined = `${sim.url}${R}/issues?state=all&per_page=2`
    const kinds: string[] = []
    while (url) {
      const r = await get(sim, url)
      expect(r.status).toBe(200)
      seen.push(...r.json.map((i: { number: number }) => i.number))
      url = links(r.headers.link).next
      if (url) kinds.push(new URL(url).searchParams.has('after') ? 'cursor' : 'page')
    }
    expect(seen).toEqual(Array.from({ length: 25 }, (_, k) => 25 - k))
    expect(kinds.slice(0, 2)).toEqual(['page', 'page'])
    expect(kinds.slice(2).every((k) => k === 'cursor')).toBe(true)
  })

  it('omits rel="last" when the last page is beyond the limit', async () => {
    const r = await get(sim, `${R}/issues?state=all&per_page=2`)
    expect(links(r.headers.link).last).toBeUndefined()
  })

  it('cursor pages offer prev links (before=)', async () => {
    const first = await get(sim, `${R}/issues?state=all&per_page=2&page=3`)
    const next = links(first.headers.link).next
    const r = await get(sim, next)
    const prev = links(r.headers.link).prev
    expect(new URL(prev).searchParams.has('before')).toBe(true)
    const back = await get(sim, prev)
    expect(back.json.map((i: { number: number }) => i.number)).toEqual(
      first.json.map((i: { number: number }) => i.number)
    )
  })
})

describe('since, sort and direction', () => {
  it('defaults to open issues, created desc', async () => {
    const r = await get(sim, `${R}/issues?per_page=100`)
    expect(r.json.every((i: { state: string }) => i.state === 'open')).toBe(true)
    expect(r.json[0].number).toBe(25)
  })
  it('includes pull requests, each with a pull_request object carrying merged_at', async () => {
    const r = await get(sim, `${R}/issues?state=all&per_page=100`)
    const prs = r.json.filter((i: { pull_request?: unknown }) => i.pull_request)
    expect(prs).toHaveLength(5)
    expect(prs[0].pull_request).toHaveProperty('merged_at', null)
  })
  it('filters by since (updated at or after) and sorts by updated asc', async () => {
    sim.world.advance({ hours: 1 })
    const cutoff = sim.world.now().toISOString()
    sim.world.label('app', 7, 'bug', 'dev-1')
    sim.world.advance({ minutes: 5 })
    sim.world.comment('app', 2, { user: 'dev-1', body: 'later' })
    const r = await get(sim, `${R}/issues?state=all&since=${cutoff}&sort=updated&direction=asc`)
    expect(r.json.map((i: { number: number }) => i.number)).toEqual([7, 2])
    const desc = await get(sim, `${R}/issues?state=all&since=${cutoff}&sort=updated&direction=desc`)
    expect(desc.json.map((i: { number: number }) => i.number)).toEqual([2, 7])
  })
  it('sorts by comments and filters by labels', async () => {
    const r = await get(sim, `${R}/issues?state=all&sort=comments&per_page=1`)
    expect(r.json[0].number).toBe(3)
    const l = await get(sim, `${R}/issues?state=all&labels=bug`)
    expect(l.json.map((i: { number: number }) => i.number)).toEqual([7])
  })
  it('rejects an unparsable since with 422', async () => {
    expect((await get(sim, `${R}/issues?since=yesterday`)).status).toBe(422)
  })
  it('filters issue comments by since', async () => {
    const all = await get(sim, `${R}/issues/3/comments`)
    expect(all.json).toHaveLength(7)
    const since = all.json[5].updated_at
    const some = await get(sim, `${R}/issues/3/comments?since=${since}`)
    expect(some.json).toHaveLength(2)
    const repoWide = await get(sim, `${R}/issues/comments?since=${since}&sort=updated&direction=desc`)
    expect(repoWide.json[0].body).toBe('later')
  })
})
