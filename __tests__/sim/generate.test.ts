// The generator: deterministic from its seed, and the generated org has
// every feature the sync must cope with.
import { describe, expect, it } from 'vitest'
import { generateWorld, startSim } from '../../sim/index.js'
import { get } from './helpers.js'

const opts = { seed: 11, repos: 5, items: 1500, members: 30 }

describe('generateWorld', () => {
  it('is deterministic: same seed, same world; other seed, other world', () => {
    const a = generateWorld(opts)
    const b = generateWorld(opts)
    expect(a.fingerprint()).toBe(b.fingerprint())
    expect(generateWorld({ ...opts, seed: 12 }).fingerprint()).not.toBe(a.fingerprint())
  })

  it('has the states, people and history a sync meets', () => {
    const w = generateWorld(opts)
    const items = w.repos.flatMap((r) => r.list)
    const live = items.filter((i) => !i.deleted && !i.movedTo)
    expect(items).toHaveLength(1500 + 3) // three transfers give new records
    const pulls = live.filter((i) => i.isPull)
    expect(pulls.some((p) => p.mergedAt)).toBe(true)
    expect(pulls.some((p) => p.state === 'closed' && !p.mergedAt)).toBe(true)
    expect(pulls.some((p) => p.state === 'open' && p.draft)).toBe(true)
    expect(live.some((i) => i.locked)).toBe(true)
    expect(live.some((i) => i.stateReason === 'not_planned')).toBe(true)
    expect(live.some((i) => i.stateReason === 'completed')).toBe(true)
    expect(live.some((i) => i.milestone > 0)).toBe(true)
    expect(live.some((i) => i.rx?.length)).toBe(true)
    expect(live.some((i) => i.labels.length && i.assignees.length)).toBe(true)
    // Timeline lengths: a few > 100 and one > 1,000.
    const lengths = live.map((i) => i.timeline.length)
    expect(lengths.filter((n) => n > 100).length).toBeGreaterThanOrEqual(3)
    expect(lengths.filter((n) => n > 1000)).toHaveLength(1)
    // Ghost authors and bots.
    expect(live.some((i) => w.users.get(i.user)!.deleted)).toBe(true)
    expect(live.some((i) => w.users.get(i.user)!.type === 'Bot')).toBe(true)
    // Org history, a renamed repo, transfers, a deleted issue.
    expect(w.memberHistory.some((h) => h.action === 'removed')).toBe(true)
    expect(w.repos.some((r) => r.oldNames.length === 1)).toBe(true)
    expect(items.filter((i) => i.movedTo)).toHaveLength(3)
    expect(items.filter((i) => i.deleted)).toHaveLength(1)
    expect(w.now().toISOString()).toBe('2025-06-01T00:00:00.000Z')
    expect(Math.max(...items.map((i) => i.updatedAt))).toBeLessThanOrEqual(w.nowMs())
  })

  it('renders ghost authors as null on issues and as `ghost` on timelines', async () => {
    const sim = await startSim({ world: generateWorld(opts) })
    try {
      const w = sim.world
      const ghostIssue = w.repos
        .flatMap((r) => r.list)
        .find((i) => !i.deleted && !i.movedTo && w.users.get(i.user)!.deleted)!
      const r = await get(sim, `/repos/acme/${ghostIssue.repo.name}/issues/${ghostIssue.number}`)
      expect(r.json.user).toBeNull()
      const ghostComment = w.repos
        .flatMap((x) => x.list)
        .flatMap((i) => i.timeline)
        .find((t) => t.kind === 'commented' && w.users.get(t.actor)!.deleted && !t.issue.deleted)!
      const it = ghostComment.issue
      const page = Math.floor(it.timeline.indexOf(ghostComment) / 100) + 1
      const tl = await get(sim, `/repos/acme/${it.repo.name}/issues/${it.number}/timeline?per_page=100&page=${page}`)
      const shown = tl.json.find((t: { id?: number }) => t.id === ghostComment.id)
      expect(shown.actor.login).toBe('ghost')
      expect(shown.user.login).toBe('ghost')
      const nth = it.timeline.filter((t) => t.kind === 'commented').indexOf(ghostComment)
      const comments = await get(
        sim,
        `/repos/acme/${it.repo.name}/issues/${it.number}/comments?per_page=100&page=${Math.floor(nth / 100) + 1}`
      )
      expect(comments.json.find((x: { id: number }) => x.id === ghostComment.id).user).toBeNull()
    } finally {
      await sim.close()
    }
  })

  it('generates a medium org quickly (the full benchmark size is `npm run sim:bench`)', () => {
    const t0 = performance.now()
    const w = generateWorld({ seed: 3, repos: 20, items: 10_000, members: 100 })
    const ms = performance.now() - t0
    const timeline = w.repos.reduce((s, r) => s + r.list.reduce((t, i) => t + i.timeline.length, 0), 0)
    expect(timeline).toBeGreaterThan(90_000)
    expect(ms).toBeLessThan(10_000)
  })
})
