// The `unmerged` task: search reconciles closed-unmerged pull requests back
// lookback-days, open ones never read as merged, and after the first run
// only new closings are searched.
import { beforeEach, describe, expect, it } from 'vitest'
import { runIssues } from '../src/tasks/issues.js'
import { runUnmerged } from '../src/tasks/unmerged.js'
import { World, type Sim } from '../sim/index.js'
import type { TestDatabase } from './helpers/db.js'
import { simDeps, simSettings, useSimAndDatabase } from './helpers/sync.js'
import { dbBriefs, worldBriefs } from './helpers/world-rows.js'

const T0 = Date.parse('2024-01-01T00:00:00Z')
const DAY = 86_400_000

/** Two repositories of 40 PRs each over 400 days: a third merged, a third closed unmerged. */
function buildWorld(): World {
  const w = new World({ org: 'acme', now: T0 })
  for (const name of ['api', 'web', 'other']) w.createRepo(name)
  for (let k = 1; k <= 40; k++) {
    for (const repo of ['api', 'web', 'other']) {
      w.setNow(T0 + k * 10 * DAY)
      const pr = w.openIssue(repo, { title: `PR ${k}`, user: 'dev-1', isPull: true })
      if (k % 3 === 0) w.merge(repo, pr.number, 'dev-2')
      else if (k % 3 === 1) w.close(repo, pr.number, { actor: 'dev-2' })
    }
  }
  w.setNow(T0 + 410 * DAY)
  return w
}

describe('unmerged task', () => {
  const env = useSimAndDatabase(buildWorld)
  let db: TestDatabase
  let sim: Sim
  beforeEach(() => {
    ;({ db, sim } = env)
  })

  it('sets merged = false for closed-unmerged and open PRs (the seed defaulted to true), back lookback-days', async () => {
    const deps = simDeps(sim, db.sql)
    const settings = simSettings(sim, { repos: 'api, web' })
    await runIssues(deps, settings)
    // What a database written by the seed looks like: merged defaulted to true.
    await db.sql`update pull_requests set merged = true`
    sim.log.reset()
    const result = await runUnmerged(deps, settings)
    const lookbackStart = sim.world.nowMs() - 365 * DAY
    const { pulls } = await dbBriefs(db.sql)
    const world = worldBriefs(sim, ['api', 'web']).pulls
    for (const row of pulls) {
      const w = world.find((p) => p.id === row.id)
      const closedAt = sim.world.repo(row.repo).issues.get(row.number)?.closedAt ?? 0
      if (row.state === 'open' || closedAt >= lookbackStart)
        expect(row.merged, `${row.repo}#${row.number}`).toBe(w?.merged)
    }
    expect(result.counts.openFixed).toBe(world.filter((p) => p.state === 'open').length)
    // 2 repos × 12 closed unmerged within 365 days: one org-wide query, one page.
    const inWindow = world.filter(
      (p) =>
        p.state === 'closed' &&
        !p.merged &&
        (sim.world.repo(p.repo).issues.get(p.number)?.closedAt ?? 0) >= lookbackStart
    )
    expect(inWindow).toHaveLength(24)
    expect(result.counts.found).toBe(24)
    expect(sim.log.billable({ route: '/search/issues' })).toBe(1)
    // Items of `other` (not selected) were not written.
    expect((await db.sql`select 1 from pull_requests where repo = 'other'`).length).toBe(0)
  })

  it('after the first run searches only new closings, per repository when one is selected', async () => {
    const deps = simDeps(sim, db.sql)
    const settings = simSettings(sim, { repos: 'api' })
    await runUnmerged(deps, settings)
    sim.world.advance({ minutes: 30 })
    const pr = sim.world.openIssue('api', { title: 'late', user: 'dev-3', isPull: true })
    sim.world.close('api', pr.number, { actor: 'dev-3' })
    sim.log.reset()
    const result = await runUnmerged(deps, settings)
    expect(result.counts.found).toBe(1)
    const q = sim.log.entries.find((e) => e.route === '/search/issues')?.query ?? ''
    expect(decodeURIComponent(q)).toContain('repo:acme/api is:pr is:unmerged is:closed closed:')
    // Search answers no 304 (no source says it does): a quiet steady-state run still costs its one search.
    sim.log.reset()
    sim.world.advance({ minutes: 30 })
    const quiet = await runUnmerged(deps, settings)
    expect(quiet.counts.written).toBe(0) // at most the overlap's closes again, unchanged
    expect(sim.log.billable({ route: '/search/issues' })).toBe(1)
  })

  it('asks nothing once the issues task has stored every close since its cursor', async () => {
    const deps = simDeps(sim, db.sql)
    const settings = simSettings(sim, { repos: 'api' })
    await runIssues(deps, settings)
    await runUnmerged(deps, settings)
    sim.world.advance({ minutes: 30 })
    const pr = sim.world.openIssue('api', { title: 'late', user: 'dev-3', isPull: true })
    sim.world.close('api', pr.number, { actor: 'dev-3' })
    await runIssues(deps, settings) // stores the close, merged = false from merged_at
    sim.log.reset()
    const result = await runUnmerged(deps, settings)
    expect(sim.log.count({ route: '/search/issues' })).toBe(0)
    expect(result.counts).toMatchObject({ found: 0, written: 0 })
    expect(await dbBriefs(db.sql)).toEqual(worldBriefs(sim, ['api']))
    const [row] = await db.sql`select merged from pull_requests where number = ${pr.number}`
    expect(row.merged).toBe(false)
  })

  it('moves its cursor on once the steady-state answer grows long', async () => {
    const deps = simDeps(sim, db.sql)
    const settings = simSettings(sim, { repos: 'api' })
    await runUnmerged(deps, settings)
    for (let k = 0; k < 60; k++) {
      sim.world.advance({ minutes: 1 })
      const pr = sim.world.openIssue('api', { title: `batch ${k}`, user: 'dev-3', isPull: true })
      sim.world.close('api', pr.number, { actor: 'dev-3' })
    }
    sim.world.advance({ minutes: 5 })
    const before = await db.sql`select high_water from sync_cursors where task = 'unmerged'`
    const result = await runUnmerged(deps, settings)
    expect(result.counts.found).toBe(60)
    const after = await db.sql`select high_water from sync_cursors where task = 'unmerged'`
    expect(after[0].high_water.getTime()).toBeGreaterThan(before[0].high_water.getTime())
    // The next runs ask the new, short query: one search request each (no 304 on search).
    await runUnmerged(deps, settings)
    sim.log.reset()
    await runUnmerged(deps, settings)
    expect(sim.log.billable()).toBe(1)
  })
})
