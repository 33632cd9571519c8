// The simulator's answers for the edge cases the sync must survive: a
// repository deleted, the world changing between the pages of a walk,
// repositories with issues turned off, and account lookups by login.
import { afterEach, describe, expect, it } from 'vitest'
import { startSim, World, type Sim } from '../../sim/index.js'
import { get } from './helpers.js'
import { gql, gqlData } from './graphql-helpers.js'

let sim: Sim | undefined
afterEach(async () => {
  await sim?.close()
  sim = undefined
})

function world(): World {
  const w = new World({ org: 'acme', now: '2025-01-01T00:00:00Z' })
  w.createRepo('app')
  w.createRepo('docs')
  w.openIssue('app', { title: 'Bug', user: 'dev-1' })
  w.openIssue('app', { title: 'Fix', user: 'dev-2', isPull: true })
  w.addMember('dev-1')
  return w
}

describe('deleted repositories', () => {
  it('answer 404 by name and by id, and leave the listings, search and node lookups', async () => {
    const w = world()
    sim = await startSim({ world: w })
    const app = w.repo('app')
    w.deleteRepo('app')
    expect((await get(sim, '/repos/acme/app')).status).toBe(404)
    expect((await get(sim, `/repositories/${app.id}`)).status).toBe(404)
    expect((await get(sim, '/repos/acme/app/issues/1')).status).toBe(404)
    expect((await get(sim, '/orgs/acme/repos?per_page=100')).json.map((r: { name: string }) => r.name)).toEqual([
      'docs'
    ])
    expect((await get(sim, '/search/issues?q=org:acme')).json.total_count).toBe(0)
    const r = await gql(sim, `query($id: ID!) { node(id: $id) { id } }`, {
      id: `R_kwDO${Buffer.from(String(app.id)).toString('base64url')}`
    })
    expect(r.data.node).toBeNull()
    expect(r.errors?.[0].type).toBe('NOT_FOUND')
  })
})

describe('faults.onNth runs a change of the world before the n-th matching request', () => {
  it('between page 1 and page 2 of a listing', async () => {
    const w = new World({ org: 'acme', now: '2025-01-01T00:00:00Z' })
    for (let k = 0; k < 4; k++) {
      w.createRepo(`r${k}`)
      w.advance({ minutes: 1 })
    }
    sim = await startSim({ world: w })
    let ran = 0
    sim.faults.onNth({ route: '/orgs/{org}/repos' }, 2, () => {
      ran++
      w.deleteRepo('r3') // the newest: on page 1, already read
    })
    const p1 = await get(sim, '/orgs/acme/repos?per_page=2&page=1')
    expect(ran).toBe(0)
    const p2 = await get(sim, '/orgs/acme/repos?per_page=2&page=2')
    expect(ran).toBe(1)
    // r1 shifted onto page 1 after it was read: a walk by page numbers never sees it.
    expect([...p1.json, ...p2.json].map((r: { name: string }) => r.name)).toEqual(['r3', 'r2', 'r0'])
    expect(p2.status).toBe(200)
    expect(sim.log.entries.every((e) => e.fault === undefined)).toBe(true)
  })
})

describe('repositories with issues turned off', () => {
  it('answer 410 on issue routes, serve pull requests, and hide their issues from search and GraphQL', async () => {
    const w = world()
    w.setHasIssues('app', false)
    sim = await startSim({ world: w })
    for (const path of [
      '/repos/acme/app/issues?state=all',
      '/repos/acme/app/issues/1',
      '/repos/acme/app/issues/2',
      '/repos/acme/app/issues/2/timeline',
      '/repos/acme/app/issues/2/comments',
      '/repos/acme/app/issues/events'
    ]) {
      const r = await get(sim, path)
      expect(r.status, path).toBe(410)
      expect(r.json.message).toBe('Issues are disabled for this repo')
    }
    expect((await get(sim, '/repos/acme/app/pulls?state=all')).json.map((p: { number: number }) => p.number)).toEqual([
      2
    ])
    expect((await get(sim, '/repos/acme/app/pulls/2')).status).toBe(200)
    expect((await get(sim, '/repos/acme/app')).json.has_issues).toBe(false)
    expect((await get(sim, '/repos/acme/docs')).json.has_issues).toBe(true)
    const found = (await get(sim, '/search/issues?q=repo:acme/app')).json
    expect(found.items.map((i: { number: number }) => i.number)).toEqual([2])
    const data = await gqlData(
      sim,
      `{ repository(owner: "acme", name: "app") { hasIssuesEnabled issues(first: 10) { totalCount } pullRequests(first: 10) { totalCount } } }`
    )
    expect(data.repository).toEqual({
      hasIssuesEnabled: false,
      issues: { totalCount: 0 },
      pullRequests: { totalCount: 1 }
    })
  })
})

describe('accounts by login', () => {
  it('GET /users/{username} answers users and the org; repositoryOwner names a user too', async () => {
    sim = await startSim({ world: world() })
    expect((await get(sim, '/users/dev-1')).json).toMatchObject({ login: 'dev-1', type: 'User' })
    expect((await get(sim, '/users/acme')).json).toMatchObject({ login: 'acme', type: 'Organization' })
    expect((await get(sim, '/users/nobody')).status).toBe(404)
    expect((await get(sim, '/orgs/dev-1/repos')).status).toBe(404)
    const data = await gql(
      sim,
      `{ a: repositoryOwner(login: "dev-1") { __typename login } b: repositoryOwner(login: "acme") { __typename } c: repositoryOwner(login: "nobody") { __typename } }`
    )
    expect(data.data).toEqual({ a: { __typename: 'User', login: 'dev-1' }, b: { __typename: 'Organization' }, c: null })
  })
})
