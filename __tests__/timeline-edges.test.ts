// Timelines at the edges (issue 13, items 5 and 7): a repository renamed
// since it was listed, seen from a REST timeline request as a 301 to
// /repositories/{id}/…, is a rename (the repository is refreshed and the walk
// retried), not a transfer; a transfer's 301 leaves the item's "timeline
// behind" mark set. A timeline longer than the page cap is stored up to the
// cap, reported, and does not fail this or any later run — REST and GraphQL alike.
import { afterEach, describe, expect, it } from 'vitest'
import { startSim, World, type Sim } from '../sim/index.js'
import { countTimelinesBehind } from '../src/db/events.js'
import { TIMELINE_MAX_PAGES } from '../src/github/timeline.js'
import { runEvents } from '../src/tasks/events.js'
import { runIssues } from '../src/tasks/issues.js'
import { createTestDatabase, type TestDatabase } from './helpers/db.js'
import { migrated, simDeps, simSettings } from './helpers/task-deps.js'

let sim: Sim | undefined
let db: TestDatabase | undefined
afterEach(async () => {
  await sim?.close()
  await db?.drop()
  sim = db = undefined
})

async function setUp(world: World): Promise<{ sim: Sim; db: TestDatabase }> {
  sim = await startSim({ world })
  db = await createTestDatabase()
  await migrated(db.sql)
  await runIssues(simDeps(sim, db.sql), simSettings(sim, 'issues'))
  return { sim, db }
}

const rowsOf = async (d: TestDatabase, issueId: number): Promise<number> =>
  Number((await d.sql`select count(*)::int as n from events where issue_id = ${issueId}`)[0].n)

describe('a repository renamed since it was listed (REST timeline walk)', () => {
  it('a 301 to its own id and number is a rename: the repository is refreshed and the walk retried', async () => {
    const w = new World({ org: 'acme', now: '2025-01-01T00:00:00Z', config: { transferRedirect: 'repositories' } })
    w.createRepo('app')
    w.createRepo('docs')
    const one = w.openIssue('app', { title: 'One', user: 'dev-1' })
    const two = w.openIssue('app', { title: 'Two', user: 'dev-2' })
    const three = w.openIssue('app', { title: 'Three', user: 'dev-3' })
    w.comment('app', 1, { user: 'dev-2', body: 'first' })
    const { sim, db } = await setUp(w)
    const settings = simSettings(sim, 'issues,events', { 'timeline-api': 'rest' })
    // events reads the repository list stored within the hour: it still says 'app'.
    w.advance({ minutes: 5 })
    w.renameRepo('app', 'app-next')
    w.transfer('app-next', 3, 'docs', 'dev-1') // its old URL answers 301 to /repositories/{docs id}/issues/1
    sim.log.reset()
    const result = await runEvents(simDeps(sim, db.sql), settings)
    expect(result.counts).toMatchObject({ issues: 2, skipped: 1 })
    // #1: 301, GET /repositories/{id}, its timeline again; #2 under the new name; #3: its 301 (a transfer).
    expect(sim.log.count({ status: 301 })).toBe(2)
    expect(sim.log.billable({ route: '/repositories/{id}' })).toBe(1)
    expect(sim.log.billable()).toBe(5)
    const [repo] = await db.sql`select name, previous_names from repositories where id = ${w.repo('app-next').id}`
    expect(repo).toEqual({ name: 'app-next', previous_names: ['app'] })
    expect(
      (await db.sql`select distinct repo from issues where repo_id = ${w.repo('app-next').id}`).map((r) => r.repo)
    ).toEqual(['app-next'])
    expect(await rowsOf(db, one.id)).toBe(1)
    const behind = await db.sql`
      select id from issues where timeline_updated_at is null or updated_at > timeline_updated_at order by id`
    // The transferred issue's timeline was skipped: it stays behind (the transfers task handles the move).
    expect(behind.map((r) => Number(r.id))).toEqual([three.id])
    expect([one.id, two.id]).not.toContain(three.id)
  })
})

describe('a timeline longer than the page cap', () => {
  // Longer than the cap (5,000 items); for REST also than the walk's old limit (500 pages), which failed the run.
  const LONG = { rest: 50_050, graphql: 5_050 }

  function longWorld(api: 'rest' | 'graphql'): World {
    const w = new World({ org: 'acme', now: '2025-01-01T00:00:00Z' })
    w.createRepo('app')
    w.openIssue('app', { title: 'Megathread', user: 'dev-1' })
    w.openIssue('app', { title: 'Short', user: 'dev-2' })
    // Label events (comments would add a reaction read per comment on the GraphQL path).
    for (let k = 0; k < LONG[api]; k++) {
      if (k % 2 === 0) w.label('app', 1, 'triage', `dev-${k % 9}`)
      else w.unlabel('app', 1, 'triage', `dev-${k % 9}`)
    }
    w.comment('app', 2, { user: 'dev-1', body: 'hello' })
    return w
  }

  for (const api of ['rest', 'graphql'] as const) {
    it(`${api}: is stored up to the cap, reported, marked stored, and later runs succeed`, async () => {
      const w = longWorld(api)
      const { sim, db } = await setUp(w)
      const settings = simSettings(sim, 'events', { 'timeline-api': api })
      const deps = simDeps(sim, db.sql)
      sim.log.reset()
      const first = await runEvents(deps, settings)
      expect(first.counts).toMatchObject({ issues: 2, capped: 1 })
      expect(first.incomplete ?? false).toBe(false)
      const long = w.issue('app', 1)
      expect(await rowsOf(db, long.id)).toBe(TIMELINE_MAX_PAGES * 100)
      expect(await rowsOf(db, w.issue('app', 2).id)).toBe(1)
      expect(deps.log.lines.some((l) => /longer than/.test(l))).toBe(true)
      expect(await countTimelinesBehind(db.sql, [w.repo('app').id])).toBe(0)
      if (api === 'rest')
        expect(sim.log.count({ route: '/repos/{owner}/{repo}/issues/{issue_number}/timeline' })).toBe(51)

      // Nothing behind: the next run asks nothing about it.
      sim.log.reset()
      const quiet = await runEvents(simDeps(sim, db.sql), settings)
      expect(quiet.counts).toMatchObject({ behind: 0 })
      expect(sim.log.count({ path: /\/timeline$/ })).toBe(0)

      // Updated again: read again up to the cap, the run succeeds; rows stored before are kept.
      w.advance({ minutes: 10 })
      w.label('app', 1, 'bug', 'dev-1')
      await runIssues(simDeps(sim, db.sql), simSettings(sim, 'issues'))
      const again = await runEvents(simDeps(sim, db.sql), settings)
      expect(again.counts).toMatchObject({ issues: 1, capped: 1 })
      expect(await rowsOf(db, long.id)).toBe(TIMELINE_MAX_PAGES * 100)
    })
  }
})
