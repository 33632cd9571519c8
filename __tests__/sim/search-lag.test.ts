// config.searchLagMs: search shows an issue as it was before the changes
// made within the lag, a new one not at all, until the world clock passes
// the lag; lists and single issues never lag. Default 0: no lag.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { startSim, World, type Sim } from '../../sim/index.js'
import { get, type AnyJson } from './helpers.js'

let sim: Sim
const MIN = 60_000
const LAG = 10 * MIN

beforeAll(async () => {
  sim = await startSim({ world: new World({ org: 'acme', now: '2025-01-01T00:00:00Z' }), budget: { search: 1000 } })
})
beforeEach(() => {
  // One world; each test works in repositories of its own.
  sim.world.config.searchLagMs = 0
})
afterAll(() => sim?.close())

function lagging(lag = LAG): World {
  const w = sim.world
  w.config.searchLagMs = lag
  return w
}

async function search(q: string): Promise<{ total: number; items: AnyJson[] }> {
  const r = await get(sim, `/search/issues?q=${encodeURIComponent(q)}&per_page=100`)
  expect(r.status, r.text).toBe(200)
  return { total: r.json.total_count, items: r.json.items }
}

describe('search index lag', () => {
  it('finds a new issue only once it is older than the lag; lists and the issue itself have it at once', async () => {
    const w = lagging()
    w.createRepo('new-1')
    const i = w.openIssue('new-1', { title: 'Fresh one' })
    expect((await search('repo:acme/new-1')).total).toBe(0)
    expect((await get(sim, '/repos/acme/new-1/issues')).json).toHaveLength(1)
    expect((await get(sim, `/repos/acme/new-1/issues/${i.number}`)).status).toBe(200)
    w.advance(LAG - 1000)
    expect((await search('repo:acme/new-1')).total).toBe(0)
    w.advance(1000)
    expect((await search('repo:acme/new-1')).items.map((x) => x.title)).toEqual(['Fresh one'])
  })

  it('shows a changed issue as it was before the change: old labels, state, title and updated_at', async () => {
    const w = lagging(0)
    w.createRepo('chg')
    w.openIssue('chg', { title: 'Before' })
    const before = (await search('repo:acme/chg')).items[0]
    w.advance(MIN)
    w.config.searchLagMs = LAG
    w.label('chg', 1, 'bug', 'dev-1')
    w.editIssue('chg', 1, { title: 'After', actor: 'dev-1' })
    w.close('chg', 1, { actor: 'dev-1' })
    const stale = await search('repo:acme/chg')
    expect(stale.items[0]).toMatchObject({ title: 'Before', state: 'open', updated_at: before.updated_at, labels: [] })
    // Qualifiers match the indexed state too: the change cannot be found by what changed.
    expect((await search('repo:acme/chg label:bug')).total).toBe(0)
    expect((await search(`repo:acme/chg updated:>=${w.now().toISOString().slice(0, 19)}Z`)).total).toBe(0)
    expect((await search('repo:acme/chg is:closed')).total).toBe(0)
    expect((await get(sim, '/repos/acme/chg/issues/1')).json.state).toBe('closed')
    w.advance(LAG)
    const caught = (await search('repo:acme/chg label:bug is:closed')).items
    expect(caught.map((x) => x.title)).toEqual(['After'])
  })

  it('moves through intermediate states: each change becomes visible one lag after it was made', async () => {
    const w = lagging(0)
    w.createRepo('steps')
    w.openIssue('steps', { title: 'v0' })
    w.config.searchLagMs = LAG
    w.advance(MIN)
    w.editIssue('steps', 1, { title: 'v1' })
    w.advance(5 * MIN)
    w.editIssue('steps', 1, { title: 'v2' })
    const title = async (): Promise<string> => (await search('repo:acme/steps')).items[0].title
    expect(await title()).toBe('v0')
    w.advance(5 * MIN) // 10 min after v1, 5 after v2
    expect(await title()).toBe('v1')
    w.advance(5 * MIN)
    expect(await title()).toBe('v2')
  })

  it('keeps finding a transferred issue at its old place, and the moved one only after the lag', async () => {
    const w = lagging(0)
    w.createRepo('from')
    w.createRepo('to')
    w.openIssue('from', { title: 'Moving' })
    w.config.searchLagMs = LAG
    w.advance(MIN)
    w.transfer('from', 1, 'to', 'dev-1')
    expect((await search('repo:acme/from')).total).toBe(1)
    expect((await search('repo:acme/to')).total).toBe(0)
    w.advance(LAG)
    expect((await search('repo:acme/from')).total).toBe(0)
    expect((await search('repo:acme/to')).total).toBe(1)
  })

  it('is off by default and then records nothing', async () => {
    const w = lagging(0)
    w.createRepo('nolag')
    w.openIssue('nolag', { title: 'x' })
    expect((await search('repo:acme/nolag')).total).toBe(1)
    expect([...w.searchPending.keys()].some((i) => i.repo.name === 'nolag')).toBe(false)
    expect(new World().config.searchLagMs).toBe(0)
  })
})
