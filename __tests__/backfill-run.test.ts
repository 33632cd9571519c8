import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { InputName } from '../src/constants.js'
import { run } from '../src/main.js'
import { startSim, type Sim } from '../sim/index.js'
import { backfillWorld, RANGE } from './helpers/backfill-world.js'
import { createTestDatabase, tableNames, type TestDatabase } from './helpers/db.js'
import { testIO } from './helpers/io.js'

describe('backfill through run()', () => {
  let sim: Sim
  let db: TestDatabase
  beforeAll(async () => {
    sim = await startSim({ world: backfillWorld() })
  })
  afterAll(async () => {
    await sim.close()
  })
  beforeEach(async () => {
    db?.drop()
    db = await createTestDatabase()
    sim.limits.reset()
    sim.log.reset()
  })

  const io = (inputs: Partial<Record<InputName, string>>) =>
    testIO({
      mode: 'backfill',
      'github-token': 't',
      'api-url': sim.url,
      'database-url': db.url,
      org: 'acme',
      'backfill-timelines': 'false',
      ...inputs
    })
  const options = () => ({ clock: () => sim.world.now(), msPerSecond: 1 })

  it.each([
    ['a future since', { since: '2024-06-01' }, /Invalid since '2024-06-01'. It is in the future/],
    ['until before since', { since: '2024-01-10', until: '2024-01-09' }, /Invalid until '2024-01-09'. It is before/],
    ['an unparseable since', { since: 'last week' }, /Invalid since 'last week'/],
    ['an impossible until', { since: '2024-01-01', until: '2024-02-30' }, /Invalid until '2024-02-30'/]
  ])('%s fails naming the input before anything is written or requested', async (_, dates, message) => {
    const t = io(dates)
    const report = await run(t, options())
    expect(report.ok).toBe(false)
    expect(t.failure).toMatch(message)
    expect(await tableNames(db.sql)).toEqual([])
    expect(sim.log.count()).toBe(0)
  })

  it('sets incomplete and remaining at the budget reserve, exits 0, and the next run finishes', async () => {
    const first = io({ ...RANGE, 'budget-reserve': '4998' })
    const report = await run(first, options())
    expect(report.ok).toBe(true)
    expect(first.failure).toBeUndefined()
    expect(first.outputs.get('incomplete')).toBe('true')
    expect(first.outputs.get('remaining')).toMatch(/^backfill: \d repositor(y|ies) unfinished: /)
    expect(JSON.parse(first.outputs.get('results') ?? '{}').backfill).toMatchObject({ incomplete: true })

    let outputs = first.outputs
    for (let i = 0; i < 5 && outputs.get('incomplete') === 'true'; i++) {
      sim.limits.reset()
      // The scheduled continuation: no since, and backfill-timelines at its default (true);
      // the backfill keeps the choice it was started with.
      const next = io({ 'budget-reserve': '4998', 'backfill-timelines': '' })
      await run(next, options())
      outputs = next.outputs
    }
    expect(outputs.get('incomplete')).toBe('false')
    expect(outputs.get('remaining')).toBe('')
    const [{ n }] = await db.sql<{ n: number }[]>`
      select (select count(*) from issues)::int + (select count(*) from pull_requests)::int as n`
    expect(n).toBe(315)
    expect(sim.log.count({ route: '/repos/{owner}/{repo}/issues/{issue_number}/timeline' })).toBe(0)
    await db.drop()
  })
})
