// ETags scoped to the credentials as on github.com (a 304 needs the token
// that got the ETag), the body-only switch, and Last-Modified /
// If-Modified-Since on single resources, which work across tokens.
import { createHash } from 'node:crypto'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { startSim, World, type Sim } from '../../sim/index.js'
import { get } from './helpers.js'

let sim: Sim
const R = '/repos/acme/app'
const as = (token: string, extra: Record<string, string> = {}) => ({ authorization: `token ${token}`, ...extra })

beforeAll(async () => {
  const w = new World({ org: 'acme', now: '2025-01-01T00:00:00Z' })
  w.createRepo('app')
  w.openIssue('app', { title: 'One', user: 'dev-1' })
  w.openIssue('app', { title: 'A pull', user: 'dev-1', isPull: true })
  sim = await startSim({ world: w })
})
beforeEach(() => {
  sim.world.config.etagScope = 'token'
  sim.log.reset()
})
afterAll(() => sim?.close())

describe('token-scoped ETags', () => {
  it('are a SHA-256 over Accept, Authorization and the body, as observed on github.com', async () => {
    const r = await get(sim, `${R}/issues/1`, as('t', { accept: 'application/vnd.github+json' }))
    const expected = createHash('sha256').update(`application/vnd.github+json:token t:${r.text}`).digest('hex')
    expect(r.headers.etag).toBe(`W/"${expected}"`)
  })

  it('answer 304 to the token that got them, and 200 (billed) to any other token', async () => {
    const first = await get(sim, `${R}/issues/1`, as('run-1'))
    expect((await get(sim, `${R}/issues/1`, as('run-1', { 'if-none-match': first.headers.etag }))).status).toBe(304)
    const other = await get(sim, `${R}/issues/1`, as('run-2', { 'if-none-match': first.headers.etag }))
    expect(other.status).toBe(200)
    expect(other.text).toBe(first.text)
    expect(other.headers.etag).not.toBe(first.headers.etag)
    expect(sim.log.billable()).toBe(2)
    expect(sim.log.notModified()).toBe(1)
  })

  it('differ by Accept header for the same token', async () => {
    const a = await get(sim, `${R}/issues/1`, as('t', { accept: 'application/json' }))
    const b = await get(sim, `${R}/issues/1`, as('t', { accept: 'application/vnd.github+json' }))
    expect(a.text).toBe(b.text)
    expect(a.headers.etag).not.toBe(b.headers.etag)
  })

  it('never match across the fresh tokens of two runs, but do for one fixed PAT', async () => {
    const fresh = [sim.mintToken('app'), sim.mintToken('app')]
    const e1 = (await get(sim, `${R}/issues?state=all`, as(fresh[0]))).headers.etag
    expect((await get(sim, `${R}/issues?state=all`, as(fresh[1], { 'if-none-match': e1 }))).status).toBe(200)
    const pat = sim.mintToken('pat')
    const e2 = (await get(sim, `${R}/issues?state=all`, as(pat))).headers.etag
    expect((await get(sim, `${R}/issues?state=all`, as(pat, { 'if-none-match': e2 }))).status).toBe(304)
  })

  it("cover the body alone with etagScope 'body' (the old behaviour, for comparison)", async () => {
    sim.world.config.etagScope = 'body'
    const first = await get(sim, `${R}/issues/1`, as('run-1'))
    expect(first.headers.etag).toBe(`W/"${createHash('sha256').update(first.text).digest('hex')}"`)
    expect((await get(sim, `${R}/issues/1`, as('run-2', { 'if-none-match': first.headers.etag }))).status).toBe(304)
  })
})

describe('Last-Modified and If-Modified-Since', () => {
  it('come on single issues, pull requests and repositories, not on lists', async () => {
    const issue = await get(sim, `${R}/issues/1`)
    expect(issue.headers['last-modified']).toBe(new Date(Date.parse(issue.json.updated_at)).toUTCString())
    expect((await get(sim, `${R}/pulls/2`)).headers['last-modified']).toBe(
      new Date(Date.parse('2025-01-01T00:00:00Z')).toUTCString()
    )
    expect((await get(sim, R)).headers['last-modified']).toMatch(/ GMT$/)
    for (const list of [
      `${R}/issues`,
      `${R}/pulls`,
      `${R}/issues/1/timeline`,
      `${R}/issues/1/comments`,
      '/orgs/acme/repos'
    ]) {
      const r = await get(sim, list)
      expect(r.status, list).toBe(200)
      expect(r.headers['last-modified'], list).toBeUndefined()
    }
  })

  it('answer 304, unbilled, to any token while the resource is unchanged; 200 once it changes', async () => {
    const first = await get(sim, `${R}/issues/1`, as(sim.mintToken('app')))
    const since = first.headers['last-modified']
    const again = await get(sim, `${R}/issues/1`, as(sim.mintToken('app'), { 'if-modified-since': since }))
    expect(again.status).toBe(304)
    expect(sim.log.entries.at(-1)).toMatchObject({ notModified: true, billable: false, conditional: 'last-modified' })
    // The date has second precision: a change within the same second is invisible, a later one is not.
    sim.world.advance({ seconds: 1 })
    sim.world.label('app', 1, 'bug', 'dev-1')
    const changed = await get(sim, `${R}/issues/1`, as(sim.mintToken('app'), { 'if-modified-since': since }))
    expect(changed.status).toBe(200)
    expect(changed.headers['last-modified']).not.toBe(since)
  })

  it('follows updated_at, so a reaction (which does not move it) still answers 304', async () => {
    const first = await get(sim, `${R}/issues/1`)
    sim.world.react('app', 1, 'heart', 'dev-2')
    const r = await get(sim, `${R}/issues/1`, { 'if-modified-since': first.headers['last-modified'] })
    expect(r.status).toBe(304)
  })

  it('is ignored when If-None-Match is sent too (RFC 9110): a stale ETag from another token gets 200', async () => {
    const first = await get(sim, `${R}/issues/1`, as('run-1'))
    const r = await get(
      sim,
      `${R}/issues/1`,
      as('run-2', { 'if-none-match': first.headers.etag, 'if-modified-since': first.headers['last-modified'] })
    )
    expect(r.status).toBe(200)
  })

  it('is ignored on lists and when it does not parse', async () => {
    const future = new Date(Date.parse('2030-01-01T00:00:00Z')).toUTCString()
    expect((await get(sim, `${R}/issues`, { 'if-modified-since': future })).status).toBe(200)
    expect((await get(sim, `${R}/issues/1`, { 'if-modified-since': 'yesterday-ish' })).status).toBe(200)
  })
})
