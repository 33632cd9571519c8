// Issue-13 edge case 7: a cursor's high-water mark only moves forward, so a
// late or concurrent run that read less can never pull it back (which would
// make the next run read again, or worse, with a position cursor, skip).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { getCursor, setCursor } from '../src/db/cursors.js'
import { migrate } from '../src/db/migrate.js'
import { MemoryLog } from '../src/log.js'
import { createTestDatabase, type TestDatabase } from './helpers/db.js'

let db: TestDatabase
beforeAll(async () => {
  db = await createTestDatabase()
  await migrate(db.sql, new MemoryLog())
})
afterAll(() => db?.drop())

const EARLY = new Date('2025-05-01T00:00:00Z')
const LATE = new Date('2025-05-02T00:00:00Z')

describe('setCursor', () => {
  it('never moves a high-water mark back, but keeps the newer state', async () => {
    await setCursor(db.sql, 'issues', 1, { highWater: LATE, state: { run: 1 } })
    await setCursor(db.sql, 'issues', 1, { highWater: EARLY, state: { run: 2 } })
    expect(await getCursor(db.sql, 'issues', 1)).toEqual({ highWater: LATE, state: { run: 2 } })
    await setCursor(db.sql, 'issues', 1, { highWater: undefined, state: {} })
    expect((await getCursor(db.sql, 'issues', 1)).highWater).toEqual(LATE)
  })

  it('moves it forward, and writes nothing when nothing changes', async () => {
    await setCursor(db.sql, 'events', 2, { highWater: EARLY, state: {} })
    await setCursor(db.sql, 'events', 2, { highWater: LATE, state: {} })
    const [before] = await db.sql<{ updated_at: Date }[]>`
      select updated_at from sync_cursors where task = 'events' and repo_id = 2`
    await setCursor(db.sql, 'events', 2, { highWater: EARLY, state: {} })
    const [after] = await db.sql<{ updated_at: Date; high_water: Date }[]>`
      select updated_at, high_water from sync_cursors where task = 'events' and repo_id = 2`
    expect(after.high_water).toEqual(LATE)
    expect(after.updated_at).toEqual(before.updated_at)
  })

  it('a position cursor (forwardOnly: false) may move back', async () => {
    await setCursor(db.sql, 'backfill', 3, { highWater: LATE, state: {} })
    await setCursor(db.sql, 'backfill', 3, { highWater: EARLY, state: {} }, { forwardOnly: false })
    expect((await getCursor(db.sql, 'backfill', 3)).highWater).toEqual(EARLY)
  })
})
