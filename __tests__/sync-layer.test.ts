import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { migrate } from '../src/db/migrate.js'
import { upsertMapped } from '../src/db/issues.js'
import { getPage, etagKey, parseLinks, pageOf } from '../src/github/conditional.js'
import { mapIssue } from '../src/github/map-issue.js'
import type { GitHubIssue } from '../src/github/types.js'
import { inShard, selectRepositories } from '../src/tasks/repositories.js'
import { MemoryLog } from '../src/log.js'
import { startSim, World, type Sim } from '../sim/index.js'
import { createTestDatabase, type TestDatabase } from './helpers/db.js'
import { simDeps, simSettings } from './helpers/sync.js'

describe('shared sync layer', () => {
  let db: TestDatabase
  let sim: Sim
  beforeAll(async () => {
    db = await createTestDatabase()
    await migrate(db.sql, new MemoryLog())
  })
  afterAll(async () => {
    await db.drop()
  })
  beforeEach(async () => {
    await db.sql`truncate repositories, issues, pull_requests, http_etags, sync_cursors`
    const world = new World({ org: 'acme', now: '2025-01-01T00:00:00Z' })
    for (const name of ['api', 'web', 'docs-site', 'docs-api', 'old']) world.createRepo(name)
    world.setArchived('old', true)
    sim?.close()
    sim = await startSim({ world })
  })

  it('selects repositories by glob, skips archived ones, and costs nothing when unchanged', async () => {
    const deps = simDeps(sim, db.sql)
    const picked = await selectRepositories(deps, simSettings(sim, { repos: 'docs-*, api' }))
    expect(picked.map((r) => r.name)).toEqual(['api', 'docs-api', 'docs-site'])
    expect(sim.log.billable()).toBe(1)
    sim.log.reset()
    const again = await selectRepositories(deps, simSettings(sim, { repos: 'docs-*, api' }))
    expect(again).toEqual(picked)
    expect(sim.log.billable()).toBe(0)
    expect(sim.log.notModified()).toBe(1)
    const all = await selectRepositories(deps, simSettings(sim, { 'include-archived': 'true' }))
    expect(all.map((r) => r.name)).toContain('old')
  })

  it('keeps one history for a renamed repository', async () => {
    const deps = simDeps(sim, db.sql)
    const [api] = await selectRepositories(deps, simSettings(sim, { repos: 'api' }))
    const issue = sim.world.openIssue('api', { title: 'Bug', user: 'dev-1' })
    const page = await getPage<GitHubIssue[]>(deps.octokit, 'GET /repos/{owner}/{repo}/issues', {
      owner: 'acme',
      repo: 'api',
      state: 'all'
    })
    if (page.notModified) throw new Error('unexpected 304')
    await upsertMapped(
      db.sql,
      page.data.map((i) => mapIssue(i, api))
    )
    sim.world.renameRepo('api', 'core-api')
    sim.world.advance({ minutes: 1 })
    const renamed = await selectRepositories(deps, simSettings(sim))
    expect(renamed.find((r) => r.id === api.id)?.name).toBe('core-api')
    const rows = await db.sql`select repo, repo_id from issues where number = ${issue.number}`
    expect(rows).toEqual([{ repo: 'core-api', repo_id: String(api.id) }])
    const [repo] = await db.sql`select previous_names from repositories where id = ${api.id}`
    expect(repo.previous_names).toEqual(['api'])
  })

  it('splits repositories across shards stably and completely', () => {
    const ids = Array.from({ length: 200 }, (_, i) => 1_000_000 + i * 7)
    const counts = [1, 2, 3].map((k) => ids.filter((id) => inShard(id, { index: k, count: 3 })).length)
    expect(counts.reduce((a, b) => a + b)).toBe(200)
    for (const c of counts) expect(c).toBeGreaterThan(40)
  })

  it('maps ghosts and merged state, and upserts forward-only without rewriting unchanged rows', async () => {
    const repo = { id: 9, org: 'acme', name: 'api' }
    const base = {
      id: 1,
      number: 1,
      title: 't',
      user: null,
      state: 'open',
      created_at: '2025-01-01T00:00:00Z',
      updated_at: '2025-01-02T00:00:00Z',
      url: 'u',
      html_url: 'h',
      labels: [{ name: 'bug' }]
    } as GitHubIssue
    const openPr = mapIssue({ ...base, id: 2, pull_request: { merged_at: null } }, repo)
    expect(openPr.kind === 'pull' && openPr.row.merged).toBe(false)
    const issue = mapIssue(base, repo)
    expect(issue.row.username).toBe('ghost')
    expect(await upsertMapped(db.sql, [issue, openPr])).toEqual({ issues: 1, pulls: 1 })
    expect(await upsertMapped(db.sql, [issue, openPr])).toEqual({ issues: 0, pulls: 0 })
    const older = mapIssue({ ...base, title: 'old', updated_at: '2024-12-31T00:00:00Z' }, repo)
    expect(await upsertMapped(db.sql, [older])).toEqual({ issues: 0, pulls: 0 })
    const merged = mapIssue(
      {
        ...base,
        id: 2,
        state: 'closed',
        updated_at: '2025-01-03T00:00:00Z',
        pull_request: { merged_at: '2025-01-03T00:00:00Z' }
      },
      repo
    )
    expect(await upsertMapped(db.sql, [merged])).toEqual({ issues: 0, pulls: 1 })
    const [pr] =
      await db.sql`select merged, merged_at, "user" ->> 'login' as login, updated_at from pull_requests where id = 2`
    expect(pr.merged).toBe(true)
    expect(pr.merged_at.toISOString()).toBe('2025-01-03T00:00:00.000Z')
    expect(pr.updated_at.toISOString()).toBe('2025-01-03T00:00:00.000Z')
    expect(pr.login).toBe('ghost')
    const [{ name }] =
      await db.sql`select l ->> 'name' as name from issues, jsonb_array_elements(array_to_json(labels)::jsonb) l`
    expect(name).toBe('bug')
  })

  it('builds stable ETag keys and parses Link headers', () => {
    expect(etagKey('GET /repos/{owner}/{repo}/issues', { owner: 'a', repo: 'b', state: 'all', per_page: 100 })).toBe(
      '/repos/a/b/issues?per_page=100&state=all'
    )
    expect(etagKey('http://h:1/repos/a/b/issues?state=all&per_page=100')).toBe(
      '/repos/a/b/issues?per_page=100&state=all'
    )
    const links = parseLinks('<http://h/x?page=2>; rel="next", <http://h/x?page=5>; rel="last"')
    expect(pageOf(links.last)).toBe(5)
    expect(pageOf(links.next)).toBe(2)
  })
})
