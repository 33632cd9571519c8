import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { Sql } from '../src/db/connect.js'
import { migrate } from '../src/db/migrate.js'
import { upsertMapped } from '../src/db/issues.js'
import { getPage } from '../src/github/conditional.js'
import { mapIssue } from '../src/github/map-issue.js'
import type { GitHubIssue } from '../src/github/types.js'
import { selectRepositories } from '../src/tasks/repositories.js'
import { MemoryLog } from '../src/log.js'
import { runDaily } from '../src/tasks/daily.js'
import { startSim, World, type Sim } from '../sim/index.js'
import { createTestDatabase, type TestDatabase } from './helpers/db.js'
import { simDeps, simSettings } from './helpers/sync.js'

/** api: 130 PRs (60 merged, 50 closed unmerged, 20 open); web: 12 (7 merged, 5 open); empty: none. */
function buildWorld(): World {
  const world = new World({ org: 'acme', now: '2024-01-01T00:00:00Z' })
  for (const name of ['api', 'web', 'empty']) world.createRepo(name)
  for (let i = 0; i < 130; i++) {
    world.advance({ hours: 5 })
    const pr = world.openIssue('api', { title: `change ${i}`, user: `dev-${i % 5}`, isPull: true })
    if (i < 60) world.merge('api', pr.number, 'dev-1')
    else if (i < 110) world.close('api', pr.number, { actor: 'dev-2' })
  }
  for (let i = 0; i < 12; i++) {
    world.advance({ hours: 7 })
    const pr = world.openIssue('web', { title: `web ${i}`, user: 'dev-3', isPull: true })
    if (i < 7) world.merge('web', pr.number, 'dev-1')
  }
  world.openIssue('empty', { title: 'an issue, not a PR', user: 'dev-1' })
  world.advance({ days: 2 })
  return world
}

/** Stores every issue and PR of the selected repositories, as a sync would have. */
async function load(sim: Sim, sql: Sql): Promise<void> {
  const deps = simDeps(sim, sql)
  for (const repo of await selectRepositories(deps, simSettings(sim))) {
    let next: string | undefined
    let first = true
    while (first || next) {
      const page = first
        ? await getPage<GitHubIssue[]>(deps.octokit, 'GET /repos/{owner}/{repo}/issues', {
            owner: 'acme',
            repo: repo.name,
            state: 'all',
            per_page: 100
          })
        : await getPage<GitHubIssue[]>(deps.octokit, next as string)
      first = false
      if (page.notModified) break
      await upsertMapped(
        sql,
        page.data.map((i) => mapIssue(i, repo))
      )
      next = page.links.next
    }
  }
}

const dump = (sql: Sql) =>
  sql`select id, repo, number, state, merged, merged_at, updated_at from pull_requests order by id`

describe('daily', () => {
  let db: TestDatabase
  let sim: Sim
  beforeAll(async () => {
    db = await createTestDatabase()
    await migrate(db.sql, new MemoryLog())
    sim = await startSim({ world: buildWorld() })
  })
  afterAll(async () => {
    await sim.close()
    await db.drop()
  })
  beforeEach(async () => {
    await db.sql`truncate repositories, issues, pull_requests, http_etags, sync_cursors`
    await load(sim, db.sql)
    sim.log.reset()
  })

  it('corrects every wrong merged value with one org-wide search per 100 closed PRs', async () => {
    const truth = await dump(db.sql)
    // Flip merged on a spread of closed PRs both ways, and mark an open PR
    // merged as the seed's default did; updated_at is left alone.
    const flipped = await db.sql`
      update pull_requests set merged = not merged
      where state = 'closed' and number % 4 = 0 returning id`
    expect(flipped.length).toBeGreaterThan(20)

    const deps = simDeps(sim, db.sql)
    const result = await runDaily(deps, simSettings(sim, { mode: 'daily' }))

    expect(result.counts).toMatchObject({ repositories: 2, checked: 117, corrected: flipped.length })
    expect(result.counts.written).toBe(flipped.length)
    expect(await dump(db.sql)).toEqual(truth)
    // 117 closed PRs → 2 search pages; the repository list is a free 304.
    expect(sim.log.billable({ route: '/search/issues' })).toBe(2)
    expect(sim.log.billable()).toBe(2)
    expect(deps.log.lines.join('\n')).toMatch(/117 checked|100% of the range/)

    // The next day: only what closed since (less the overlap) is searched —
    // one request however long the history.
    sim.log.reset()
    sim.world.advance({ days: 1 })
    const again = await runDaily(deps, simSettings(sim, { mode: 'daily' }))
    expect(again.counts).toMatchObject({ checked: 0, corrected: 0, written: 0 })
    expect(sim.log.billable({ route: '/search/issues' })).toBe(1)

    // A dispatch with since re-checks the whole history from that date.
    sim.log.reset()
    await db.sql`update pull_requests set merged = not merged where state = 'closed' and number % 4 = 0`
    const full = await runDaily(deps, simSettings(sim, { mode: 'daily', since: '2000-01-01' }))
    expect(full.counts).toMatchObject({ checked: 117, corrected: flipped.length })
    expect(sim.log.billable({ route: '/search/issues' })).toBe(2)
    expect(await dump(db.sql)).toEqual(truth)
  })

  it('with a repos filter searches only the selected repositories that have PRs stored', async () => {
    await db.sql`update pull_requests set merged = false where repo = 'web' and merged`
    const deps = simDeps(sim, db.sql)
    const result = await runDaily(deps, simSettings(sim, { mode: 'daily', repos: 'web, empty' }))
    expect(result.counts).toMatchObject({ repositories: 1, checked: 7, corrected: 7 })
    const searches = sim.log.entries.filter((e) => e.route === '/search/issues')
    expect(searches).toHaveLength(1)
    expect(decodeURIComponent(searches[0].query)).toMatch(/repo:acme\/web /)
    const [{ merged }] = await db.sql`select count(*)::int as merged from pull_requests where repo = 'web' and merged`
    expect(merged).toBe(7)
  })

  it('since limits the range to PRs closed after it', async () => {
    const [{ cut }] = await db.sql<{ cut: string }[]>`
      select to_char(closed_at, 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as cut from pull_requests
      where repo = 'api' and state = 'closed' order by closed_at offset 99 limit 1`
    const deps = simDeps(sim, db.sql)
    const result = await runDaily(deps, simSettings(sim, { mode: 'daily', since: cut }))
    expect(result.counts.checked).toBe(18) // the 100th..110th closed in api, and web's 7
    expect(sim.log.billable({ route: '/search/issues' })).toBe(1)
  })

  it('costs only the repository list when no PR is stored', async () => {
    await db.sql`truncate pull_requests`
    const deps = simDeps(sim, db.sql)
    const result = await runDaily(deps, simSettings(sim, { mode: 'daily' }))
    expect(result.counts.checked).toBe(0)
    expect(sim.log.billable({ route: '/search/issues' })).toBe(0)
  })
})
