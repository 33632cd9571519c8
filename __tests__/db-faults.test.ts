// Database faults in the middle of a full run (every task, through run(),
// against the simulated GitHub), each injected inside a transaction that is
// writing timeline events: the backend terminated (pg_terminate_backend)
// once and on every attempt, a statement_timeout, and the server restarting.
// Each run either recovers by itself or fails with a message that names the
// database without its password; the database then equals (after a re-run
// where the run failed) the database of a fault-free run, table by table.
import { chmodSync, mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { connectUrl, replaceConnections } from '../src/db/connect.js'
import { startEmbedded } from '../src/db/embedded.js'
import { migrate } from '../src/db/migrate.js'
import { MemoryLog } from '../src/log.js'
import { startSim, type Sim } from '../sim/index.js'
import { createTestDatabase, type TestDatabase } from './helpers/db.js'
import { counts, everythingPrinted, runAll, snapshot, SMALL_ORG } from './helpers/full-run.js'
import { blockWrites } from './helpers/pg-faults.js'

/** Timeline rows written before the fault: a few issues' transactions into the events task. */
const FROM_ROW = 300
const RETRIED =
  /^warning: Task 'events:acme:1\/1': .* running the task again from its stored cursors \(attempt 2 of 3\)\.$/

let sim: Sim
let clean: Record<string, string[]>
let cleanTwice: Record<string, string[]>
const dbs: TestDatabase[] = []

async function newDb(): Promise<TestDatabase> {
  const db = await createTestDatabase('cm_fault')
  dbs.push(db)
  return db
}

/** The URL with a password in it (the server may ignore it: trust), to prove it is never shown. */
function withPassword(url: string): { url: string; password: string } {
  const u = new URL(url)
  if (!u.password) u.password = 'never-shown-7c1e'
  return { url: u.toString(), password: decodeURIComponent(u.password) }
}

beforeAll(async () => {
  sim = await startSim({ generate: SMALL_ORG })
  const db = await newDb()
  const first = await runAll(sim, db.url)
  expect(first.report.ok, first.report.error).toBe(true)
  clean = await snapshot(db.sql)
  expect(clean.events.length).toBeGreaterThan(FROM_ROW * 2)
  // Two fault-free runs, for comparing with a failed run and its re-run.
  const second = await runAll(sim, db.url)
  expect(second.report.ok, second.report.error).toBe(true)
  cleanTwice = await snapshot(db.sql)
})
afterAll(async () => {
  await sim?.close()
  for (const db of dbs) await db.drop()
})

describe('database faults during a run', () => {
  it('a connection terminated mid-transaction: the task runs again, and the run ends equal to a clean one', async () => {
    const db = await newDb()
    await migrate(db.sql, new MemoryLog())
    const blocker = await blockWrites(db.sql, db.url, 'events', { from: FROM_ROW })
    const running = runAll(sim, db.url)
    const [pid] = await blocker.waiting()
    // Inside the events task's transaction for one issue: some issues' rows are committed, this one's are not.
    const [{ done }] = await db.sql<{ done: number }[]>`select count(*)::int as done from events`
    expect(done).toBeGreaterThan(0)
    await db.sql`select pg_terminate_backend(${pid})`
    await blocker.release()
    const { report, io } = await running
    expect(report.ok, report.error).toBe(true)
    expect(io.log.lines.filter((l) => RETRIED.test(l))).toHaveLength(1)
    await blocker.disarm()
    const got = await snapshot(db.sql)
    expect(counts(got)).toEqual(counts(clean))
    expect(got).toEqual(clean)
  })

  it('terminated on every attempt: the run fails naming the database, never its password; a re-run ends equal to a clean one', async () => {
    const db = await newDb()
    await migrate(db.sql, new MemoryLog())
    const { url, password } = withPassword(db.url)
    const blocker = await blockWrites(db.sql, db.url, 'events', { from: FROM_ROW, every: true })
    const running = runAll(sim, url)
    // The first attempt and both retries, each stopped at the trigger and terminated.
    const terminated: number[] = []
    for (let attempt = 1; attempt <= 3; attempt++) {
      const [pid] = await blocker.waiting(terminated)
      await db.sql`select pg_terminate_backend(${pid})`
      terminated.push(pid)
    }
    const { report, io } = await running
    await blocker.disarm()
    expect(report.ok).toBe(false)
    const name = new URL(db.url).pathname.slice(1)
    expect(io.failure).toMatch(
      new RegExp(`^Lost the connection to the database 'postgres://[^:]+:\\*\\*\\*@127\\.0\\.0\\.1:\\d+/${name}'`)
    )
    expect(io.failure).toMatch(/nothing is half-written; the next run resumes from the stored cursors\.$/)
    expect(report.tasks.map((t) => t.task)).toEqual(['migrate', 'issues', 'pulls', 'unmerged', 'members', 'transfers'])
    expect(everythingPrinted(io)).not.toContain(password)

    const again = await runAll(sim, db.url)
    expect(again.report.ok, again.report.error).toBe(true)
    expect(await snapshot(db.sql)).toEqual(cleanTwice)
  })

  it('a statement_timeout: the run fails naming the database and is not retried; a re-run ends equal to a clean one', async () => {
    const db = await newDb()
    await migrate(db.sql, new MemoryLog())
    const { url, password } = withPassword(db.url)
    const blocker = await blockWrites(db.sql, db.url, 'events', { from: FROM_ROW })
    // The server's statement_timeout for this session (an unknown URL parameter is a server setting).
    const { report, io } = await runAll(sim, `${url}?statement_timeout=3000`)
    await blocker.disarm()
    expect(report.ok).toBe(false)
    expect(io.failure).toMatch(
      /^The database 'postgres:\/\/[^:]+:\*\*\*@127\.0\.0\.1:\d+\/cm_fault_\w+\?statement_timeout=3000' cancelled a statement: canceling statement due to statement timeout \(57014\)\. Its transaction was rolled back/
    )
    expect(io.log.lines.filter((l) => /attempt 2 of 3/.test(l))).toEqual([])
    expect(everythingPrinted(io)).not.toContain(password)

    const again = await runAll(sim, db.url)
    expect(again.report.ok, again.report.error).toBe(true)
    expect(await snapshot(db.sql)).toEqual(cleanTwice)
  })

  it('the server restarting mid-transaction: the run waits for it, runs the task again, and ends equal to a clean one', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'cm-restart-'))
    // As root the server runs as a `postgres` user, which must reach the folder.
    chmodSync(dir, 0o755)
    const dataDir = path.join(dir, 'data')
    let server = await startEmbedded(dataDir, new MemoryLog())
    const port = Number(new URL(server.url).port)
    const password = decodeURIComponent(new URL(server.url).password)
    const sql = connectUrl(server.url)
    try {
      await migrate(sql, new MemoryLog())
      const blocker = await blockWrites(sql, server.url, 'events', { from: FROM_ROW })
      const running = runAll(sim, server.url)
      await blocker.waiting()
      await blocker.abandon()
      await server.stop()
      server = await startEmbedded(dataDir, new MemoryLog(), { port })
      const { report, io } = await running
      expect(report.ok, report.error).toBe(true)
      expect(io.log.lines.filter((l) => RETRIED.test(l))).toHaveLength(1)
      expect(everythingPrinted(io)).not.toContain(password)
      await replaceConnections(sql)
      await blocker.disarm()
      expect(await snapshot(sql)).toEqual(clean)
    } finally {
      await sql.end({ timeout: 1 })
      await server.stop()
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
