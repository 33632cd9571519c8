// The mutation API as seen through the endpoints: updated_at rules, state
// changes, merges, transfers, membership and the clock.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSim, World, type Sim } from '../../sim/index.js'
import { get } from './helpers.js'

let sim: Sim
let w: World
const R = '/repos/acme/app'

beforeAll(async () => {
  w = new World({ org: 'acme', now: '2025-03-01T12:00:00Z' })
  w.createRepo('app')
  w.createRepo('elsewhere')
  sim = await startSim({ world: w })
})
afterAll(() => sim?.close())

const updatedAt = async (n: number): Promise<string> => (await get(sim, `${R}/issues/${n}`)).json.updated_at

describe('clock', () => {
  it('advances by ms or by units and can be set', () => {
    const t = w.nowMs()
    w.advance(1000)
    w.advance({ minutes: 1, hours: 1, days: 1 })
    expect(w.nowMs() - t).toBe(1000 + 60_000 + 3_600_000 + 86_400_000)
    w.setNow('2025-03-02T00:00:00Z')
    expect(w.now().toISOString()).toBe('2025-03-02T00:00:00.000Z')
  })
})

describe('updated_at moves as on GitHub', () => {
  it('moves on comments, labels, assignment, state changes, edits, locks; not on reactions or comment edits', async () => {
    const i = w.openIssue('app', { title: 'Track me', user: 'dev-1' })
    const steps: [string, () => unknown, boolean][] = [
      ['comment', () => w.comment('app', i.number, { user: 'dev-2', body: 'hello' }), true],
      ['react on issue', () => w.react('app', i.number, '+1', 'dev-3'), false],
      ['react on comment', () => w.react('app', { commentId: i.timeline[0].id }, 'eyes', 'dev-3'), false],
      ['edit comment', () => w.editComment('app', i.timeline[0].id, 'hello, edited'), false],
      ['label', () => w.label('app', i.number, 'bug', 'dev-1'), true],
      ['assign', () => w.assign('app', i.number, 'dev-2', 'dev-1'), true],
      ['edit title', () => w.editIssue('app', i.number, { title: 'Tracked', actor: 'dev-1' }), true],
      ['close', () => w.close('app', i.number, { actor: 'dev-1' }), true],
      ['reopen', () => w.reopen('app', i.number, { actor: 'dev-1' }), true],
      ['lock', () => w.lock('app', i.number, { actor: 'dev-1' }), true],
      ['delete comment', () => w.deleteComment('app', i.timeline[0].id), true]
    ]
    for (const [name, step, moves] of steps) {
      const before = await updatedAt(i.number)
      w.advance({ minutes: 5 })
      step()
      const after = await updatedAt(i.number)
      expect(after !== before, name).toBe(moves)
    }
  })
})

