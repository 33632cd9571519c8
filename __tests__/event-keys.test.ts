// One key per timeline event whichever API read it: comments and reviews
// by GitHub's id, other events by a number derived from their node id — in
// TypeScript (the mappers) and in SQL (migration 0006, which re-keys rows an
// earlier version stored by REST id).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadMigrations, migrate } from '../src/db/migrate.js'
import { nodeEventId } from '../src/github/map-event.js'
import { MemoryLog } from '../src/log.js'
import { createTestDatabase, type TestDatabase } from './helpers/db.js'

describe('event keys', () => {
  let db: TestDatabase
  beforeAll(async () => {
    db = await createTestDatabase()
  })
  afterAll(() => db.drop())

  it('migration 0006 re-keys stored events as the mappers key them, and re-reads cross-references', async () => {
    const all = loadMigrations()
    const upTo = all.findIndex((m) => m.name === 'timeline_marks_and_event_keys')
    expect(upTo).toBeGreaterThan(0)
    await migrate(db.sql, new MemoryLog(), all.slice(0, upTo))
    await db.sql`insert into issues (id, repo_id, org, repo, number, title, state, created_at, updated_at)
      values (1, 7, 'acme', 'app', 1, 'x', 'open', '2024-01-01', '2024-01-02'),
             (2, 7, 'acme', 'app', 2, 'y', 'open', '2024-01-01', '2024-01-03')`
    await db.sql`insert into event_polls (id, page_no, etag, issue_updated_at) values
      (1, 1, 'W/"a"', '2024-01-02'), (2, 1, 'W/"b"', '2024-01-03')`
    await db.sql`insert into events (id, issue_id, repo_id, org, repo, event, node_id, created_at) values
      (501, 1, 7, 'acme', 'app', 'labeled', 'LE_kwDOabc', '2024-01-01'),
      (502, 1, 7, 'acme', 'app', 'commented', 'IC_kwDOdef', '2024-01-01'),
      (-9, 2, 7, 'acme', 'app', 'cross-referenced', null, '2024-01-01')`
    await migrate(db.sql, new MemoryLog(), all.slice(0, upTo + 1))

    const rows = await db.sql<{ id: string; event: string }[]>`select id, event from events order by event`
    expect(rows).toEqual([
      { id: '502', event: 'commented' },
      { id: nodeEventId('LE_kwDOabc'), event: 'labeled' }
    ])
    const marks = await db.sql<{ id: string; timeline_updated_at: Date | null }[]>`
      select id, timeline_updated_at from issues order by id`
    expect(marks[0].timeline_updated_at?.toISOString()).toBe('2024-01-02T00:00:00.000Z') // kept from event_polls
    expect(marks[1].timeline_updated_at).toBeNull() // its cross-reference is read again
    expect((await db.sql`select id from event_polls`).map((r) => Number(r.id))).toEqual([1])
  })

  it('the SQL derivation equals the TypeScript one on many node ids', async () => {
    const ids = Array.from({ length: 200 }, (_, k) => `LE_kwDO${k.toString(36)}${'Zz'.repeat(k % 7)}é`)
    const rows = await db.sql<{ k: string }[]>`
      select event_key_from_node(n)::text as k from unnest(${ids}::text[]) with ordinality as t(n, o) order by o`
    expect(rows.map((r) => r.k)).toEqual(ids.map(nodeEventId))
  })
})
