// The `events` task end to end on the simulated GitHub and a real Postgres:
// it reads exactly the timelines whose item moved since they were stored
// (the "timeline behind" mark), through GraphQL batches, what it costs in
// points, and that a run killed half-way resumes to the rows of a clean run.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readSettings } from '../src/inputs.js'
import type { Repo } from '../src/model/repo.js'
import { runDaily } from '../src/tasks/daily.js'
import { runEvents } from '../src/tasks/events.js'
import { startSim, World, type Sim } from '../sim/index.js'
import type { IssueRec } from '../sim/model.js'
import { createTestDatabase, type TestDatabase } from './helpers/db.js'
import { depsFor, expectedRows, grow, migrateAll, repoOf, storeIssues, storedRows } from './helpers/events-fixtures.js'

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

function settings(extra: Record<string, string> = {}) {
  const inputs: Record<string, string> = {
    mode: 'events',
    'github-token': 't',
    'api-url': sim.url,
    'database-url': db.url,
    org: 'acme',
    ...extra
  }
  return readSettings((name) => inputs[name] ?? '', {}, sim.world.now())
}

async function run(extra: Record<string, string> = {}) {
  const deps = depsFor(sim, db.sql)
  sim.log.reset()
  const result = await runEvents(deps, settings(extra))
  return {
    ...result,
    log: deps.log.lines,
    points: sim.log.points(),
    queries: sim.log.count({ route: '/graphql' }),
    rest: sim.log.billable({ bucket: 'core' })
  }
}

/** The daily workflow's run (`daily`), which carries the reaction pass. */
async function runDailyPass() {
  const deps = depsFor(sim, db.sql)
  sim.log.reset()
  const result = await runDaily(deps, settings({ mode: 'daily' }))
  return { ...result, points: sim.log.points() }
}

const behind = async (): Promise<number> =>
  (
    await db.sql`select ((select count(*) from issues where timeline_updated_at is null or updated_at > timeline_updated_at)
      + (select count(*) from pull_requests where timeline_updated_at is null or updated_at > timeline_updated_at))::int as n`
  )[0].n as number

/**
 * Every timeline stored exactly as REST renders it. A comment's reaction
 * counts are not part of a GraphQL timeline read: until a later query reads
 * them they are null (unknown), which `reactions: 'known'` does not allow.
 */
async function expectAllStored(reactions: 'known' | 'known or unknown' = 'known or unknown'): Promise<void> {
  for (const rec of recs) {
    const want = await expectedRows(sim, repo, rec)
    const got = await storedRows(db.sql, rec.id)
    if (reactions === 'known or unknown') {
      got.forEach((row, k) => {
        if (row.event === 'commented' && row.reactions === null && want[k]) row.reactions = want[k].reactions
      })
    }
    expect(got).toEqual(want)
  }
}