describe('state', () => {
  it('closes with state_reason, reopens with "reopened"', async () => {
    const i = w.openIssue('app', { title: 's' })
    w.close('app', i.number, { actor: 'dev-1', reason: 'not_planned' })
    let r = await get(sim, `${R}/issues/${i.number}`)
    expect(r.json).toMatchObject({ state: 'closed', state_reason: 'not_planned' })
    expect(r.json.closed_by.login).toBe('dev-1')
    w.reopen('app', i.number, { actor: 'dev-1' })
    r = await get(sim, `${R}/issues/${i.number}`)
    expect(r.json).toMatchObject({ state: 'open', state_reason: 'reopened', closed_at: null })
  })

  it('reports merged only for merged PRs (open and closed-unmerged are false)', async () => {
    const open = w.openIssue('app', { title: 'open', isPull: true, draft: true })
    const merged = w.openIssue('app', { title: 'merged', isPull: true })
    const unmerged = w.openIssue('app', { title: 'unmerged', isPull: true })
    w.advance({ hours: 1 })
    w.merge('app', merged.number, 'dev-1')
    w.close('app', unmerged.number, { actor: 'dev-1' })
    const pr = async (n: number) => (await get(sim, `${R}/pulls/${n}`)).json
    expect(await pr(open.number)).toMatchObject({ state: 'open', merged: false, merged_at: null, draft: true })
    expect(await pr(merged.number)).toMatchObject({ state: 'closed', merged: true, merged_by: { login: 'dev-1' } })
    expect(await pr(unmerged.number)).toMatchObject({ state: 'closed', merged: false, merged_at: null })
    const listed = await get(sim, `${R}/issues/${merged.number}`)
    expect(listed.json.pull_request.merged_at).toBe(listed.json.closed_at)
    const tl = await get(sim, `${R}/issues/${merged.number}/timeline`)
    expect(tl.json.map((t: { event: string }) => t.event)).toEqual(['merged', 'closed'])
    expect(tl.json[0].commit_id).toMatch(/^[0-9a-f]{40}$/)
  })

  it('counts reactions in the rollup and removes them on unreact', async () => {
    const i = w.openIssue('app', { title: 'r' })
    w.react('app', i.number, 'heart', 'dev-1')
    w.react('app', i.number, 'heart', 'dev-2')
    w.react('app', i.number, 'heart', 'dev-2') // the same user twice counts once
    w.react('app', i.number, '-1', 'dev-2')
    expect((await get(sim, `${R}/issues/${i.number}`)).json.reactions).toMatchObject({
      total_count: 3,
      heart: 2,
      '-1': 1
    })
    w.unreact('app', i.number, 'heart', 'dev-1')
    expect((await get(sim, `${R}/issues/${i.number}`)).json.reactions).toMatchObject({ total_count: 2, heart: 1 })
  })
})

describe('people', () => {
  it('tracks members joining and leaving', async () => {
    w.addMember('alice')
    w.addMember('bob')
    expect((await get(sim, '/orgs/acme/members')).json.map((u: { login: string }) => u.login)).toEqual(['alice', 'bob'])
    w.removeMember('alice')
    expect((await get(sim, '/orgs/acme/members')).json.map((u: { login: string }) => u.login)).toEqual(['bob'])
    expect((await get(sim, '/orgs/acme/members/alice')).status).toBe(404)
    expect(w.memberHistory.map((h) => h.action)).toEqual(['added', 'added', 'removed'])
  })

  it('renders bots with type Bot and a [bot] login', async () => {
    const i = w.openIssue('app', { title: 'bump', user: 'dependabot[bot]', isPull: true })
    const r = await get(sim, `${R}/issues/${i.number}`)
    expect(r.json.user).toMatchObject({ login: 'dependabot[bot]', type: 'Bot' })
  })

  it('renders a deleted account as null on issues, ghost as timeline actor', async () => {
    const i = w.openIssue('app', { title: 'soon ghost', user: 'carol' })
    w.label('app', i.number, 'bug', 'carol')
    w.deleteUser('carol')
    expect((await get(sim, `${R}/issues/${i.number}`)).json.user).toBeNull()
    const tl = await get(sim, `${R}/issues/${i.number}/timeline`)
    expect(tl.json[0].actor).toMatchObject({ login: 'ghost', id: 10137 })
  })
})

describe('transfers', () => {
  it('gives the issue a new id, node id and number, and keeps its comments', async () => {
    const i = w.openIssue('app', { title: 'move me' })
    w.comment('app', i.number, { user: 'dev-1', body: 'keep' })
    const old = (await get(sim, `${R}/issues/${i.number}`)).json
    w.advance({ minutes: 1 })
    const moved = w.transfer('app', i.number, 'elsewhere', 'dev-1')
    const now = (await get(sim, `/repos/acme/elsewhere/issues/${moved.number}`)).json
    expect(now.id).not.toBe(old.id)
    expect(now.node_id).not.toBe(old.node_id)
    expect(now.comments).toBe(1)
    const tl = (await get(sim, `/repos/acme/elsewhere/issues/${moved.number}/timeline`)).json
    expect(tl.map((t: { event: string }) => t.event)).toEqual(['commented', 'transferred'])
    expect(tl[1]).not.toHaveProperty('repository')
  })
})
