// Every endpoint's responses validate against GitHub's official schemas,
// and timeline items carry real event names and GitHub's id rules.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSim, type Sim } from '../../sim/index.js'
import { TIMELINE_EVENTS, expectValid, get, type AnyJson } from './helpers.js'

let sim: Sim
const O = 'acme'

beforeAll(async () => {
  sim = await startSim({
    generate: { seed: 7, repos: 4, items: 400, members: 10, timeline: { over100: 1, over1000: 0 } }
  })
  const w = sim.world
  w.advance({ hours: 1 })
  // One item of every kind on a fresh issue and PR, so each shape is seen.
  w.createRepo('shapes')
  w.openIssue('shapes', { title: 'Source', user: 'dev-1' })
  const pr = w.openIssue('shapes', {
    title: 'A PR',
    user: 'dev-2',
    isPull: true,
    labels: ['bug'],
    assignees: ['dev-3']
  })
  const c = w.comment('shapes', pr.number, { user: 'dev-1', body: 'hi' })
  w.react('shapes', { commentId: c.id }, 'heart', 'dev-4')
  w.react('shapes', pr.number, '+1', 'dev-4')
  w.label('shapes', pr.number, 'enhancement', 'dev-1')
  w.unlabel('shapes', pr.number, 'bug', 'dev-1')
  w.assign('shapes', pr.number, 'dev-5', 'dev-1')
  w.unassign('shapes', pr.number, 'dev-3', 'dev-1')
  w.review('shapes', pr.number, { user: 'dev-3', state: 'APPROVED', body: 'ok' })
  w.commit('shapes', pr.number, { message: 'fix', actor: 'dev-2' })
  w.crossReference('shapes', pr.number, { actor: 'dev-1', source: { repo: 'shapes', number: 1 } })
  w.editIssue('shapes', pr.number, { title: 'A better PR', actor: 'dev-2' })
  w.merge('shapes', pr.number, 'dev-1')
  w.lock('shapes', pr.number, { actor: 'dev-1', reason: 'resolved' })
  const iss = w.openIssue('shapes', { title: 'Ghost issue', user: null })
  w.close('shapes', iss.number, { actor: 'dev-1', reason: 'not_planned' })
  w.reopen('shapes', iss.number, { actor: 'dev-1' })
  w.comment('shapes', iss.number, { user: null, body: 'from a deleted account' })
  const moved = w.openIssue('shapes', { title: 'Moving' })
  w.transfer('shapes', moved.number, 'api', 'dev-1')
})
afterAll(() => sim?.close())

async function ok(template: string, path: string): Promise<AnyJson> {
  const r = await get(sim, path)
  expect(r.status, path).toBe(200)
  expectValid(template, 200, r.json)
  return r.json
}

