// Transferred issues (301 in both Location forms, or 404 when unreadable),
// deleted issues (410), renamed repositories (301 to /repositories/{id}).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSim, World, type Sim } from '../../sim/index.js'
import { get } from './helpers.js'

let sim: Sim
let w: World

beforeAll(async () => {
  w = new World({ org: 'acme' })
  w.createRepo('from')
  w.createRepo('to')
  w.createRepo('hidden', { private: true })
  w.createRepo('old-name')
  for (let k = 0; k < 5; k++) w.openIssue('from', { title: `i${k}` })
  w.openIssue('old-name', { title: 'in renamed repo' })
  w.comment('from', 1, { user: 'dev-1', body: 'travels with the issue' })
  w.transfer('from', 1, 'to', 'dev-1')
  w.transfer('from', 2, 'hidden', 'dev-1')
  w.deleteIssue('from', 3)
  w.renameRepo('old-name', 'new-name')
  sim = await startSim({
    world: w,
    tokens: { pat: { kind: 'pat' }, gh: { kind: 'github_token', repos: ['from', 'to'] } }
  })
})
afterAll(() => sim?.close())

const pat = { authorization: 'token pat' }

describe('transferred issues', () => {
  it('301 with Location in /repos form and a JSON body', async () => {
    w.config.transferRedirect = 'repos'
    const r = await get(sim, '/repos/acme/from/issues/1', pat)
    expect(r.status).toBe(301)
    expect(r.headers.location).toBe(`${sim.url}/repos/acme/to/issues/1`)
    expect(r.json).toMatchObject({ message: 'Moved Permanently', url: r.headers.location })
    const target = await get(sim, r.headers.location, pat)
    expect(target.status).toBe(200)
    expect(target.json.title).toBe('i0')
    expect(target.json.id).not.toBe(w.repo('from').issues.get(1)!.id)
  })

  it('301 with Location in /repositories/{id} form, sub-resources and query kept', async () => {
    w.config.transferRedirect = 'repositories'
    const r = await get(sim, '/repos/acme/from/issues/1/timeline?per_page=5', pat)
    expect(r.status).toBe(301)
    expect(r.headers.location).toBe(`${sim.url}/repositories/${w.repo('to').id}/issues/1/timeline?per_page=5`)
    const tl = await get(sim, r.headers.location, pat)
    expect(tl.status).toBe(200)
    expect(tl.json.map((t: { event: string }) => t.event)).toEqual(['commented', 'transferred'])
    w.config.transferRedirect = 'repos'
  })

  it('fetch follows the redirect transparently (as Octokit does)', async () => {
    const res = await fetch(`${sim.url}/repos/acme/from/issues/1`, { headers: pat })
    expect(res.status).toBe(200)
    expect(res.redirected).toBe(true)
  })

  it('is 301 for a token that can read the target, 404 for one that cannot', async () => {
    expect((await get(sim, '/repos/acme/from/issues/2', pat)).status).toBe(301)
    expect((await get(sim, '/repos/acme/from/issues/2', { authorization: 'token gh' })).status).toBe(404)
    expect((await get(sim, '/repos/acme/from/issues/1', { authorization: 'token gh' })).status).toBe(301)
  })

  it('drops the old number from lists', async () => {
    const list = await get(sim, '/repos/acme/from/issues?state=all', pat)
    expect(list.json.map((i: { number: number }) => i.number).sort()).toEqual([4, 5])
  })
})

describe('gone and missing', () => {
  it('410 for a deleted issue and its sub-resources', async () => {
    for (const p of ['', '/timeline', '/events', '/comments']) {
      const r = await get(sim, `/repos/acme/from/issues/3${p}`, pat)
      expect(r.status).toBe(410)
      expect(r.json.message).toBe('This issue was deleted')
    }
  })
  it('404 for unknown repos, issues, orgs and routes', async () => {
    for (const p of [
      '/repos/acme/none',
      '/repos/acme/from/issues/99',
      '/repos/other/from',
      '/orgs/other/repos',
      '/nothing/here',
      '/repos/acme/from/pulls/4'
    ]) {
      const r = await get(sim, p, pat)
      expect(r.status, p).toBe(404)
      expect(r.json).toMatchObject({ message: 'Not Found' })
      expect(r.json.documentation_url).toMatch(/^https:\/\/docs\.github\.com/)
    }
  })
})

describe('renamed repositories', () => {
  it('301 from the old name to /repositories/{id}, keeping the rest of the path', async () => {
    const id = w.repo('new-name').id
    const r = await get(sim, '/repos/acme/old-name/issues?state=all', pat)
    expect(r.status).toBe(301)
    expect(r.headers.location).toBe(`${sim.url}/repositories/${id}/issues?state=all`)
    const follow = await get(sim, r.headers.location, pat)
    expect(follow.status).toBe(200)
    expect(follow.json[0].repository_url).toBe(`${sim.url}/repos/acme/new-name`)
    expect((await get(sim, '/repos/acme/old-name', pat)).headers.location).toBe(`${sim.url}/repositories/${id}`)
    expect(sim.log.count({ route: '/repositories/{id}/issues' })).toBe(1)
  })
})
