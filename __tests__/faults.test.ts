// Faults during `issues,pulls,unmerged` end to end through run(): a 500, a
// 502 with an HTML body, a reset connection, a secondary limit with
// retry-after, and a spent primary budget. After each (and a re-run where
// the run gave up) the database equals that of a fault-free run, table by
// table, cursors and ETags included.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { run, type RunReport } from '../src/main.js'
import { startSim, type Fault, type FaultMatch, type Sim } from '../sim/index.js'
import { createTestDatabase, type TestDatabase } from './helpers/db.js'
import { testIO } from './helpers/io.js'
import { dumpTables } from './helpers/world-rows.js'

const TABLES = ['issues', 'pull_requests', 'repositories', 'sync_cursors', 'http_etags']
let sim: Sim
let clean: Record<string, string[]>
const dbs: TestDatabase[] = []

async function sync(db: TestDatabase, extra: Record<string, string> = {}): Promise<RunReport> {
  const io = testIO({
    mode: 'issues,pulls,unmerged',
    'github-token': 't',
    'api-url': sim.url,
    'database-url': db.url,
    org: 'acme',
    'max-rate-limit-wait': '2',
    ...extra
  })
  return run(io, { clock: () => sim.world.now(), msPerSecond: 1, requestTimeoutMs: 5_000 })
}

async function dump(db: TestDatabase): Promise<Record<string, string[]>> {
  const all = await dumpTables(db.sql, TABLES)
  // When a row was written is not part of what was synced.
  for (const t of ['sync_cursors', 'http_etags'])
    all[t] = all[t].map((j) => JSON.stringify({ ...JSON.parse(j), updated_at: 0 }))
  return all
}

beforeAll(async () => {
  sim = await startSim({
    generate: { seed: 7, repos: 3, items: 700, members: 10, timeline: { over100: 0, over1000: 0 } }
  })
  const db = await createTestDatabase()
  dbs.push(db)
  const report = await sync(db)
  expect(report.ok, report.error).toBe(true)
  clean = await dump(db)
  expect(clean.issues.length + clean.pull_requests.length).toBeGreaterThan(500)
})
afterAll(async () => {
  await sim?.close()
  for (const db of dbs) await db.drop()
})

async function faulted(match: FaultMatch, fault: Fault, n = 2): Promise<{ report: RunReport; db: TestDatabase }> {
  const db = await createTestDatabase()
  dbs.push(db)
  sim.faults.clear()
  sim.log.reset()
  sim.faults.failNth(match, n, fault)
  const report = await sync(db)
  sim.faults.clear()
  expect(sim.log.entries.some((e) => e.fault !== undefined) || sim.log.count({ status: 403 }) > 0).toBe(true)
  return { report, db }
}

const issuesPages: FaultMatch = { route: '/repos/{owner}/{repo}/issues' }

describe('faults', () => {
  it('a 500 on an issues page is retried', async () => {
    const { report, db } = await faulted(issuesPages, { status: 500 })
    expect(report.ok, report.error).toBe(true)
    expect(await dump(db)).toEqual(clean)
  })

  it('a 502 with an HTML body is retried', async () => {
    const { report, db } = await faulted(issuesPages, { status: 502, body: 'html' })
    expect(report.ok, report.error).toBe(true)
    expect(await dump(db)).toEqual(clean)
  })

  it('a reset connection is retried', async () => {
    const { report, db } = await faulted({ route: '/repos/{owner}/{repo}/pulls' }, { reset: true })
    expect(report.ok, report.error).toBe(true)
    expect(await dump(db)).toEqual(clean)
  })

  it('a secondary limit with retry-after is waited out', async () => {
    const { report, db } = await faulted({ route: '/search/issues' }, { secondaryLimit: 1 }, 1)
    expect(report.ok, report.error).toBe(true)
    expect(await dump(db)).toEqual(clean)
  })

  it('a spent primary budget stops the run; the next run completes it', async () => {
    const db = await createTestDatabase()
    dbs.push(db)
    sim.limits.reset()
    sim.limits.setBudget({ core: 6 })
    const first = await sync(db, { 'budget-reserve': '0' })
    expect(first.ok && !first.incomplete).toBe(false)
    sim.limits.setBudget({ core: 5000 })
    sim.limits.reset()
    const second = await sync(db)
    expect(second.ok, second.error).toBe(true)
    // How far the budget-capped run got decides which request caches exist
    // (unmerged's steady-state query is cached from its second run on), so
    // settle both databases with one more no-change run before comparing.
    expect((await sync(db)).ok).toBe(true)
    expect((await sync(dbs[0])).ok).toBe(true)
    const [got, want] = [await dump(db), await dump(dbs[0])]
    for (const t of TABLES) expect(got[t], t).toEqual(want[t])
    expect((await dump(db)).issues).toEqual(clean.issues)
  })
})
