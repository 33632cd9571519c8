// The `events` task end to end on the simulated GitHub and a real Postgres:
// which issues it reads (those the `issues` task stored, updated since the
// cursor minus overlap), what it costs, and that a run killed half-way
// resumes to the same rows as a clean run.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { getCursor } from '../src/db/cursors.js'
import type { Repo } from '../src/model/repo.js'
import { readSettings } from '../src/inputs.js'
import { runEvents } from '../src/tasks/events.js'
import { startSim, World, type Sim } from '../sim/index.js'
import type { IssueRec } from '../sim/model.js'
import { createTestDatabase, type TestDatabase } from './helpers/db.js'
import {
  depsFor,
  expectedRows,
  grow,
  issueOf,
  migrateAll,
  repoOf,
  storeIssues,
  storedRows
} from './helpers/events-fixtures.js'

const TIMELINE = '/repos/{owner}/{repo}/issues/{issue_number}/timeline'
let sim: Sim
let db: TestDatabase
let repo: Repo
const recs: IssueRec[] = []

beforeAll(async () => {
  const world = new World({ org: 'acme', now: '2025-03-01T00:00:00Z' })
  world.createRepo('app')
  world.createRepo('lib')
  world.openIssue('lib', { title: 'Source of cross-references', user: 'dev-1' })
  for (const size of [3, 120, 0]) {
    const rec = world.openIssue('app', { title: `Issue with ${size} items`, user: 'dev-1' })
    grow(world, 'app', rec.number, size)
    recs.push(rec)
  }
  const pr = world.openIssue('app', { title: 'A pull request', user: 'dev-2', isPull: true })
  world.review('app', pr.number, { user: 'dev-3', state: 'APPROVED', body: 'ship it' })
  world.merge('app', pr.number, 'dev-3')
  recs.push(pr)
  world.advance({ minutes: 5 })
  sim = await startSim({ world })
  db = await createTestDatabase()
  await migrateAll(db.sql)
  repo = repoOf(world, 'app')
})
afterAll(async () => {
  await sim?.close()
  await db?.drop()
})

function settings() {
  const inputs: Record<string, string> = {
    mode: 'events',
    'github-token': 't',
    'api-url': sim.url,
    'database-url': db.url,
    org: 'acme'
  }
  return readSettings((name) => inputs[name] ?? '', {}, sim.world.now())
}

async function run() {
  const deps = depsFor(sim, db.sql)
  const billable = sim.log.billable()
  const free = sim.log.notModified()
  const timeline = sim.log.count({ route: TIMELINE })
  const timelineBillable = sim.log.billable({ route: TIMELINE })
  const result = await runEvents(deps, settings())
  return {
    ...result,
    log: deps.log.lines,
    billable: sim.log.billable() - billable,
    free: sim.log.notModified() - free,
    timelineRequests: sim.log.count({ route: TIMELINE }) - timeline,
    /** Billable timeline requests only: the repository list costs 1 whenever a repository changed. */
    timelineBillable: sim.log.billable({ route: TIMELINE }) - timelineBillable
  }
}

async function expectAllStored(): Promise<void> {
  for (const rec of recs) expect(await storedRows(db.sql, rec.id)).toEqual(await expectedRows(sim, repo, rec))
}

