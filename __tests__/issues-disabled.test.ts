// Repositories with issues turned off (issue 13, item 9): GitHub answers
// every issue route with 410 "Issues are disabled for this repo", but their
// pull requests exist, and sync — through search (`repo:o/r is:pr`), the
// pulls list and GraphQL timelines — while no task fails or marks anything
// deleted.
import { afterEach, describe, expect, it } from 'vitest'
import { startSim, World, type Sim } from '../sim/index.js'
import { run, type RunReport } from '../src/main.js'
import { createTestDatabase, type TestDatabase } from './helpers/db.js'
import { testIO } from './helpers/io.js'

const ALL = 'migrate,issues,pulls,unmerged,members,transfers,events,daily,backfill'

let sim: Sim | undefined
let db: TestDatabase | undefined
afterEach(async () => {
  await sim?.close()
  await db?.drop()
  sim = db = undefined
})

function world(): World {
  const w = new World({ org: 'acme', now: '2025-01-01T00:00:00Z' })
  w.addMember('dev-1')
  w.createRepo('app')
  w.openIssue('app', { title: 'An issue', user: 'dev-1' })
  w.openIssue('app', { title: 'A PR', user: 'dev-2', isPull: true })
  w.createRepo('code')
  w.openIssue('code', { title: 'Old issue, hidden once issues are off', user: 'dev-3' })
  for (let k = 0; k < 5; k++) {
    const pr = w.openIssue('code', { title: `Change ${k}`, user: `dev-${k}`, isPull: true })
    w.comment('code', pr.number, { user: 'dev-1', body: 'looks good' })
  }
  w.merge('code', 2, 'dev-1')
  w.close('code', 3, { actor: 'dev-1' })
  w.setHasIssues('code', false)
  w.advance({ minutes: 5 })
  return w
}

async function job(s: Sim, d: TestDatabase, token: string, extra: Record<string, string> = {}): Promise<RunReport> {
  s.log.reset()
  const io = testIO({
    mode: ALL,
    'github-token': token,
    'api-url': s.url,
    'database-url': d.url,
    org: 'acme',
    since: '2024-12-01',
    ...extra
  })
  const report = await run(io, { clock: () => s.world.now(), msPerSecond: 1, requestTimeoutMs: 10_000 })
  expect(report.ok, report.error).toBe(true)
  return report
}

const codePulls = async (d: TestDatabase) =>
  d.sql<{ number: number; state: string; merged: boolean }[]>`
    select number, state, merged from pull_requests where repo = 'code' order by number`

describe('a repository with issues turned off', () => {
  for (const timelineApi of ['graphql', 'rest']) {
    it(`its pull requests and their timelines sync; nothing fails or is marked deleted (timeline-api: ${timelineApi})`, async () => {
      const w = world()
      sim = await startSim({ world: w })
      db = await createTestDatabase()
      await job(sim, db, 't', { 'timeline-api': timelineApi })
      expect(await codePulls(db)).toEqual([
        { number: 2, state: 'closed', merged: true },
        { number: 3, state: 'closed', merged: false },
        { number: 4, state: 'open', merged: false },
        { number: 5, state: 'open', merged: false },
        { number: 6, state: 'open', merged: false }
      ])
      const [{ has_issues }] = await db.sql`select has_issues from repositories where name = 'code'`
      expect(has_issues).toBe(false)
      // The pull requests' timelines (a comment each, and the merge and close events).
      const [{ n }] = await db.sql`
        select count(*)::int as n from events e join pull_requests p on p.id = e.issue_id where p.repo = 'code'`
      expect(n).toBeGreaterThanOrEqual(7)
      expect((await db.sql`select count(*)::int as n from issues where repo = 'code'`)[0].n).toBe(0)
      expect((await db.sql`select count(*)::int as n from issues where state = 'deleted'`)[0].n).toBe(0)
      // Only the first run's own listing met the 410; later requests avoid the issue routes.
      expect(sim.log.count({ status: 410, path: /\/timeline$/ })).toBe(0)

      // A quiet run with the same token: the pulls list answers 304, nothing is searched for it.
      w.advance({ minutes: 30 })
      await job(sim, db, 't', { 'timeline-api': timelineApi })
      expect(sim.log.count({ status: 410 })).toBe(0)
      expect(sim.log.entries.filter((e) => decodeURIComponent(e.query).includes('repo:acme/code is:pr'))).toEqual([])

      // A merge is synced on the next run.
      w.advance({ minutes: 30 })
      w.merge('code', 4, 'dev-1')
      w.advance({ minutes: 1 })
      await job(sim, db, 't', { 'timeline-api': timelineApi })
      expect((await codePulls(db)).find((p) => p.number === 4)).toEqual({ number: 4, state: 'closed', merged: true })
      expect(sim.log.count({ status: 410 })).toBe(0)
    })
  }

  it('with a new token per run (search and the GraphQL snapshot), and when issues are turned off later', async () => {
    const w = world()
    w.createRepo('later')
    w.openIssue('later', { title: 'Issue', user: 'dev-1' })
    w.openIssue('later', { title: 'PR', user: 'dev-2', isPull: true })
    sim = await startSim({ world: w })
    db = await createTestDatabase()
    await job(sim, db, sim.runToken())
    w.advance({ minutes: 30 })
    // Turned off between runs: the listing answers 410 once, recorded; its pull requests go by search from then on.
    w.setHasIssues('later', false)
    w.openIssue('later', { title: 'PR 2', user: 'dev-2', isPull: true })
    w.merge('code', 5, 'dev-1')
    for (let k = 0; k < 3; k++) {
      w.advance({ minutes: 30 })
      await job(sim, db, sim.runToken())
    }
    expect((await codePulls(db)).find((p) => p.number === 5)).toEqual({ number: 5, state: 'closed', merged: true })
    const later = await db.sql`select number from pull_requests where repo = 'later' order by number`
    expect(later.map((r) => r.number)).toEqual([2, 3])
    const [{ has_issues }] = await db.sql`select has_issues from repositories where name = 'later'`
    expect(has_issues).toBe(false)
    // The issue stored before issues were turned off is kept as it was (GitHub hides it; nothing says it was deleted).
    const [issue] = await db.sql`select state from issues where repo = 'later'`
    expect(issue.state).toBe('open')
  })
})
