// syncIssueTimelines against the simulated GitHub and a real Postgres:
// timelines of 1, 100, 101, 250 and 1,000 items, each then edited on its
// first page, gaining items on its last page and gaining a new page. After
// every step the `events` rows of the issue equal the simulator's whole
// timeline (every column, every row), and the billable cost is exact.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { syncIssueTimelines, type TimelineStats } from '../src/tasks/timelines.js'
import type { Repo } from '../src/model/repo.js'
import { startSim, World, type Sim } from '../sim/index.js'
import type { IssueRec } from '../sim/model.js'
import { createTestDatabase, type TestDatabase } from './helpers/db.js'
import { depsFor, expectedRows, grow, issueOf, migrateAll, repoOf, storedRows } from './helpers/events-fixtures.js'

let sim: Sim
let db: TestDatabase
let repo: Repo

beforeAll(async () => {
  const world = new World({ org: 'acme', now: '2025-01-01T00:00:00Z' })
  world.createRepo('app')
  world.createRepo('lib')
  world.openIssue('lib', { title: 'Source of cross-references', user: 'dev-1' })
  sim = await startSim({ world })
  db = await createTestDatabase()
  await migrateAll(db.sql)
  repo = repoOf(world, 'app')
})
afterAll(async () => {
  await sim?.close()
  await db?.drop()
})

/** Runs one sync of the issue and reports its cost from the simulator's log. */
async function sync(rec: IssueRec): Promise<TimelineStats & { billable: number; free: number }> {
  const billable = sim.log.billable()
  const free = sim.log.notModified()
  const stats = await syncIssueTimelines(depsFor(sim, db.sql), repo, [issueOf(rec)])
  return { ...stats, billable: sim.log.billable() - billable, free: sim.log.notModified() - free }
}

async function expectStoredEqualsTimeline(rec: IssueRec): Promise<void> {
  const expected = await expectedRows(sim, repo, rec)
  expect(expected).toHaveLength(rec.timeline.length)
  expect(await storedRows(db.sql, rec.id)).toEqual(expected)
}

const pages = (items: number): number => Math.floor(items / 100) + 1 // a full last page is followed by an empty one

describe.each([1, 100, 101, 250, 1000])('a timeline of %i items', (size) => {
  let rec: IssueRec

  it('is stored whole at one billable request a page', async () => {
    rec = sim.world.openIssue('app', { title: `Timeline of ${size}`, user: 'dev-1' })
    grow(sim.world, 'app', rec.number, size)
    expect(rec.timeline).toHaveLength(size)
    const run = await sync(rec)
    expect(run.billable).toBe(pages(size))
    expect(run).toMatchObject({ pages: pages(size), notModified: 0, events: size, deleted: 0, free: 0 })
    await expectStoredEqualsTimeline(rec)
  })

  it('costs nothing when unchanged: every page answers 304', async () => {
    const run = await sync(rec)
    expect(run.billable).toBe(0)
    expect(run).toMatchObject({ pages: 0, events: 0, notModified: pages(size), free: pages(size) })
  })

  it('catches an edit on the first page for one request', async () => {
    const first = rec.timeline.find((t) => t.kind === 'commented')!
    sim.world.advance({ minutes: 1 })
    sim.world.editComment('app', first.id, `edited ${size}`)
    const run = await sync(rec)
    expect(run.billable).toBe(1)
    expect(run).toMatchObject({ pages: 1, events: 1, notModified: pages(size) - 1 })
    await expectStoredEqualsTimeline(rec)
    const [row] = await db.sql`select body from events where id = ${first.id} and issue_id = ${rec.id}`
    expect(row.body).toBe(`edited ${size}`)
  })

  it('catches items added to the last page for one request', async () => {
    grow(sim.world, 'app', rec.number, 5)
    const run = await sync(rec)
    expect(run.billable).toBe(1)
    expect(run).toMatchObject({ pages: 1, events: 5, notModified: pages(size) - 1 })
    await expectStoredEqualsTimeline(rec)
  })

  it('catches a new page for one request per page changed or added', async () => {
    const before = pages(rec.timeline.length)
    grow(sim.world, 'app', rec.number, 100 - (rec.timeline.length % 100) + 10)
    const after = pages(rec.timeline.length)
    expect(after).toBe(before + 1)
    const run = await sync(rec)
    expect(run.billable).toBe(2) // the old last page, now full, and the new one
    expect(run.notModified).toBe(before - 1)
    await expectStoredEqualsTimeline(rec)
    expect((await sync(rec)).billable).toBe(0)
  })
})