describe('events task', () => {
  it('does nothing for a repository whose issues are not stored yet, and says so', async () => {
    const result = await run()
    expect(result.timelineRequests).toBe(0)
    expect(result.counts).toMatchObject({ repositories: 0, issues: 0, events: 0 })
    expect(result.log.filter((l) => l.includes("run the 'issues' task first"))).toHaveLength(2)
  })

  it('reads the timelines of the stored issues updated in the last day', async () => {
    await storeIssues(db.sql, sim.world, 'app')
    const result = await run()
    // 1 page each, plus the second page of the 120-item timeline; the repository list is unchanged (304).
    expect(result.billable).toBe(5)
    expect(result.counts).toMatchObject({ repositories: 1, issues: 4, pages: 5, notModified: 0 })
    expect(result.counts.events).toBe(3 + 120 + 0 + 3)
    await expectAllStored()
    const cursor = await getCursor(db.sql, 'events', repo.id)
    expect(cursor.highWater).toEqual(new Date(Math.max(...recs.map((r) => issueOf(r).updatedAt.getTime()))))
  })

  it('costs nothing on a second run with no change', async () => {
    const result = await run()
    expect(result.billable).toBe(0)
    expect(result.free).toBe(5) // every timeline page: 304
    expect(result.counts).toMatchObject({ issues: 4, events: 0, pages: 0, notModified: 5 })
  })

  it('reads one page for a new comment once the issues task stored the update', async () => {
    sim.world.advance({ minutes: 10 })
    sim.world.comment('app', recs[1].number, { user: 'dev-4', body: 'late news' })
    await storeIssues(db.sql, sim.world, 'app')
    const result = await run()
    expect(result.timelineBillable).toBe(1)
    // Every issue is within the overlap of the cursor: the others answer 304.
    expect(result.counts).toMatchObject({ issues: 4, events: 1, pages: 1, notModified: 4 })
    await expectAllStored()
  })

  it('catches a reaction on an issue inside the overlap window, and on an older one with its next update', async () => {
    const recent = recs[1].timeline.find((t) => t.kind === 'commented')!
    const older = recs[0].timeline.find((t) => t.kind === 'commented')!
    sim.world.react('app', { commentId: recent.id }, 'heart', 'dev-5')
    sim.world.react('app', { commentId: older.id }, 'eyes', 'dev-5')
    const first = await run()
    expect(first.timelineBillable).toBe(1) // recs[1] is within overlap of the cursor; recs[0] is not read
    const reactions = async (id: number) =>
      (await db.sql`select reactions from events where id = ${id}`)[0].reactions as Record<string, number>
    expect((await reactions(recent.id)).heart).toBe(1)
    expect((await reactions(older.id)).eyes).toBe(0)

    sim.world.advance({ minutes: 1 })
    sim.world.label('app', recs[0].number, 'triage', 'dev-1')
    await storeIssues(db.sql, sim.world, 'app')
    const second = await run()
    expect(second.timelineBillable).toBe(1)
    expect((await reactions(older.id)).eyes).toBe(1)
    await expectAllStored()
  })

  it('a run that dies half-way resumes to the rows of a clean run', async () => {
    sim.world.advance({ minutes: 30 })
    for (const rec of recs.slice(0, 3)) {
      sim.world.advance({ seconds: 10 })
      grow(sim.world, 'app', rec.number, 2)
    }
    await storeIssues(db.sql, sim.world, 'app')
    // Every attempt at the second issue's timeline fails (retries included).
    const path = new RegExp(`/issues/${recs[1].number}/timeline$`)
    for (let n = 1; n <= 4; n++) sim.faults.failNth({ path }, n, { status: 500 })
    await expect(run()).rejects.toThrow()
    sim.faults.clear()
    const cursor = await getCursor(db.sql, 'events', repo.id)
    expect(cursor.highWater).toEqual(issueOf(recs[0]).updatedAt) // the first issue's transaction only
    expect(await storedRows(db.sql, recs[0].id)).toEqual(await expectedRows(sim, repo, recs[0]))

    const result = await run()
    expect(result.timelineBillable).toBe(2) // recs[1] page 2 and recs[2] page 1; recs[0] is 304 now
    await expectAllStored()
    expect((await getCursor(db.sql, 'events', repo.id)).highWater).toEqual(issueOf(recs[2]).updatedAt)
  })

  it('stops at the budget reserve and reports what is left', async () => {
    sim.world.advance({ minutes: 30 })
    for (const rec of recs.slice(0, 3)) grow(sim.world, 'app', rec.number, 1)
    await storeIssues(db.sql, sim.world, 'app')
    const deps = depsFor(sim, db.sql)
    const s = { ...settings(), budgetReserve: 5000 } // the sim's whole hourly budget: stop before any issue
    const result = await runEvents(deps, s)
    expect(result.incomplete).toBe(true)
    expect(result.remaining).toContain('app')
    expect(result.counts.issues).toBe(0)
    const rest = await run()
    expect(rest.counts.issues).toBeGreaterThanOrEqual(3)
    await expectAllStored()
  })
})
