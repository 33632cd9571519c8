import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Sql } from '../src/db/connect.js'
import { migrate } from '../src/db/migrate.js'
import { MemoryLog } from '../src/log.js'
import { runBackfill } from '../src/tasks/backfill.js'
import { startSim, World, type Sim } from '../sim/index.js'
import { createTestDatabase, type TestDatabase } from './helpers/db.js'
import { simDeps, simSettings } from './helpers/sync.js'

const REPOS = ['api', 'web', 'docs', 'cli', 'infra', 'mobile', 'sdk', 'site']
const SHARDS = 3

function world(): World {
  const w = new World({ org: 'acme', now: '2024-01-01T00:00:00Z' })
  for (const name of REPOS) w.createRepo(name)
  for (let i = 0; i < 40; i++) {
    w.advance({ hours: 9 })
    for (const [k, name] of REPOS.entries()) {
      if (i % (k + 1) !== 0) continue // repositories of different sizes
      const item = w.openIssue(name, { title: `${name} ${i}`, user: `dev-${i % 3}`, isPull: i % 2 === 0 })
      if (i % 4 === 0) w.comment(name, item.number, { user: 'dev-5', body: 'looks good' })
      if (i % 6 === 0) w.merge(name, item.number, 'dev-1')
    }
  }
  w.advance({ days: 3 })
  return w
}

/** The rows backfill writes, per table, with the repository they belong to. */
async function dump(sql: Sql): Promise<Record<string, Record<string, unknown>[]>> {
  return {
    issues: await sql`select * from issues order by id`,
    pull_requests: await sql`select * from pull_requests order by id`,
    events: await sql`select * from events order by issue_id, id`,
    cursors: await sql`select repo_id, high_water, state from sync_cursors where task = 'backfill' order by repo_id`
  }
}

const key = (table: string, row: Record<string, unknown>): string =>
  table === 'events' ? `${row.issue_id}/${row.id}` : table === 'cursors' ? String(row.repo_id) : String(row.id)

describe('scale-out by shard', () => {
  let sim: Sim
  const dbs: TestDatabase[] = []
  beforeAll(async () => {
    sim = await startSim({ world: world() })
  })
  afterAll(async () => {
    await sim.close()
    for (const db of dbs) await db.drop()
  })

  async function backfill(shard: string): Promise<Record<string, Record<string, unknown>[]>> {
    const db = await createTestDatabase()
    dbs.push(db)
    await migrate(db.sql, new MemoryLog())
    const result = await runBackfill(
      simDeps(sim, db.sql),
      simSettings(sim, { mode: 'backfill', since: '2024-01-01', shard, 'backfill-timelines': 'false' })
    )
    expect(result.incomplete).toBeFalsy()
    return dump(db.sql)
  }

  it('n shards write disjoint rows whose union equals an unsharded run', async () => {
    const whole = await backfill('1/1')
    expect(whole.issues.length + whole.pull_requests.length).toBeGreaterThan(100)
    const parts = []
    for (let k = 1; k <= SHARDS; k++) parts.push(await backfill(`${k}/${SHARDS}`))
    // Every shard did some of the work.
    for (const part of parts) expect(part.cursors.length).toBeGreaterThan(0)

    for (const table of Object.keys(whole)) {
      const seen = new Set<string>()
      for (const part of parts) {
        for (const row of part[table]) {
          const k = key(table, row)
          expect(seen.has(k), `${table} ${k} written by two shards`).toBe(false)
          seen.add(k)
        }
      }
      const union = parts.flatMap((p) => p[table]).sort((a, b) => key(table, a).localeCompare(key(table, b)))
      const expected = [...whole[table]].sort((a, b) => key(table, a).localeCompare(key(table, b)))
      expect(union, table).toEqual(expected)
    }
  })
})