describe('changes that do not move the issue', () => {
  let rec: IssueRec

  beforeAll(async () => {
    rec = sim.world.openIssue('app', { title: 'Reactions, deletions, ghosts', user: 'dev-1' })
    sim.world.comment('app', rec.number, { user: 'leaver', body: 'I will delete my account' })
    grow(sim.world, 'app', rec.number, 129)
    await sync(rec)
  })

  it('a push to the repository a cross-reference comes from changes the pages holding one, but no row', async () => {
    // A cross-reference embeds its source issue and repository as they are
    // now (pushed_at, updated_at), so the page's ETag moves with them.
    sim.world.commit('lib', 1, { message: 'elsewhere', actor: 'dev-2' })
    const run = await sync(rec)
    expect(run).toMatchObject({ billable: 2, pages: 2, events: 0, deleted: 0 })
    await expectStoredEqualsTimeline(rec)
  })

  it('a reaction on a comment updates its row for one request', async () => {
    const c = rec.timeline.find((t) => t.kind === 'commented')!
    sim.world.react('app', { commentId: c.id }, 'rocket', 'dev-4')
    const run = await sync(rec)
    expect(run).toMatchObject({ billable: 1, events: 1 })
    const [row] = await db.sql`select reactions from events where id = ${c.id} and issue_id = ${rec.id}`
    expect(row.reactions).toMatchObject({ rocket: 1, total_count: 1 })
    await expectStoredEqualsTimeline(rec)
  })

  it('an author who deletes their account becomes ghost', async () => {
    sim.world.deleteUser('leaver')
    const run = await sync(rec)
    expect(run.billable).toBe(1)
    const rows = await db.sql`select username, "user" ->> 'login' as login from events where issue_id = ${rec.id}
      and body = 'I will delete my account'`
    expect(rows).toEqual([{ username: 'ghost', login: 'ghost' }])
    await expectStoredEqualsTimeline(rec)
  })

  it('a deleted comment is deleted, and items shifted across pages are kept', async () => {
    const c = rec.timeline.find((t) => t.kind === 'commented')!
    sim.world.deleteComment('app', c.id)
    const run = await sync(rec)
    expect(run).toMatchObject({ billable: 2, deleted: 1 }) // both pages shifted by one item
    const gone = await db.sql`select 1 from events where id = ${c.id}`
    expect(gone).toHaveLength(0)
    await expectStoredEqualsTimeline(rec)
  })

  it('a timeline that shrinks back to one page forgets the pages after it', async () => {
    let removed = 0
    while (rec.timeline.length >= 95) {
      sim.world.deleteComment('app', rec.timeline.find((t) => t.kind === 'commented')!.id)
      removed++
    }
    const run = await sync(rec)
    expect(run).toMatchObject({ deleted: removed, billable: 1, pages: 1 }) // page 1 links no next page: page 2 is gone
    await expectStoredEqualsTimeline(rec)
    const polls = await db.sql`select page_no from event_polls where id = ${rec.id} order by page_no`
    expect(polls.map((p) => p.page_no)).toEqual([1])
    expect((await sync(rec)).billable).toBe(0)
  })
})

describe('two syncs of one issue at once (events and backfill)', () => {
  it('end with the whole timeline stored and consistent ETags', async () => {
    const rec = sim.world.openIssue('app', { title: 'Raced', user: 'dev-1' })
    grow(sim.world, 'app', rec.number, 230)
    await Promise.all([sync(rec), sync(rec), sync(rec)])
    await expectStoredEqualsTimeline(rec)
    grow(sim.world, 'app', rec.number, 3)
    await Promise.all([sync(rec), sync(rec)])
    await expectStoredEqualsTimeline(rec)
    expect((await sync(rec)).billable).toBe(0)
  })
})

describe('issues that cannot be read', () => {
  it('a transferred issue (301) and a deleted one (410) are skipped without storing anything', async () => {
    sim.world.createRepo('other')
    const moved = sim.world.openIssue('app', { title: 'To be moved' })
    const deleted = sim.world.openIssue('app', { title: 'To be deleted' })
    grow(sim.world, 'app', moved.number, 3)
    grow(sim.world, 'app', deleted.number, 3)
    sim.world.transfer('app', moved.number, 'other')
    sim.world.deleteIssue('app', deleted.number)
    const deps = depsFor(sim, db.sql)
    const stats = await syncIssueTimelines(deps, repo, [issueOf(moved), issueOf(deleted)])
    expect(stats).toMatchObject({ skipped: 2, issues: 0, events: 0 })
    const rows = await db.sql`select 1 from events where issue_id in ${db.sql([moved.id, deleted.id])}`
    expect(rows).toHaveLength(0)
    expect(deps.log.lines.filter((l) => l.startsWith('warning:'))).toHaveLength(2)
  })
})
