// The `issues` task on the simulated GitHub and a real Postgres: full sync,
// conditional no-change runs, incremental changes, missed runs, ghost
// authors and a renamed repository — with request counts from the sim's log.
import { beforeEach, describe, expect, it } from 'vitest'
import { runIssues, shiftedFrom, sinceOf } from '../src/tasks/issues.js'
import { World, type Sim } from '../sim/index.js'
import type { TestDatabase } from './helpers/db.js'
import { simDeps, simSettings, useSimAndDatabase } from './helpers/sync.js'
import { dbBriefs, worldBriefs } from './helpers/world-rows.js'

const T0 = Date.parse('2025-01-01T00:00:00Z')
const MINUTE = 60_000
const API = 250
const WEB = 30

/** acme/api: 250 items (every third a PR; some merged, some closed), acme/web: 30, acme/empty: none. */
function buildWorld(): World {
  const w = new World({ org: 'acme', now: T0 })
  for (const name of ['api', 'web', 'empty']) w.createRepo(name)
  for (let k = 1; k <= API + WEB; k++) {
    w.setNow(T0 + k * MINUTE)
    const repo = k <= API ? 'api' : 'web'
    const isPull = k % 3 === 0
    const i = w.openIssue(repo, {
      title: `item ${k}`,
      user: k % 17 === 0 ? null : `dev-${k % 5}`,
      isPull,
      labels: ['x']
    })
    if (isPull && k % 2 === 0) w.merge(repo, i.number, 'dev-1')
    else if (k % 4 === 0) w.close(repo, i.number, { actor: 'dev-2' })
  }
  w.setNow(T0 + 10 * 24 * 60 * MINUTE)
  return w
}

