// Every metric of the report equals an independent computation on the
// simulated GitHub's own records (helpers/report-oracle.ts): the world is
// synced by the real tasks into Postgres, the report runs through run(), and
// its JSON is compared figure by figure with the oracle.
import { readFileSync, mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { migrate } from '../src/db/migrate.js'
import { MemoryLog } from '../src/log.js'
import { run } from '../src/main.js'
import type { Report } from '../src/model/report.js'
import { createTestDatabase, type TestDatabase } from './helpers/db.js'
import { testIO } from './helpers/io.js'
import { membershipFromHistory, Oracle } from './helpers/report-oracle.js'
import { buildReportWorld, REPORT_ORG, type ReportWorld } from './helpers/report-world.js'

/** Equal, numbers to 3 decimals (the JSON rounds hours to 4); names the path of the first difference. */
function expectSame(actual: unknown, expected: unknown, where = '$'): void {
  if (typeof expected === 'number' && typeof actual === 'number') {
    expect(actual, where).toBeCloseTo(expected, 3)
    return
  }
  if (Array.isArray(expected)) {
    expect(Array.isArray(actual), where).toBe(true)
    expect((actual as unknown[]).length, `${where}.length`).toBe(expected.length)
    expected.forEach((e, i) => expectSame((actual as unknown[])[i], e, `${where}[${i}]`))
    return
  }
  if (expected !== null && typeof expected === 'object') {
    expect(actual !== null && typeof actual === 'object', where).toBe(true)
    const a = actual as Record<string, unknown>
    expect(Object.keys(a).sort(), `${where} keys`).toEqual(Object.keys(expected).sort())
    for (const [k, v] of Object.entries(expected)) expectSame(a[k], v, `${where}.${k}`)
    return
  }
  expect(actual, where).toEqual(expected)
}

describe('report metrics on a simulated org', () => {
  let db: TestDatabase
  let w: ReportWorld
  let oracle: Oracle
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cm-report-'))

  beforeAll(async () => {
    db = await createTestDatabase()
    await migrate(db.sql, new MemoryLog())
    w = await buildReportWorld(db.sql)
    oracle = new Oracle(w.sim.world, membershipFromHistory(w.sim.world))
  }, 120_000)
  afterAll(async () => {
    await w?.sim.close()
    await db?.drop()
    rmSync(dir, { recursive: true, force: true })
  })

  const report = async (inputs: Record<string, string>): Promise<Report> => {
    const file = path.join(dir, `report-${Object.values(inputs).join('_') || 'default'}.json`)
    const io = testIO({ mode: 'report', 'database-url': db.url, org: REPORT_ORG, 'report-file': file, ...inputs })
    const result = await run(io, { clock: () => w.sim.world.now() })
    expect(io.failure).toBeUndefined()
    expect(result.requests.billable).toBe(0)
    return JSON.parse(readFileSync(file, 'utf8')) as Report
  }

  const periods: [string, Record<string, string>][] = [
    ['the whole history', { since: '2025-01-01', until: '2025-03-31' }],
    ['February, against January', { since: '2025-02-01', until: '2025-02-28' }],
    ['the default last 30 days', {}]
  ]
  for (const [name, inputs] of periods) {
    it(`every figure of ${name} equals the oracle's`, async () => {
      const r = await report(inputs)
      const asOf = w.sim.world.nowMs()
      expect(r.as_of).toBe(new Date(asOf).toISOString())
      const since = Date.parse(r.period.since)
      const until = Date.parse(r.period.until)
      const prevSince = Date.parse(r.previous_period.since)
      expect(until - since).toBe(since - prevSince)
      const waiting = oracle.waiting(asOf)
      expectSame(r.waiting_on_us, waiting, 'waiting_on_us')
      expectSame(r.org, oracle.scope(since, until, asOf, waiting), 'org')
      expectSame(r.previous, oracle.scope(prevSince, since, asOf, waiting), 'previous')
      expectSame(r.repositories, oracle.repositories(since, until, asOf, waiting), 'repositories')
      const chartStart = Date.parse(`${r.monthly[0].month}-01T00:00:00Z`)
      expect(r.monthly).toHaveLength(12)
      expectSame(r.monthly, oracle.monthly(chartStart, until, asOf), 'monthly')
    })
  }

  it('the world is synced whole: transfers and a deletion recorded, and every kind of figure non-trivial', async () => {
    const [t] = await db.sql`select count(*)::int as n from transfers where status = 'moved'`
    expect(t.n).toBe(3)
    const [d] = await db.sql`select count(*)::int as n from issues where state = 'deleted'`
    expect(d.n).toBe(1)
    const r = await report({ since: '2025-01-01', until: '2025-03-31' })
    expect(r.org.flow.opened).toBeGreaterThan(90)
    expect(r.org.time_to_first_response.issues.n).toBeGreaterThan(10)
    expect(r.org.time_to_first_response.pull_requests.censored).toBeGreaterThan(0)
    expect(r.org.pull_requests.approval_to_merge.n).toBeGreaterThan(0)
    expect(r.org.issues.time_to_close.not_planned.n).toBeGreaterThan(0)
    expect(r.org.issues.reopened).toBeGreaterThan(0)
    expect(r.org.people.bot_activity).toBeGreaterThan(0)
    expect(r.org.people.new_contributors).toBeGreaterThan(0)
    expect(r.org.people.absence_factor).toBeGreaterThan(1)
    expect(r.waiting_on_us.length).toBeGreaterThan(5)
    expect(r.repositories.map((x) => x.repo).sort()).toEqual(['app', 'docs', 'web'])
  })

  it('per item: starts, first responses and member responses as the definitions say', async () => {
    const c = w.cases
    const timing = async (ref: { repo: string; number: number }) =>
      (
        await db.sql`
          select start_at, first_response_at, first_member_response_at, first_review_at, first_approval_at, created_at
          from metrics.item_timings where repo = ${ref.repo} and number = ${ref.number}`
      )[0]
    const iso = (s: string) => new Date(s)
    // Draft PR: from ready_for_review; not the comment in draft, the author's or the bot's.
    expect(await timing(c.draftPr)).toMatchObject({
      start_at: iso('2025-01-06T10:00:00Z'),
      first_response_at: iso('2025-01-06T14:00:00Z'),
      first_member_response_at: iso('2025-01-07T10:00:00Z'),
      first_review_at: iso('2025-01-07T10:00:00Z'),
      first_approval_at: iso('2025-01-07T10:00:00Z')
    })
    expect((await timing(c.stillDraft)).start_at).toBeNull()
    expect((await timing(c.botFirst)).first_response_at).toEqual(iso('2025-01-13T09:00:00Z'))
    // dev-2 had left: a response, not a member's.
    expect(await timing(c.leftBeforeResponding)).toMatchObject({
      first_response_at: iso('2025-02-11T12:00:00Z'),
      first_member_response_at: iso('2025-02-12T09:00:00Z')
    })
    // The transferred issue: once, in docs, with its first incarnation's creation and its answer from before the move.
    expect(c.transferred.repo).toBe('docs')
    expect(await timing(c.transferred)).toMatchObject({
      created_at: iso('2025-02-20T09:00:00Z'),
      first_response_at: iso('2025-02-21T09:00:00Z')
    })
    const [once] = await db.sql`select count(*)::int as n from metrics.items where title = 'Moves to docs'`
    expect(once.n).toBe(1)
    const [twice] = await db.sql`
      select count(distinct issue_id)::int as n from events
      where event = 'commented' and created_at = '2025-02-21T09:00:00' and username = 'dev-3'`
    expect(twice.n).toBe(2)
  })

  it('the scripted cases read as the definitions say', async () => {
    const r = await report({ since: '2025-01-01', until: '2025-03-31' })
    const c = w.cases
    const asOf = w.sim.world.nowMs()
    const waitingKeys = r.waiting_on_us.map((x) => `${x.repo}#${x.number}`)
    expect(waitingKeys).toContain(`docs#${c.waitingBotReply.number}`)
    expect(waitingKeys).toContain(`web#${c.waitingAfterReply.number}`)
    expect(waitingKeys).toContain(`docs#${c.transferred.number}`)
    expect(waitingKeys).not.toContain(`docs#${c.memberReplied.number}`)
    expect(waitingKeys).not.toContain(`app#${c.stillDraft.number}`)
    const after = r.waiting_on_us.find((x) => x.repo === 'web' && x.number === c.waitingAfterReply.number)!
    expect(after.waiting_since).toBe('2025-03-07T09:00:00.000Z')
    expect(after.waited_hours).toBeCloseTo((asOf - Date.parse('2025-03-07T09:00:00Z')) / 3_600_000, 3)
    const moved = r.waiting_on_us.filter((x) => x.title === 'Moves to docs')
    expect(moved).toHaveLength(1)
    expect(moved[0].waiting_since).toBe('2025-03-13T09:00:00.000Z')
  })

  it('new contributors are counted in the month of their first activity', async () => {
    const jan = await report({ since: '2025-01-01', until: '2025-01-31' })
    const feb = await report({ since: '2025-02-01', until: '2025-02-28' })
    const month = (r: Report, m: string) => r.monthly.find((x) => x.month === m)!
    expect(month(feb, '2025-01').new_contributors).toBe(jan.org.people.new_contributors)
    expect(month(feb, '2025-02').new_contributors).toBe(feb.org.people.new_contributors)
    // user-7 (31 January, then 1 February) is January's; user-8 (1 February) is February's.
    const o = oracle
    const firsts = (since: string, until: string) => o.people(Date.parse(since), Date.parse(until)).new_contributors
    expect(firsts('2025-01-31T23:00:00Z', '2025-02-01T00:00:00Z')).toBe(1)
    expect(firsts('2025-02-01T00:00:00Z', '2025-02-01T01:00:00Z')).toBe(1)
  })
})
