// One world synced through the REST timeline walk and through GraphQL
// batches: the events tables are equal, ids included (comments and reviews
// by GitHub's id, other events by their node id, commits by sha,
// cross-references by source and time), users as REST's simple-user, ghosts
// and bots as REST renders them, reaction counts once the reaction pass ran.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { run } from '../src/main.js'
import { startSim, type Sim } from '../sim/index.js'
import { createTestDatabase, type TestDatabase } from './helpers/db.js'
import { testIO } from './helpers/io.js'

describe('timelines through REST and through GraphQL', () => {
  let sim: Sim
  let rest: TestDatabase
  let graphql: TestDatabase
  beforeAll(async () => {
    sim = await startSim({
      generate: { seed: 3, org: 'acme', repos: 3, items: 400, members: 8, timeline: { over100: 2, over1000: 1 } }
    })
    rest = await createTestDatabase()
    graphql = await createTestDatabase()
  })
  afterAll(async () => {
    await sim?.close()
    await rest?.drop()
    await graphql?.drop()
  })

  const sync = async (db: TestDatabase, api: 'rest' | 'graphql', mode = 'issues,events') => {
    const io = testIO({
      mode,
      'github-token': sim.runToken(),
      'api-url': sim.url,
      'database-url': db.url,
      org: 'acme',
      'timeline-api': api
    })
    const report = await run(io, { clock: () => sim.world.now(), msPerSecond: 1 })
    expect(report.ok, report.error).toBe(true)
    return report
  }

  const events = async (db: TestDatabase): Promise<string[]> => {
    const rows = await db.sql<{ j: string }[]>`
      select (to_jsonb(e) - 'timeline_page')::text as j from events e order by issue_id, id`
    return rows.map((r) => r.j)
  }

  it('writes the same rows; GraphQL spends a point per 100 timelines and per 100 comments read', async () => {
    sim.log.reset()
    // The REST walk reads at most 300 timelines a run; the next runs continue.
    for (let report = await sync(rest, 'rest'); report.incomplete; report = await sync(rest, 'rest', 'events')) {
      expect(report.tasks.at(-1)?.remaining).toMatch(/behind/)
    }
    const restTimelines = sim.log.billable({ route: '/repos/{owner}/{repo}/issues/{issue_number}/timeline' })
    sim.log.reset()
    const report = await sync(graphql, 'graphql')
    const points = sim.log.points()
    const a = await events(rest)
    const b = await events(graphql)
    expect(b.length).toBe(a.length)
    expect(b).toEqual(a)
    const items = sim.world.repos.filter((r) => !r.archived).reduce((n, r) => n + r.list.length, 0)
    expect(restTimelines).toBeGreaterThanOrEqual(items)
    expect(report.requests.points).toBe(points)
    // Every query here costs 1 point: 100 first pages a query, a query per
    // round of next pages of the long timelines, and reaction counts 100
    // comments a query (the first read of every comment).
    const comments = (await graphql.sql`select count(distinct id)::int as n from events where event = 'commented'`)[0].n
    const queries = sim.log.count({ route: '/graphql' })
    expect(points).toBe(queries)
    const firstPages = Math.ceil(items / 100)
    expect(queries).toBeGreaterThanOrEqual(firstPages + Math.ceil(comments / 100))
    expect(points).toBeLessThan(restTimelines / 5)
  }, 180_000) // two whole syncs of a world: about 30 s alone, far more on a loaded 2-core machine
})
