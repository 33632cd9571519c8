// A deleted issue that was closed (issue 13, item 8): the daily open-issue
// listing only notices issues that vanish while open, and a deletion moves
// nothing the issues listing shows. Once a week per repository the
// transfers task lists every issue's id through GraphQL (100 repositories a
// query, 1 point each) and asks about each held issue no longer listed (its
// 410) — so a deleted closed issue is found within a week, at a cost counted here.
import { afterEach, describe, expect, it } from 'vitest'
import { startSim, World, type Sim } from '../sim/index.js'
import { runIssues } from '../src/tasks/issues.js'
import { runTransfers } from '../src/tasks/transfers.js'
import { createTestDatabase, type TestDatabase } from './helpers/db.js'
import { migrated, simDeps, simSettings } from './helpers/task-deps.js'

let sim: Sim | undefined
let db: TestDatabase | undefined
afterEach(async () => {
  await sim?.close()
  await db?.drop()
  sim = db = undefined
})

describe('a closed issue deleted later', () => {
  it('is found by the weekly listing of every issue, within a week, at 1 point per round of pages and one request', async () => {
    const w = new World({ org: 'acme', now: '2025-01-01T00:00:00Z' })
    w.createRepo('app')
    w.createRepo('docs')
    // A minute apart (issues by one author at one instant would look like transfer twins).
    for (let k = 0; k < 250; k++) {
      w.openIssue('app', { title: `Issue ${k}`, user: `dev-${k % 5}` })
      w.advance({ minutes: 1 })
    }
    for (let k = 0; k < 30; k++) {
      w.openIssue('docs', { title: `Doc ${k}`, user: 'dev-1' })
      w.advance({ minutes: 1 })
    }
    w.openIssue('app', { title: 'A pull request', user: 'dev-2', isPull: true })
    for (let n = 1; n <= 40; n++) w.close('app', n, { actor: 'dev-1' })
    sim = await startSim({ world: w })
    db = await createTestDatabase()
    await migrated(db.sql)
    const s = sim
    const d = db
    const sync = async () => {
      await runIssues(simDeps(s, d.sql), simSettings(s, 'issues'))
      s.log.reset()
      // The daily workflow's run (`daily,transfers`), which takes the listings when due.
      return runTransfers(simDeps(s, d.sql), simSettings(s, 'daily,transfers'))
    }
    const listings = () => s.log.entries.filter((e) => e.route === '/graphql')

    // First run: both repositories listed (app: 250 issues, 3 pages; docs: 1): three queries of 1 point.
    expect((await sync()).counts).toMatchObject({ candidates: 0 })
    expect(listings().length).toBe(3)
    expect(s.log.points()).toBe(3)

    // Closed issue #7 is deleted. A day later: the open listing cannot see it, the weekly one is not due.
    w.advance({ hours: 1 })
    const deleted = w.issue('app', 7)
    w.deleteIssue('app', 7)
    w.advance({ days: 1 })
    const daily = await sync()
    expect(daily.counts).toMatchObject({ deleted: 0 })
    expect(listings().length).toBe(0)

    // A week after the last weekly listing: listed again, #7 is missing, asked about once (410: deleted).
    w.advance({ days: 6 })
    const weekly = await sync()
    expect(weekly.counts).toMatchObject({ deleted: 1, candidates: 1 })
    expect(s.log.points()).toBe(3)
    expect(s.log.billable({ route: '/repos/{owner}/{repo}/issues/{issue_number}', status: 410 })).toBe(1)
    const [row] = await d.sql`select state, deleted_at from issues where id = ${deleted.id}`
    expect(row.state).toBe('deleted')
    expect(row.deleted_at).toEqual(w.now())

    // Settled: the next week lists again and asks nobody.
    w.advance({ days: 7 })
    const settled = await sync()
    expect(settled.counts).toMatchObject({ candidates: 0 })
    expect(s.log.billable({ route: '/repos/{owner}/{repo}/issues/{issue_number}' })).toBe(0)
  })
})
