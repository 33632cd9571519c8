// The timeline mapper on GitHub's official examples and on every item shape
// the simulated GitHub serves: which kinds are kept, which fields land in
// which seed column, ghost users, and stable keys for items without an id.
import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  SKIPPED_EVENTS,
  derivedEventId,
  mapTimelineItem,
  mapTimelinePage,
  nodeEventId
} from '../src/github/map-event.js'
import type { TimelineItem } from '../src/github/types.js'
import type { Repo } from '../src/model/repo.js'
import { startSim, World, type Sim } from '../sim/index.js'

const repo: Repo = {
  id: 7,
  org: 'github',
  name: 'roadmap',
  fullName: 'github/roadmap',
  archived: false,
  private: false
}
const spec = JSON.parse(readFileSync(new URL('./fixtures/openapi-subset.json', import.meta.url), 'utf8')) as {
  components: { examples: Record<string, { value: unknown }> }
}
const official = spec.components.examples['timeline-issue-events'].value as TimelineItem[]

describe('official timeline example', () => {
  const rows = mapTimelinePage(official, 493, repo)

  it('keeps every item: comments and reviews keyed by their GitHub id, other events by their node id', () => {
    expect(rows.map((r) => [r.id, r.event])).toEqual(
      official.map((i) => [
        i.event === 'commented' || i.event === 'reviewed' ? String(i.id) : nodeEventId(i.node_id as string),
        i.event
      ])
    )
    expect(rows.every((r) => r.issue_id === 493 && r.repo_id === 7 && r.org === 'github' && r.repo === 'roadmap')).toBe(
      true
    )
  })

  it('fills label, reactions, body, author and times as the seed did', () => {
    const [locked, labeled, renamed, commented] = rows
    expect(locked).toMatchObject({ username: 'github', label: null, body: null, created_at: '2022-04-13T20:49:13Z' })
    expect(locked.updated_at).toBe(locked.created_at)
    expect(labeled.label).toEqual({ name: 'beta', color: '99dd88' })
    expect(labeled.username).toBe('github-product-roadmap')
    expect(renamed).toMatchObject({ event: 'renamed', node_id: 'RTE_lADODwFebM5HwC0kzwAAAAGLfJhq' })
    expect(commented).toMatchObject({
      event: 'commented',
      username: 'octocat',
      author_association: 'COLLABORATOR',
      updated_at: '2022-05-19T00:52:15Z'
    })
    expect(commented.body).toContain('Shipped to the cloud')
    expect(commented.reactions).toMatchObject({ total_count: 0, '+1': 0 })
    expect(commented.user?.login).toBe('octocat')
  })
})

describe('item shapes', () => {
  it('a review: submitted_at as created_at, the reviewer as user, its state', () => {
    const row = mapTimelineItem(
      {
        event: 'reviewed',
        id: 80,
        node_id: 'PRR_1',
        user: { login: 'octocat', id: 1 },
        body: 'This looks great.',
        state: 'approved',
        submitted_at: '2024-01-02T03:04:05Z',
        author_association: 'MEMBER'
      },
      1,
      repo
    )
    expect(row).toMatchObject({
      id: '80',
      state: 'approved',
      body: 'This looks great.',
      created_at: '2024-01-02T03:04:05Z',
      updated_at: '2024-01-02T03:04:05Z',
      username: 'octocat'
    })
  })

  it('a deleted account (null user or actor) is stored as ghost', () => {
    const comment = mapTimelineItem({ event: 'commented', id: 5, user: null, actor: null, body: 'x' }, 1, repo)
    const review = mapTimelineItem({ event: 'reviewed', id: 6, user: null, state: 'commented' }, 1, repo)
    const closed = mapTimelineItem({ event: 'closed', id: 7, actor: null, created_at: '2024-01-01T00:00:00Z' }, 1, repo)
    for (const row of [comment, review, closed]) {
      expect(row?.username).toBe('ghost')
      expect(row?.user).toMatchObject({ login: 'ghost', id: 10137 })
    }
  })

  it('containers of review and commit comments are not stored', () => {
    for (const event of SKIPPED_EVENTS) expect(mapTimelineItem({ event, node_id: 'x' }, 1, repo)).toBeUndefined()
    expect(mapTimelineItem({ id: 3 }, 1, repo)).toBeUndefined()
  })

  it('items without an id get a stable negative key', () => {
    const commit: TimelineItem = {
      event: 'committed',
      sha: 'a'.repeat(40),
      message: 'fix',
      author: { name: 'Mona', email: 'm@x', date: '2024-01-01T00:00:00Z' }
    }
    const a = mapTimelineItem(commit, 1, repo)
    const b = mapTimelineItem({ ...commit }, 2, repo)
    expect(a?.id).toBe(b?.id) // the key does not depend on the issue: a transfer keeps it
    expect(BigInt(a!.id)).toBeLessThan(0n)
    expect(BigInt(a!.id)).toBeGreaterThanOrEqual(-(2n ** 62n))
    expect(a).toMatchObject({ body: 'fix', created_at: '2024-01-01T00:00:00Z', user: null, username: null })
    const other = mapTimelineItem({ ...commit, sha: 'b'.repeat(40) }, 1, repo)
    expect(other?.id).not.toBe(a?.id)

    const xref = (source: number, at: string): TimelineItem => ({
      event: 'cross-referenced',
      actor: { login: 'octocat', id: 1 },
      created_at: at,
      updated_at: at,
      source: { type: 'issue', issue: { id: source } }
    })
    const x1 = mapTimelineItem(xref(11, '2024-01-01T00:00:00Z'), 1, repo)
    expect(mapTimelineItem(xref(11, '2024-01-01T00:00:00Z'), 1, repo)?.id).toBe(x1?.id)
    expect(mapTimelineItem(xref(12, '2024-01-01T00:00:00Z'), 1, repo)?.id).not.toBe(x1?.id)
    expect(mapTimelineItem(xref(11, '2024-01-01T00:00:01Z'), 1, repo)?.id).not.toBe(x1?.id)
    expect(x1?.username).toBe('octocat')
    expect(derivedEventId('committed', 'sha:x')).toBe(derivedEventId('committed', 'sha:x'))
  })
})

