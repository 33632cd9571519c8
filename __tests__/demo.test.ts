// `npm run demo` end to end on a test database: every available task runs,
// the second (incremental) run is cheap, and the printout shows per-repository
// counts, ghosts and the rename.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { demo } from '../scripts/demo.js'
import { isAvailable } from '../src/tasks/index.js'
import { createTestDatabase, type TestDatabase } from './helpers/db.js'

describe('demo', () => {
  let db: TestDatabase
  beforeAll(async () => {
    db = await createTestDatabase()
  })
  afterAll(async () => {
    await db.drop()
  })

  it('runs the available tasks twice and prints what is stored', async () => {
    const lines: string[] = []
    const report = await demo({
      databaseUrl: db.url,
      generate: { seed: 3, org: 'acme', repos: 4, items: 600, members: 10, timeline: { over100: 0, over1000: 0 } },
      print: (l) => lines.push(l)
    })
    expect(report.ok, report.error).toBe(true)
    const text = lines.join('\n')
    expect(text).toMatch(/^repository\s+issues\s+open\s+PRs\s+open\s+merged\s+closed unmerged$/m)
    expect(text).toMatch(/Renamed repository: \S+ → \S+-renamed/)
    expect(text).toMatch(/Authored by deleted users \(stored as ghost\): \d+/)
    expect(text).toMatch(
      /Spent: \d+ billable requests \(core and search\) and \d+ GraphQL points; \d+ requests answered 304/
    )
    // It ends with the report of the demo org, as terminal tables.
    expect(text).toMatch(/^Contributor metrics for acme: \d{4}-\d\d-\d\d – \d{4}-\d\d-\d\d/m)
    expect(text).toMatch(/^Time to first response, issues \(median\)\s+\S+/m)
    expect(text).toMatch(/^Opened and closed per month$/m)
    expect(text).toMatch(/^Waiting on us: /m)
    const [{ n }] = await db.sql`select count(*)::int as n from issues`
    expect(n).toBeGreaterThan(100)
    // The incremental run: the repository list, then per repository at most
    // the changed listing and its new ETag (4 repositories, one archived).
    const issues = report.tasks.find((t) => t.task === 'issues')
    expect(issues?.requests.billable).toBeLessThanOrEqual(1 + 2 * 3)
    expect(report.tasks.map((t) => t.task).every(isAvailable)).toBe(true)
  })

  it('knows which tasks are built', () => {
    expect(isAvailable('issues')).toBe(true)
    expect(isAvailable('migrate')).toBe(true)
  })
})
