import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { TASKS } from '../src/constants.js'
import { run } from '../src/main.js'
import type { Settings } from '../src/inputs.js'
import { isAvailable, notAvailable } from '../src/tasks/index.js'
import type { Deps } from '../src/tasks/types.js'
import { createTestDatabase, tableNames, type TestDatabase } from './helpers/db.js'
import { testIO } from './helpers/io.js'

describe('run()', () => {
  let db: TestDatabase
  beforeEach(async () => {
    db = await createTestDatabase()
  })
  afterEach(async () => {
    await db.drop()
  })

  it('migrate creates the schema, sets outputs and a summary, and masks the password', async () => {
    const url = new URL(db.url)
    url.password = 's3cret'
    const io = testIO({ mode: 'migrate', 'database-url': db.url })
    const report = await run(io)
    expect(report.ok).toBe(true)
    expect(JSON.parse(io.outputs.get('results') ?? '{}')).toMatchObject({ migrate: { applied: expect.any(Number) } })
    expect(io.outputs.get('requests-billable')).toBe('0')
    expect(io.summaries[0]).toMatch(/\| migrate \| applied: \d+ \|/)
    expect(await tableNames(db.sql)).toContain('pull_requests')
    const io2 = testIO({ mode: 'migrate', 'database-url': url.toString() })
    await run(io2)
    expect(io2.secrets).toContain('s3cret')
    expect(io2.failure ?? '').not.toContain('s3cret')
    expect(io2.log.lines.join('\n')).not.toContain('s3cret')
  })

  it('a bad mode fails naming the input and leaves the database untouched', async () => {
    const io = testIO({ mode: 'bogus', 'database-url': db.url })
    const report = await run(io)
    expect(report.ok).toBe(false)
    expect(io.failure).toMatch(/Invalid mode 'bogus'/)
    expect(await tableNames(db.sql)).toEqual([])
  })

  // Every task is built now; a release that withdraws one registers notAvailable(task) instead.
  it('every task is built, and a withdrawn task fails loudly instead of succeeding', async () => {
    expect(TASKS.filter((t) => !isAvailable(t))).toEqual([])
    await expect(notAvailable('report')({} as Deps, {} as Settings)).rejects.toThrow(
      "Task 'report' is not available yet"
    )
  })

  it('an unreachable database fails with the redacted URL', async () => {
    const io = testIO({ mode: 'migrate', 'database-url': 'postgres://u:topsecret@127.0.0.1:1/db' })
    const report = await run(io)
    expect(report.ok).toBe(false)
    expect(io.failure).toMatch(/Cannot connect to database-url 'postgres:\/\/u:\*\*\*@127.0.0.1:1\/db'/)
    expect(io.failure).not.toContain('topsecret')
  })
})