describe('events task', () => {
  it('does nothing while no issue is stored', async () => {
    const result = await run()
    expect(result.queries).toBe(0)
    expect(result.counts).toMatchObject({ behind: 0, issues: 0, events: 0 })
  })

  it('reads every timeline that is behind in one GraphQL query, and one more for the page past 100 items', async () => {
    await storeIssues(db.sql, sim.world, 'app')
    expect(await behind()).toBe(4)
    const result = await run()
    // The first pages of all four (1 point) and page two of the 120-item one
    // (1 point). Comments' reaction counts are left for a later query (fewer
    // than a point's worth: 100).
    expect(result.counts).toMatchObject({ behind: 4, issues: 4, events: 3 + 120 + 0 + 3 })
    expect(result.points).toBe(2)
    const unknown = (
      await db.sql`select count(*)::int as n from events where event = 'commented' and reactions is null`
    )[0].n
    expect(unknown).toBeGreaterThan(50)
    expect(result.rest).toBe(0) // the repository list is stored; GET /rate_limit is free
    expect(await behind()).toBe(0)
    await expectAllStored()
  })

  it('costs nothing when no timeline is behind', async () => {
    const result = await run()
    expect(result.queries).toBe(0)
    expect(sim.log.billable()).toBe(0)
    expect(result.counts).toMatchObject({ behind: 0, issues: 0 })
  })

  it('re-reads only the issue whose updated_at moved, and its new comment rides the next query', async () => {
    sim.world.advance({ minutes: 10 })
    sim.world.comment('app', recs[0].number, { user: 'dev-4', body: 'late news' })
    await storeIssues(db.sql, sim.world, 'app')
    expect(await behind()).toBe(1)
    const result = await run()
    expect(result.counts).toMatchObject({ behind: 1, issues: 1, events: 1 })
    expect(result.points).toBe(1)
    expect(await behind()).toBe(0)
    // The new comment's reaction counts are not in a timeline read: unknown until a later query.
    const comment = sim.world.issue('app', recs[0].number).timeline.at(-1)!
    expect((await db.sql`select reactions from events where id = ${comment.id}`)[0].reactions).toBeNull()
    sim.world.advance({ minutes: 1 })
    sim.world.label('app', recs[2].number, 'triage', 'dev-1')
    await storeIssues(db.sql, sim.world, 'app')
    const next = await run()
    expect(next.points).toBe(1) // recs[2]'s timeline and 49 comments' reactions, one query
    expect(next.counts.reactions).toBeGreaterThan(0)
    await expectAllStored()
  })

  it('sees a reaction (which moves no updated_at) with the daily reaction pass', async () => {
    const comment = recs[1].timeline.find((t) => t.kind === 'commented' && !t.deleted)!
    sim.world.react('app', { commentId: comment.id }, 'heart', 'dev-5')
    const quiet = await run()
    expect(quiet.queries).toBe(0)
    const hearts = async () =>
      ((await db.sql`select reactions from events where id = ${comment.id}`)[0].reactions as Record<string, number>)
        .heart
    expect(await hearts()).toBe(0)
    // A day later, still not in a 10-minute run: the pass is the daily workflow's.
    sim.world.advance({ hours: 24 })
    expect((await run()).queries).toBe(0)
    const daily = await runDailyPass()
    // The daily pass: every comment of the items updated within 7 days,
    // fewer than 100 (1 point); none is unknown any more (the two queries
    // before carried 49 each).
    expect(daily.points).toBe(1)
    expect(await hearts()).toBe(1)
    await expectAllStored('known')
  })

  it('sees a reaction on a comment written weeks ago with the rolling sweep (every comment within 30 days)', async () => {
    sim.world.advance({ days: 10 })
    const old = recs[1].timeline.filter((t) => t.kind === 'commented' && !t.deleted)[3]
    sim.world.react('app', { commentId: old.id }, 'rocket', 'dev-6')
    const daily = await runDailyPass()
    // No comment was written in the last 7 days; the sweep's slice (a 30th
    // of the stored comments, at least 100) holds all of them here.
    expect(daily.points).toBe(1)
    const [row] = await db.sql`select reactions from events where id = ${old.id}`
    expect((row.reactions as Record<string, number>).rocket).toBe(1)
  })

  it('a run that dies half-way leaves the rest behind, and the next run ends with the rows of a clean run', async () => {
    sim.world.advance({ minutes: 30 })
    for (const rec of recs.slice(0, 3)) {
      sim.world.advance({ seconds: 10 })
      grow(sim.world, 'app', rec.number, 2)
    }
    await storeIssues(db.sql, sim.world, 'app')
    expect(await behind()).toBe(3)
    // The query for page two of the long timeline fails, retries included.
    for (let n = 2; n <= 5; n++) sim.faults.failNth({ route: '/graphql' }, n, { status: 500 })
    await expect(run()).rejects.toThrow()
    sim.faults.clear()
    expect(await behind()).toBe(3) // nothing of the batch was stored
    const result = await run()
    expect(result.counts).toMatchObject({ issues: 3 })
    expect(await behind()).toBe(0)
    await expectAllStored()
  })

  it('stops at the GraphQL budget reserve, reports what is left, and the next run continues', async () => {
    sim.world.advance({ minutes: 30 })
    for (const rec of recs.slice(0, 3)) grow(sim.world, 'app', rec.number, 1)
    await storeIssues(db.sql, sim.world, 'app')
    const stopped = await run({ 'budget-reserve': '5000' }) // the whole hourly budget: stop before any query
    expect(stopped.queries).toBe(0)
    expect(stopped.incomplete).toBe(true)
    expect(stopped.remaining).toMatch(/3 timeline\(s\) behind: stopped at the budget reserve/)
    const rest = await run()
    expect(rest.counts.issues).toBe(3)
    await expectAllStored()
  })

  it('reads through the REST timeline endpoint with timeline-api: rest, to the same rows', async () => {
    sim.world.advance({ minutes: 30 })
    for (const rec of recs) grow(sim.world, 'app', rec.number, 1)
    await storeIssues(db.sql, sim.world, 'app')
    const result = await run({ 'timeline-api': 'rest' })
    expect(result.queries).toBe(0)
    expect(result.counts).toMatchObject({ issues: 4 })
    expect(await behind()).toBe(0)
    await expectAllStored()
  })
})