describe('the simulated GitHub timeline', () => {
  let sim: Sim
  beforeAll(async () => {
    const w = new World({ org: 'acme', now: '2025-01-01T00:00:00Z' })
    w.createRepo('app')
    w.openIssue('app', { title: 'Source', user: 'dev-1' })
    const pr = w.openIssue('app', { title: 'PR', user: 'dev-2', isPull: true, labels: ['bug'], assignees: ['dev-3'] })
    const c = w.comment('app', pr.number, { user: 'dev-1', body: 'hi' })
    w.react('app', { commentId: c.id }, 'heart', 'dev-4')
    w.react('app', { commentId: c.id }, '+1', 'dev-5')
    w.comment('app', pr.number, { user: null, body: 'from a deleted account' })
    w.label('app', pr.number, 'enhancement', 'dev-1')
    w.unlabel('app', pr.number, 'bug', 'dev-1')
    w.assign('app', pr.number, 'dev-5', 'dev-1')
    w.unassign('app', pr.number, 'dev-3', 'dev-1')
    w.review('app', pr.number, { user: 'dev-3', state: 'APPROVED', body: 'ok' })
    w.commit('app', pr.number, { message: 'fix', actor: 'dev-2' })
    w.crossReference('app', pr.number, { actor: 'dev-1', source: { repo: 'app', number: 1 } })
    w.editIssue('app', pr.number, { title: 'A better PR', actor: 'dev-2' })
    w.merge('app', pr.number, 'dev-1')
    w.lock('app', pr.number, { actor: 'dev-1', reason: 'resolved' })
    w.unlock('app', pr.number, { actor: 'dev-1' })
    sim = await startSim({ world: w })
  })
  afterAll(() => sim.close())

  it('maps every kind with the seed columns', async () => {
    const res = await fetch(`${sim.url}/repos/acme/app/issues/2/timeline?per_page=100`)
    const items = (await res.json()) as TimelineItem[]
    const rows = mapTimelinePage(items, 42, { ...repo, org: 'acme', name: 'app' })
    expect(rows.map((r) => r.event)).toEqual(items.map((i) => i.event))
    expect(new Set(rows.map((r) => r.id)).size).toBe(items.length)
    const by = (event: string) => rows.filter((r) => r.event === event)

    const [liked, ghost] = by('commented')
    expect(liked).toMatchObject({ body: 'hi', username: 'dev-1', author_association: 'NONE' })
    expect(liked.reactions).toMatchObject({ total_count: 2, heart: 1, '+1': 1 })
    expect(ghost).toMatchObject({ username: 'ghost', body: 'from a deleted account' })
    expect(by('labeled')[0].label).toEqual({ name: 'enhancement', color: expect.any(String) })
    expect(by('unlabeled')[0].label).toMatchObject({ name: 'bug' })
    expect(by('assigned')[0].username).toBe('dev-1')
    expect(by('reviewed')[0]).toMatchObject({ username: 'dev-3', state: 'APPROVED', body: 'ok' })
    expect(by('reviewed')[0].created_at).toBe('2025-01-01T00:00:00Z')
    expect(BigInt(by('committed')[0].id)).toBeLessThan(0n)
    expect(by('committed')[0].body).toBe('fix')
    expect(BigInt(by('cross-referenced')[0].id)).toBeLessThan(0n)
    expect(by('cross-referenced')[0].username).toBe('dev-1')
    expect(Number(by('commented')[0].id)).toBeGreaterThan(0) // GitHub's comment id
    expect(Number(by('reviewed')[0].id)).toBeGreaterThan(0) // GitHub's review id
    for (const event of ['renamed', 'merged', 'closed', 'locked', 'unlocked']) {
      expect(by(event)).toHaveLength(1)
      expect(by(event)[0].id).toBe(nodeEventId(by(event)[0].node_id as string)) // keyed by the node id
      expect(BigInt(by(event)[0].id)).toBeLessThan(0n)
      expect(by(event)[0].username).toMatch(/^dev-/)
    }
  })
})
