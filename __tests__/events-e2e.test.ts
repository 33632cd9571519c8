// `issues,events` end to end through run() on a generated org (ghost
// authors, bots, a 1,000+ item timeline, timelines over 100, transferred
// and deleted issues, a renamed repository): after each run, every stored
// issue's `events` rows equal its whole timeline on the simulated GitHub
// (read through GraphQL, compared with the REST timeline's rows).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Repo } from '../src/model/repo.js'
import { run, type RunReport } from '../src/main.js'
import { generateWorld, startSim, type Sim } from '../sim/index.js'
import { createTestDatabase, type TestDatabase } from './helpers/db.js'
import { expectedRows, migrateAll, storedRows } from './helpers/events-fixtures.js'
import { testIO } from './helpers/io.js'

const TIMELINE = '/repos/{owner}/{repo}/issues/{issue_number}/timeline'
let sim: Sim
let db: TestDatabase

beforeAll(async () => {
  const world = generateWorld({ seed: 5, repos: 3, items: 300, members: 12, timeline: { over100: 2, over1000: 1 } })
  sim = await startSim({ world })
  db = await createTestDatabase()
  await migrateAll(db.sql)
})
afterAll(async () => {
  await sim?.close()
  await db?.drop()
})

async function sync(mode = 'issues,events'): Promise<RunReport & { timelineBillable: number; points: number }> {
  const before = sim.log.billable({ route: TIMELINE })
  const points = sim.log.points()
  const io = testIO({
    mode,
    'github-token': 't',
    'api-url': sim.url,
    'database-url': db.url,
    org: 'acme',
    since: '2020-01-01'
  })
  const report = await run(io, { clock: () => sim.world.now(), msPerSecond: 1 })
  expect(report.error).toBeUndefined()
  return {
    ...report,
    timelineBillable: sim.log.billable({ route: TIMELINE }) - before,
    points: sim.log.points() - points
  }
}

/** Every stored issue and pull request: its events rows equal its timeline on the simulator. */
async function expectEveryTimelineStored(): Promise<number> {
  const issues = await db.sql<{ id: string; number: number; repo_id: string }[]>`
    select id, number, repo_id from issues union all select id, number, repo_id from pull_requests`
  let items = 0
  for (const i of issues) {
    const r = sim.world.reposById.get(Number(i.repo_id))!
    const rec = r.issues.get(i.number)!
    if (rec.deleted || rec.movedTo) continue
    const repo: Repo = {
      id: r.id,
      org: 'acme',
      name: r.name,
      fullName: `acme/${r.name}`,
      archived: false,
      private: false
    }
    const expected = await expectedRows(sim, repo, { id: Number(i.id), number: i.number })
    expect(await storedRows(db.sql, Number(i.id))).toEqual(expected)
    items += expected.length
  }
  return items
}

describe('issues,events on a generated org', () => {
  it('stores every timeline exactly', async () => {
    const report = await sync()
    const events = report.tasks.find((t) => t.task === 'events')!
    expect(events.counts.events).toBeGreaterThan(3000)
    expect(await expectEveryTimelineStored()).toBe(events.counts.events)
  })

  it('costs nothing when nothing changed', async () => {
    const report = await sync()
    expect(report.timelineBillable).toBe(0)
    expect(report.points).toBe(0)
    expect(report.tasks.find((t) => t.task === 'events')!.requests.billable).toBe(0)
  })

  it('after edits, reactions, deletions and new items, stores the timelines again exactly', async () => {
    const w = sim.world
    w.advance({ minutes: 20 })
    const repo = w.repos.find((r) => !r.archived && r.list.some((i) => i.timeline.length > 100))!
    const long = repo.list.find((i) => i.timeline.length > 100 && !i.deleted && !i.movedTo)!
    const comments = long.timeline.filter((t) => t.kind === 'commented')
    w.editComment(repo.name, comments[0].id, 'edited on page 1')
    w.deleteComment(repo.name, comments[2].id)
    w.comment(repo.name, long.number, { user: null, body: 'from a ghost' })
    const recent = w.comment(repo.name, long.number, { user: 'dev-2', body: 'written today' })
    const report = await sync()
    // One point a page of the one timeline that moved (the deletion and the
    // new comment move the issue's updated_at; the edit is on one of its pages).
    expect(report.timelineBillable).toBe(0)
    expect(report.points).toBe(Math.ceil(long.timeline.length / 100))
    // A reaction moves no updated_at: the daily workflow's reaction pass
    // reads it (it re-reads every comment written in the last 7 days, and a
    // slice of the rest).
    w.react(repo.name, { commentId: recent.id }, 'hooray', 'dev-1')
    w.advance({ hours: 25 })
    const daily = await sync('daily')
    expect(daily.points).toBeGreaterThan(0)
    await expectEveryTimelineStored()
    expect((await sync()).points).toBe(0)
  })
})
