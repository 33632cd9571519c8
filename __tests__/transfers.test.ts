import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startSim, World, type Sim } from '../sim/index.js'
import { probeIssue } from '../src/github/transfer-probe.js'
import { runTransfers } from '../src/tasks/transfers.js'
import { createTestDatabase, type TestDatabase } from './helpers/db.js'
import { syncIssuesFromSim } from './helpers/sim-issues.js'
import { migrated, simDeps, simSettings } from './helpers/task-deps.js'

const ISSUE_ROUTES = /\/issues\/\d+$/

describe('transfers', () => {
  let db: TestDatabase
  let sim: Sim
  let world: World

  beforeEach(async () => {
    world = new World({ org: 'acme', now: '2025-01-01T00:00:00Z' })
    world.createRepo('app')
    world.createRepo('docs')
    world.createRepo('secret', { private: true })
    world.openIssue('app', {
      title: 'Crash on start',
      body: 'Steps…',
      user: 'ann',
      labels: ['bug'],
      assignees: ['bob']
    })
    world.advance({ minutes: 5 })
    world.openIssue('app', { title: 'Typo', user: 'cat' })
    world.advance({ minutes: 5 })
    world.openIssue('docs', { title: 'Docs issue', user: 'dan' })
    world.advance({ hours: 1 })
    sim = await startSim({
      world,
      tokens: { t: { kind: 'app' }, gt: { kind: 'github_token', repos: ['app', 'docs'] } }
    })
    db = await createTestDatabase()
    await migrated(db.sql)
    await syncIssuesFromSim(sim, db.sql, ['app', 'docs'])
  })
  afterEach(async () => {
    await sim.close()
    await db.drop()
  })

  const run = async (extra: Record<string, string> = {}, token = 't') => {
    const deps = simDeps(sim, db.sql, token)
    const result = await runTransfers(deps, simSettings(sim, 'transfers', { 'github-token': token, ...extra }))
    return { result, deps }
  }
  const issueRequests = () => sim.log.billable({ path: ISSUE_ROUTES })
  const issue = async (repo: string, number: number) =>
    (await db.sql`select * from issues where repo = ${repo} and number = ${number}`)[0]

  for (const form of ['repos', 'repositories'] as const) {
    it(`a transfer (Location /${form}/…) is recorded with the seed's columns for one request, and the old row is kept`, async () => {
      world.config.transferRedirect = form
      const old = await issue('app', 1)
      world.advance({ minutes: 10 })
      const moved = world.transfer('app', 1, 'docs', 'ann')
      world.advance({ minutes: 10 })
      await syncIssuesFromSim(sim, db.sql, ['app', 'docs'])

      const { result } = await run()
      expect(result.counts).toMatchObject({ candidates: 1, transferred: 1, pending: 0 })
      expect(issueRequests()).toBe(1)
      expect(sim.log.entries.filter((e) => ISSUE_ROUTES.test(e.path)).map((e) => e.status)).toEqual([301])

      const [t] = await db.sql`select * from transfers`
      expect(t).toMatchObject({
        issue_id: old.id,
        url: old.url,
        number: 1,
        repo: 'app',
        org: 'acme',
        title: 'Crash on start',
        body: 'Steps…',
        created_at: old.created_at,
        state: 'open',
        closed_at: null,
        username: 'ann',
        user: expect.objectContaining({ login: 'ann' }),
        assignee: expect.objectContaining({ login: 'bob' }),
        new_issue_id: String(moved.id),
        new_repo: 'docs',
        new_number: moved.number,
        new_url: `${sim.url}/repos/acme/docs/issues/${moved.number}`,
        new_html_url: `https://github.com/acme/docs/issues/${moved.number}`,
        status: 'moved',
        new_repo_id: String(world.repo('docs').id)
      })
      expect(t.labels.map((l: { name: string }) => l.name)).toEqual(['bug'])
      expect(t.assignees.map((a: { login: string }) => a.login)).toEqual(['bob'])
      expect(t.location).toMatch(
        form === 'repos'
          ? new RegExp(`/repos/acme/docs/issues/${moved.number}$`)
          : new RegExp(`/repositories/${world.repo('docs').id}/issues/${moved.number}$`)
      )
      const kept = await issue('app', 1)
      expect(kept).toMatchObject({
        id: old.id,
        title: 'Crash on start',
        state: 'transferred',
        transferred_to_id: String(moved.id)
      })
      expect(kept.transferred_at).toEqual(world.now())

      // Nothing left to ask: the next run spends no request at all.
      sim.log.reset()
      const again = await run()
      expect(again.result.counts).toMatchObject({ candidates: 0, transferred: 0 })
      expect(sim.log.billable()).toBe(0)
    })
  }

  it('stops before budget-reserve, reports what is left, and the next run finishes', async () => {
    world.advance({ minutes: 10 })
    const moved = world.transfer('app', 1, 'docs', 'ann')
    await syncIssuesFromSim(sim, db.sql, ['app', 'docs'])
    const short = await run({ 'budget-reserve': '100000' })
    expect(short.result).toMatchObject({ incomplete: true, remaining: expect.stringMatching(/next run continues/) })
    expect(issueRequests()).toBe(0)
    expect(await db.sql`select * from transfers`).toHaveLength(0)
    const { result } = await run()
    expect(result.incomplete).toBeUndefined()
    expect(result.counts).toMatchObject({ transferred: 1 })
    expect((await db.sql`select new_issue_id from transfers`)[0].new_issue_id).toBe(String(moved.id))
  })

  it("the old issue's events stay and are reachable from the new issue (time to first response survives)", async () => {
    const old = await issue('app', 1)
    world.advance({ minutes: 10 })
    const moved = world.transfer('app', 1, 'docs', 'ann')
    await syncIssuesFromSim(sim, db.sql, ['app', 'docs'])
    const created = old.created_at as Date
    const at = (minutes: number) => new Date(created.getTime() + minutes * 60_000)
    // Before the transfer: a label and a first reply on the old issue. After:
    // GitHub moved the comment, so it is stored under the new id as well.
    await db.sql`
      insert into events ${db.sql([
        { id: 11, issue_id: old.id, event: 'labeled', created_at: at(1), username: 'bob' },
        { id: 12, issue_id: old.id, event: 'commented', created_at: at(3), username: 'bob' },
        { id: 12, issue_id: moved.id, event: 'commented', created_at: at(3), username: 'bob' },
        { id: 13, issue_id: moved.id, event: 'transferred', created_at: at(75), username: 'ann' }
      ])}`
    await run()
    const rows = await db.sql`
      select current_issue_id, id, issue_id, event from issue_events_all
      where current_issue_id = ${moved.id} order by id`
    expect(rows.map((r) => [Number(r.id), Number(r.issue_id), r.event])).toEqual([
      [11, Number(old.id), 'labeled'],
      [12, moved.id, 'commented'],
      [13, moved.id, 'transferred']
    ])
    // The README's query: first reply by someone other than the author, per current issue.
    const [ttfr] = await db.sql`
      select i.id, (extract(epoch from min(e.created_at) - i.created_at) / 60)::int as first_response_minutes
      from issues i join issue_events_all e on e.current_issue_id = i.id
      where i.transferred_to_id is null and i.id = ${moved.id}
        and e.event = 'commented' and e.username <> i.username
      group by i.id, i.created_at`
    expect(ttfr.first_response_minutes).toBe(3)
  })

  it('genuine duplicates (same author, same second) are asked about once, not on every run as the seed did', async () => {
    const at = world.nowMs()
    world.openIssue('app', { title: 'Bump a', user: 'bot', createdAt: at })
    world.openIssue('app', { title: 'Bump b', user: 'bot', createdAt: at })
    world.advance({ minutes: 1 })
    await syncIssuesFromSim(sim, db.sql, ['app'])
    const first = await run()
    expect(first.result.counts).toMatchObject({ candidates: 1, unchanged: 1, transferred: 0 })
    expect(issueRequests()).toBe(1)
    world.advance({ minutes: 30 })
    sim.log.reset()
    const again = await run()
    expect(again.result.counts).toMatchObject({ candidates: 0 })
    expect(sim.log.billable()).toBe(0)
  })

  it('a `transferred` timeline item makes an already-checked twin a candidate again', async () => {
    await run() // today's open-issue listing, before the move
    const old = await issue('app', 1)
    world.advance({ minutes: 10 })
    const moved = world.transfer('app', 1, 'docs', 'ann')
    await syncIssuesFromSim(sim, db.sql, ['app', 'docs'])
    // Both rows already checked before the transfer: the duplicate group is settled.
    await db.sql`update issues set transfer_checked_at = ${new Date(world.nowMs() - 3600_000)}`
    const none = await run()
    expect(none.result.counts).toMatchObject({ candidates: 0 })
    await db.sql`
      insert into events (id, issue_id, event, created_at, username)
      values (77, ${moved.id}, 'transferred', ${new Date(world.nowMs() - 60_000)}, 'ann')`
    sim.log.reset()
    const { result } = await run()
    expect(result.counts).toMatchObject({ candidates: 1, transferred: 1 })
    expect(issueRequests()).toBe(1)
    expect((await db.sql`select issue_id, new_issue_id from transfers`)[0]).toMatchObject({
      issue_id: old.id,
      new_issue_id: String(moved.id)
    })
  })

  it('a transfer into an unreadable repository (404) and a deleted issue (410) are found by the daily open-issue listing', async () => {
    const LISTING = { route: '/repos/{owner}/{repo}/issues' }
    const first = await run({}, 'gt')
    expect(first.result.counts).toMatchObject({ candidates: 0 })
    expect(issueRequests()).toBe(0)
    expect(sim.log.billable(LISTING)).toBe(2) // app and docs, one page each

    world.transfer('app', 1, 'secret', 'ann')
    world.deleteIssue('app', 2)
    world.close('docs', 1, { actor: 'dan' }) // the issues task has not run: we still hold it open
    world.advance({ hours: 23 })
    sim.log.reset()
    await run({}, 'gt')
    expect(sim.log.count(LISTING) + issueRequests()).toBe(0) // not a day yet

    // A run without the daily workflow's `daily` takes the daily listing
    // once it is 3 hours overdue (the daily workflow's run takes it on time).
    world.advance({ hours: 4 })
    sim.log.reset()
    const { result } = await run({}, 'gt')
    // Both open-issue pages changed (1 request each); the three vanished
    // issues were asked about once each.
    expect(result.counts).toMatchObject({ candidates: 3, unreadable: 1, deleted: 1, unchanged: 1 })
    expect(sim.log.billable(LISTING)).toBe(2)
    expect(issueRequests()).toBe(3)
    expect(
      sim.log.entries
        .filter((e) => ISSUE_ROUTES.test(e.path))
        .map((e) => e.status)
        .sort()
    ).toEqual([200, 404, 410])
    // The closed one answered 200 with its own id: its row is refreshed, not marked.
    expect(await issue('docs', 1)).toMatchObject({ state: 'closed', transferred_at: null, deleted_at: null })
    const [t] = await db.sql`select * from transfers`
    expect(t).toMatchObject({
      number: 1,
      repo: 'app',
      new_issue_id: '0',
      status: 'unreadable',
      title: 'Crash on start'
    })
    expect(await issue('app', 1)).toMatchObject({
      state: 'transferred',
      transferred_at: world.now(),
      transferred_to_id: null
    })
    expect(await issue('app', 2)).toMatchObject({ state: 'deleted', deleted_at: world.now(), title: 'Typo' })

    // A quiet day later: both listings answer 304, nothing is asked again.
    world.advance({ hours: 27 })
    sim.log.reset()
    const next = await run({}, 'gt')
    expect(next.result.counts).toMatchObject({ candidates: 0 })
    expect(sim.log.billable(LISTING) + issueRequests()).toBe(0)
    expect(sim.log.notModified(LISTING)).toBe(2)
  })

  it('a transfer whose new issue is synced only on the next run: the mapping waits on the old row', async () => {
    await run() // the first open-issue listing
    const moved = world.transfer('app', 1, 'docs', 'ann')
    world.advance({ hours: 27 }) // the daily listing, 3 hours overdue
    sim.log.reset()
    const first = await run()
    expect(first.result.counts).toMatchObject({ pending: 1, transferred: 0 })
    expect(await db.sql`select * from transfers`).toHaveLength(0)
    const old = await issue('app', 1)
    expect(old.transferred_to_url).toMatch(new RegExp(`/repos/acme/docs/issues/${moved.number}$`))
    expect(old.transferred_to_id).toBeNull()
    expect(old.state).toBe('open')

    // The issues task brings the new issue; the next run maps it from our rows.
    await syncIssuesFromSim(sim, db.sql, ['docs'])
    world.advance({ minutes: 30 })
    const second = await run()
    expect(second.result.counts).toMatchObject({ transferred: 1 })
    expect(issueRequests()).toBe(0)
    expect((await db.sql`select new_issue_id, new_number, state from transfers`)[0]).toMatchObject({
      new_issue_id: String(moved.id),
      new_number: moved.number,
      state: 'open'
    })
    expect(await issue('app', 1)).toMatchObject({ state: 'transferred', transferred_to_id: String(moved.id) })
  })

  it('a new issue in an untracked repository is fetched once on the next run', async () => {
    await run({ repos: 'app' })
    const moved = world.transfer('app', 1, 'docs', 'ann')
    world.advance({ hours: 27 }) // the daily listing, 3 hours overdue
    const first = await run({ repos: 'app' })
    expect(first.result.counts).toMatchObject({ pending: 1 })
    world.advance({ minutes: 30 })
    sim.log.reset()
    const second = await run({ repos: 'app' })
    expect(second.result.counts).toMatchObject({ transferred: 1 })
    expect(issueRequests()).toBe(1)
    expect((await db.sql`select new_issue_id, new_repo, new_url from transfers`)[0]).toMatchObject({
      new_issue_id: String(moved.id),
      new_repo: 'docs',
      new_url: `${sim.url}/repos/acme/docs/issues/${moved.number}`
    })
  })

  it('redirects are not followed, and an answer with another id is a move, never fresh data for the old row', async () => {
    const old = await issue('app', 1)
    world.advance({ minutes: 10 })
    const moved = world.transfer('app', 1, 'docs', 'ann')
    const deps = simDeps(sim, db.sql)
    const held = { id: Number(old.id), repoId: world.repo('app').id, number: 1 }
    const probe = await probeIssue(deps.octokit, old.url, held)
    expect(probe).toMatchObject({ kind: 'moved', target: { form: 'repos', repo: 'docs', number: moved.number } })
    expect(sim.log.entries.map((e) => e.status)).toEqual([301])
    // As if a redirect had been followed: the new issue answers for the old row.
    const followed = await probeIssue(deps.octokit, `${sim.url}/repos/acme/docs/issues/${moved.number}`, held)
    expect(followed).toMatchObject({ kind: 'moved', issue: { id: moved.id } })
  })
})