describe('responses validate against the official schemas', () => {
  it('the validator itself rejects a wrong shape', () => {
    expect(() => expectValid('#issue', 200, { id: 'x' })).toThrow(/does not match/)
    expect(() => expectValid('#simple-user', 200, { login: 'a', html_url: 'not a uri' })).toThrow(/does not match/)
  })

  it('repositories and members', async () => {
    await ok('/orgs/{org}/repos', `/orgs/${O}/repos?per_page=100`)
    await ok('/repos/{owner}/{repo}', `/repos/${O}/api`)
    await ok('/repos/{owner}/{repo}', `/repositories/${sim.world.repo('api').id}`)
    const members = await ok('/orgs/{org}/members', `/orgs/${O}/members?per_page=100`)
    expect(members.length).toBeGreaterThan(0)
    expect((await get(sim, `/orgs/${O}/members/${members[0].login}`)).status).toBe(204)
    expect((await get(sim, `/orgs/${O}/members/user-1`)).status).toBe(404)
    await ok('/rate_limit', '/rate_limit')
  })

  it('issues, pulls and reviews across all repos', async () => {
    for (const r of sim.world.repos) {
      const issues = await ok('/repos/{owner}/{repo}/issues', `/repos/${O}/${r.name}/issues?state=all&per_page=100`)
      for (const i of issues.slice(0, 30))
        await ok('/repos/{owner}/{repo}/issues/{issue_number}', `/repos/${O}/${r.name}/issues/${i.number}`)
      const pulls = await ok('/repos/{owner}/{repo}/pulls', `/repos/${O}/${r.name}/pulls?state=all&per_page=100`)
      for (const p of pulls.slice(0, 10)) {
        const full = await ok('/repos/{owner}/{repo}/pulls/{pull_number}', `/repos/${O}/${r.name}/pulls/${p.number}`)
        expect(typeof full.merged).toBe('boolean')
        await ok('/repos/{owner}/{repo}/pulls/{pull_number}/reviews', `/repos/${O}/${r.name}/pulls/${p.number}/reviews`)
      }
    }
  })

  it('timelines, events and comments, with GitHub event names and id rules', async () => {
    const seen = new Set<string>()
    for (const r of sim.world.repos) {
      await ok('/repos/{owner}/{repo}/issues/events', `/repos/${O}/${r.name}/issues/events?per_page=100`)
      await ok('/repos/{owner}/{repo}/issues/comments', `/repos/${O}/${r.name}/issues/comments?per_page=100`)
      const live = r.list.filter((x) => !x.deleted && !x.movedTo)
      for (const i of [...live.slice(0, 40), ...live.slice(-5)]) {
        const base = `/repos/${O}/${r.name}/issues/${i.number}`
        const tl = await ok('/repos/{owner}/{repo}/issues/{issue_number}/timeline', `${base}/timeline?per_page=100`)
        for (const t of tl) {
          expect(TIMELINE_EVENTS.has(t.event), t.event).toBe(true)
          seen.add(t.event)
          if (t.event === 'cross-referenced' || t.event === 'committed') expect(t.id).toBeUndefined()
          else expect(typeof t.id).toBe('number')
          if (t.event === 'committed') expect(t.sha).toMatch(/^[0-9a-f]{40}$/)
          if (t.event === 'cross-referenced') expectValid('#issue', 200, t.source.issue)
        }
        const ev = await ok('/repos/{owner}/{repo}/issues/{issue_number}/events', `${base}/events?per_page=100`)
        for (const e of ev) expect(['commented', 'reviewed', 'committed', 'cross-referenced']).not.toContain(e.event)
        await ok('/repos/{owner}/{repo}/issues/{issue_number}/comments', `${base}/comments?per_page=100`)
      }
    }
    for (const e of [
      'commented',
      'reviewed',
      'labeled',
      'unlabeled',
      'assigned',
      'unassigned',
      'closed',
      'reopened',
      'merged',
      'renamed',
      'locked',
      'transferred',
      'cross-referenced',
      'committed'
    ]) {
      expect(seen, e).toContain(e)
    }
  })

  it('search results', async () => {
    const s = await ok('/search/issues', `/search/issues?q=org:${O}+is:pr&per_page=50`)
    expect(s.items.length).toBeGreaterThan(0)
  })

  it('error answers', async () => {
    const nf = await get(sim, `/repos/${O}/nope/issues`)
    expect(nf.status).toBe(404)
    expectValid('/repos/{owner}/{repo}/issues', 404, nf.json)
    const deleted = sim.world.repos.flatMap((r) => r.list).find((i) => i.deleted)!
    const gone = await get(sim, `/repos/${O}/${deleted.repo.name}/issues/${deleted.number}`)
    expect(gone.status).toBe(410)
    expectValid('/repos/{owner}/{repo}/issues/{issue_number}', 410, gone.json)
    const moved = sim.world.repo('shapes').list.find((i) => i.movedTo)!
    const m = await get(sim, `/repos/${O}/shapes/issues/${moved.number}`)
    expect(m.status).toBe(301)
    expectValid('/repos/{owner}/{repo}/issues/{issue_number}', 301, m.json)
    const deep = await get(sim, `/search/issues?q=org:${O}&per_page=100&page=11`)
    expect(deep.status).toBe(422)
    expectValid('/search/issues', 422, deep.json)
  })
})