describe('issues task', () => {
  const env = useSimAndDatabase(buildWorld)
  let db: TestDatabase
  let sim: Sim
  beforeEach(() => {
    ;({ db, sim } = env)
  })

  const apiPath = /^\/repos\/acme\/api\//
  // Row versions (xmin) show any write, insert or update, whatever the stats collector has flushed.
  const versions = async (): Promise<string[]> =>
    (
      await db.sql<{ v: string }[]>`
        select 'i' || id || ':' || xmin::text as v from issues
        union all select 'p' || id || ':' || xmin::text from pull_requests order by 1`
    ).map((r) => r.v)

  it('first sync costs ceil(N/100)+2 and stores every issue and PR, merged only when merged', async () => {
    const deps = simDeps(sim, db.sql)
    const result = await runIssues(deps, simSettings(sim))
    expect(result.incomplete).toBeFalsy()
    expect(await dbBriefs(db.sql)).toEqual(worldBriefs(sim))
    const repoList = sim.log.billable({ route: '/orgs/{org}/repos' })
    expect(repoList).toBe(1)
    expect(sim.log.billable({ path: apiPath }) + repoList).toBeLessThanOrEqual(Math.ceil(API / 100) + 2)
    expect(sim.log.billable({ path: /^\/repos\/acme\/web\// }) + repoList).toBeLessThanOrEqual(Math.ceil(WEB / 100) + 2)
    expect(sim.log.count({ status: 422 })).toBe(0)
    // Ghost authors are GitHub's ghost user, bots and people keep their logins.
    const [ghost] = await db.sql`select username, "user" ->> 'id' as id from issues where username = 'ghost' limit 1`
    expect(ghost).toEqual({ username: 'ghost', id: '10137' })
    const [{ open_merged }] =
      await db.sql`select count(*)::int as open_merged from pull_requests where state = 'open' and merged`
    expect(open_merged).toBe(0)
    expect(result.counts).toMatchObject({ repositories: 3, issues: expect.any(Number), pulls: expect.any(Number) })
  })

  it('a run in which nothing changed costs 0 billable requests and writes nothing', async () => {
    const deps = simDeps(sim, db.sql)
    await runIssues(deps, simSettings(sim))
    sim.log.reset()
    sim.world.advance({ minutes: 30 })
    const before = await versions()
    const result = await runIssues(deps, simSettings(sim))
    expect(sim.log.billable()).toBe(0)
    // One listing per repository; the repository list, verified within the hour, is not asked.
    expect(sim.log.notModified()).toBe(3)
    expect(result.counts).toMatchObject({ issues: 0, pulls: 0 })
    expect(await versions()).toEqual(before)
  })

  it('k changed items cost at most ceil(k/100)+1 for their repository and nothing for the others', async () => {
    const deps = simDeps(sim, db.sql)
    await runIssues(deps, simSettings(sim))
    await runIssues(deps, simSettings(sim))
    sim.log.reset()
    const w = sim.world
    w.advance({ minutes: 5 })
    const created = w.openIssue('api', { title: 'new one', user: 'dev-9' })
    w.advance({ minutes: 1 })
    w.comment('api', 1, { user: 'dev-3', body: 'a comment' })
    w.label('api', 2, 'bug', 'dev-3')
    w.close('api', 5, { actor: 'dev-3' })
    w.reopen('api', 4, { actor: 'dev-3' })
    const pr = w.openIssue('api', { title: 'feature', user: 'dev-4', isPull: true })
    w.advance({ minutes: 3 })
    w.merge('api', pr.number, 'dev-1')
    w.merge('api', 3 * 41, 'dev-1') // an old open PR
    w.advance({ minutes: 20 })
    const before = new Set(await versions())
    await runIssues(deps, simSettings(sim))
    const k = 7
    // Only the changed items were written (the re-listed overlap was not rewritten).
    expect((await versions()).filter((v) => !before.has(v))).toHaveLength(k)
    expect(sim.log.billable({ path: apiPath })).toBeLessThanOrEqual(Math.ceil(k / 100) + 1)
    // In fact one: the short answer leaves the cursor, and so the URL, in place.
    expect(sim.log.billable({ path: apiPath })).toBe(1)
    expect(sim.log.billable({ path: /^\/repos\/acme\/(web|empty)\// })).toBe(0)
    expect(await dbBriefs(db.sql)).toEqual(worldBriefs(sim))
    const [row] = await db.sql`select labels, comments from issues where repo = 'api' and number = 2`
    expect(row.labels.map((l: { name: string }) => l.name)).toEqual(['x', 'bug'])
    const [merged] = await db.sql`select merged, merged_at from pull_requests where number = ${pr.number}`
    expect(merged.merged).toBe(true)
    expect(merged.merged_at).toBeInstanceOf(Date)
    expect((await db.sql`select 1 from issues where id = ${created.id}`).length).toBe(1)
    // The run after that is free again.
    sim.log.reset()
    await runIssues(deps, simSettings(sim))
    expect(sim.log.billable({ path: /^\/repos\// })).toBe(0)
  })

  it('catches up completely after six hours of missed runs', async () => {
    const deps = simDeps(sim, db.sql)
    await runIssues(deps, simSettings(sim))
    for (let h = 0; h < 12; h++) {
      sim.world.advance({ minutes: 30 })
      sim.world.comment('api', 10 + h, { user: 'dev-1', body: `late ${h}` })
      sim.world.openIssue('web', { title: `late ${h}`, user: 'dev-2', isPull: h % 2 === 0 })
      if (h % 3 === 0) sim.world.close('web', 1 + h, { actor: 'dev-2' })
    }
    sim.world.advance({ minutes: 7 })
    await runIssues(deps, simSettings(sim))
    expect(await dbBriefs(db.sql)).toEqual(worldBriefs(sim))
  })

  it('re-reads after items change while a multi-page listing is read (no item skipped)', async () => {
    const deps = simDeps(sim, db.sql)
    let mutated = false
    deps.octokit.hook.after('request', (_response, options) => {
      // Right after api's first page: an item of that page changes, moves to
      // the end of the listing, and every later item shifts up by one.
      if (!mutated && options.repo === 'api' && String(options.url).endsWith('/issues')) {
        mutated = true
        sim.world.comment('api', 5, { user: 'dev-1', body: 'while listing' })
      }
    })
    await runIssues(deps, simSettings(sim))
    expect(mutated).toBe(true)
    expect(await dbBriefs(db.sql)).toEqual(worldBriefs(sim))
    expect(deps.log.lines.join('\n')).toMatch(/api: items changed while listing; re-reading from/)
  })

  it('skips a repository that vanished since the listing (404) and syncs the others', async () => {
    const deps = simDeps(sim, db.sql)
    deps.octokit.hook.wrap('request', async (request, options) => {
      if (options.repo === 'web') throw Object.assign(new Error('Not Found'), { status: 404 })
      return request(options)
    })
    const result = await runIssues(deps, simSettings(sim))
    expect(result.counts.repositories).toBe(2)
    expect(deps.log.lines.join('\n')).toMatch(/warning: acme\/web: answered 404/)
    expect(await dbBriefs(db.sql)).toEqual(worldBriefs(sim, ['api', 'empty']))
  })

  it('starts at `since` when there is no cursor', async () => {
    const deps = simDeps(sim, db.sql)
    const since = new Date(T0 + 200 * MINUTE)
    await runIssues(deps, simSettings(sim, { since: since.toISOString() }))
    const { issues, pulls } = await dbBriefs(db.sql)
    const all = [...issues, ...pulls]
    const want = [...worldBriefs(sim).issues, ...worldBriefs(sim).pulls].filter(
      (b) => b.updated_at >= since.toISOString()
    )
    expect(all.length).toBe(want.length)
    expect(all.every((b) => b.updated_at >= since.toISOString())).toBe(true)
  })

  it('keeps one history for a renamed repository', async () => {
    const deps = simDeps(sim, db.sql)
    await runIssues(deps, simSettings(sim))
    const [{ n }] = await db.sql`select count(*)::int as n from issues where repo = 'web'`
    sim.world.advance({ minutes: 5 })
    sim.world.renameRepo('web', 'website')
    sim.world.openIssue('website', { title: 'after the rename', user: 'dev-1' })
    sim.world.advance({ minutes: 5 })
    await runIssues(deps, simSettings(sim))
    const rows =
      await db.sql`select repo, count(*)::int as n from issues where repo in ('web', 'website') group by repo`
    expect(rows).toEqual([{ repo: 'website', n: n + 1 }])
    expect(await dbBriefs(db.sql)).toEqual(worldBriefs(sim))
  })

  it('a ghost author is stored as GitHub ghost, a bot keeps its login and type', async () => {
    const deps = simDeps(sim, db.sql)
    sim.world.addUser('renovate[bot]', { type: 'Bot' })
    sim.world.openIssue('empty', { title: 'by a bot', user: 'renovate[bot]', isPull: true })
    sim.world.openIssue('empty', { title: 'by a deleted user', user: null })
    sim.world.openIssue('empty', { title: 'by someone who leaves', user: 'leaver' })
    sim.world.deleteUser('leaver')
    sim.world.advance({ minutes: 1 })
    await runIssues(deps, simSettings(sim, { repos: 'empty' }))
    const rows = await db.sql`select username, "user" ->> 'login' as login from issues where repo = 'empty'`
    expect(rows).toEqual([
      { username: 'ghost', login: 'ghost' },
      { username: 'ghost', login: 'ghost' }
    ])
    const [bot] = await db.sql`select username, "user" ->> 'type' as type from pull_requests where repo = 'empty'`
    expect(bot).toEqual({ username: 'renovate[bot]', type: 'Bot' })
  })
})

describe('listing start and re-read point', () => {
  it('starts at the cursor less the overlap, else since, else the beginning', () => {
    const hw = new Date('2025-01-01T12:00:00Z')
    expect(sinceOf(hw, { overlapMinutes: 10, since: undefined })?.toISOString()).toBe('2025-01-01T11:50:00.000Z')
    expect(sinceOf(undefined, { overlapMinutes: 10, since: hw })).toBe(hw)
    expect(sinceOf(undefined, { overlapMinutes: 10, since: undefined })).toBeUndefined()
  })

  it('re-reads from the boundary before the first page fetched after a change', () => {
    const pages = [
      { fetchedAt: 1000, last: 10 },
      { fetchedAt: 2000, last: 20 },
      { fetchedAt: 3000, last: 30 }
    ]
    expect(shiftedFrom(pages, undefined, 0)).toBeUndefined()
    expect(shiftedFrom(pages, 1500, 0)).toBe(10)
    expect(shiftedFrom(pages, 2500, 0)).toBe(20)
    expect(shiftedFrom(pages, 3500, 0)).toBeUndefined()
    expect(shiftedFrom(pages, 3500, 600)).toBe(20)
  })
})
