// ETags on every 200 GET; If-None-Match → 304, not billed; ETags change
// exactly when the body changes (for one token: see etag-scope.test.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSim, World, type Sim } from '../../sim/index.js'
import { get } from './helpers.js'

let sim: Sim
const R = '/repos/acme/app'
let commentId: number

beforeAll(async () => {
  const w = new World({ org: 'acme', now: '2025-01-01T00:00:00Z' })
  w.createRepo('app')
  w.addMember('dev-1')
  w.openIssue('app', { title: 'One', user: 'dev-1' })
  commentId = w.comment('app', 1, { user: 'dev-2', body: 'first' }).id
  w.comment('app', 1, { user: 'dev-2', body: 'second' })
  sim = await startSim({ world: w })
})
afterAll(() => sim?.close())

const etag = async (path: string): Promise<string> => {
  const r = await get(sim, path)
  expect(r.status).toBe(200)
  expect(r.headers.etag).toMatch(/^W\/"[0-9a-f]{64}"$/)
  return r.headers.etag
}

describe('conditional requests', () => {
  it('answers 304 to a matching If-None-Match without billing it', async () => {
    const first = await get(sim, `${R}/issues/1`)
    const before = sim.log.billable()
    const remaining = Number(first.headers['x-ratelimit-remaining'])
    const again = await get(sim, `${R}/issues/1`, { 'if-none-match': first.headers.etag })
    expect(again.status).toBe(304)
    expect(again.text).toBe('')
    expect(Number(again.headers['x-ratelimit-remaining'])).toBe(remaining)
    expect(sim.log.billable()).toBe(before)
    expect(sim.log.notModified({ route: '/repos/{owner}/{repo}/issues/{issue_number}' })).toBe(1)
    // The strong form of the same tag matches too; a different tag does not.
    expect((await get(sim, `${R}/issues/1`, { 'if-none-match': first.headers.etag.slice(2) })).status).toBe(304)
    expect((await get(sim, `${R}/issues/1`, { 'if-none-match': 'W/"nope"' })).status).toBe(200)
  })

  it('keeps ETags while nothing changes, even as the clock moves', async () => {
    const paths = [`${R}/issues/1`, `${R}/issues/1/timeline`, `${R}/issues?state=all`, '/orgs/acme/members']
    const before = await Promise.all(paths.map(etag))
    sim.world.advance({ days: 3 })
    expect(await Promise.all(paths.map(etag))).toEqual(before)
  })

  it('changes exactly the ETags of bodies a mutation changes', async () => {
    const paths = {
      issue: `${R}/issues/1`,
      timeline: `${R}/issues/1/timeline`,
      comments: `${R}/issues/1/comments`,
      list: `${R}/issues?state=all`,
      members: '/orgs/acme/members'
    }
    const snap = async (): Promise<Record<string, string>> =>
      Object.fromEntries(await Promise.all(Object.entries(paths).map(async ([k, p]) => [k, await etag(p)])))
    const changed = (a: Record<string, string>, b: Record<string, string>): string[] =>
      Object.keys(a)
        .filter((k) => a[k] !== b[k])
        .sort()

    let s0 = await snap()
    // A reaction on a comment: only bodies that render that comment.
    sim.world.react('app', { commentId }, 'heart', 'dev-3')
    let s1 = await snap()
    expect(changed(s0, s1)).toEqual(['comments', 'timeline'])

    // Editing a comment: its body and updated_at, but not the issue (GitHub keeps issue updated_at).
    s0 = s1
    sim.world.advance({ minutes: 1 })
    sim.world.editComment('app', commentId, 'edited')
    s1 = await snap()
    expect(changed(s0, s1)).toEqual(['comments', 'timeline'])

    // A reaction on the issue body: the issue's rollup, not its updated_at.
    s0 = s1
    const updatedBefore = (await get(sim, paths.issue)).json.updated_at
    sim.world.react('app', 1, 'rocket', 'dev-3')
    s1 = await snap()
    expect(changed(s0, s1)).toEqual(['issue', 'list'])
    expect((await get(sim, paths.issue)).json.updated_at).toBe(updatedBefore)

    // A label: issue, list and timeline.
    s0 = s1
    sim.world.advance({ minutes: 1 })
    sim.world.label('app', 1, 'bug', 'dev-1')
    s1 = await snap()
    expect(changed(s0, s1)).toEqual(['issue', 'list', 'timeline'])

    // Membership.
    s0 = s1
    sim.world.addMember('dev-9')
    s1 = await snap()
    expect(changed(s0, s1)).toEqual(['members'])
  })

  it('keeps a full first timeline page unchanged when items are added to later pages', async () => {
    const p1 = await get(sim, `${R}/issues/1/timeline?per_page=2`)
    sim.world.advance({ minutes: 1 })
    sim.world.comment('app', 1, { user: 'dev-2', body: 'third' })
    const again = await get(sim, `${R}/issues/1/timeline?per_page=2`, { 'if-none-match': p1.headers.etag })
    // As on GitHub: the ETag covers the body (and the credentials), so page 1 stays 304 though the last page grew.
    expect(again.status).toBe(304)
  })
})
