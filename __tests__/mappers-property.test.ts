// Property tests of the REST mappers (src/github/map-*.ts) on random payloads
// that validate against GitHub's OpenAPI schemas (fixtures/openapi-subset.json):
// for each response type a mapper takes, every generated payload is first
// checked with Ajv against its schema (the generator is honest), then the
// mapper must not throw, must keep the ids, must give every column a defined
// value, and — with every nullable field null — must store null, never the
// text 'null'. GraphQL mappers: __tests__/mappers-graphql-property.test.ts.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { mapIssue } from '../src/github/map-issue.js'
import {
  derivedEventId,
  mapTimelineItem,
  mapTimelinePage,
  nodeEventId,
  SKIPPED_EVENTS
} from '../src/github/map-event.js'
import { mapMember } from '../src/github/map-member.js'
import { mapRepository, toRepo } from '../src/github/map-repo.js'
import type { GitHubIssue, GitHubMember, GitHubRepo, TimelineItem } from '../src/github/types.js'
import { EVENT_COLUMNS } from '../src/model/event.js'
import { ISSUE_COLUMNS, PULL_COLUMNS } from '../src/model/issue.js'
import { MEMBER_COLUMNS } from '../src/model/member.js'
import type { Repo } from '../src/model/repo.js'
import { REPOSITORY_COLUMNS } from '../src/model/repo.js'
import { componentSchema, payload, unionBranches, type PayloadOptions } from './helpers/openapi-arbitrary.js'
import { validator } from './sim/helpers.js'

const RUNS = 150
const MODES: [string, PayloadOptions][] = [
  ['random payloads', { nulls: 'random' }],
  ['every nullable field null', { nulls: 'all' }]
]

/** Payloads of `schema`, each checked against it: a generator bug fails here, not as a mapper bug. */
function valid<T>(schema: string, options: PayloadOptions): fc.Arbitrary<T> {
  const check = validator(`#${schema}`, 200)
  return payload(schema, options).map((p) => {
    if (!check(p)) {
      const errors = (check.errors ?? []).slice(0, 5).map((e) => `${e.instancePath} ${e.message}`)
      throw new Error(`generated ${schema} does not validate: ${errors.join('; ')}\n${JSON.stringify(p).slice(0, 500)}`)
    }
    return p as T
  })
}

/**
 * The timeline's event names by union branch. The schemas type `event` as
 * any string, so the generator alone would almost never draw 'commented';
 * each branch gets the names GitHub gives it (and, a tenth of the time, a
 * random string or none where the schema allows none) — still valid.
 */
const BRANCH_EVENTS: Record<string, string[]> = {
  'timeline-comment-event': ['commented'],
  'timeline-cross-referenced-event': ['cross-referenced'],
  'timeline-committed-event': ['committed'],
  'timeline-reviewed-event': ['reviewed'],
  'timeline-line-commented-event': ['line-commented'],
  'timeline-commit-commented-event': ['commit-commented'],
  'timeline-assigned-issue-event': ['assigned'],
  'timeline-unassigned-issue-event': ['unassigned'],
  'moved-column-in-project-issue-event': ['moved_columns_in_project'],
  'state-change-issue-event': ['closed', 'reopened', 'merged', 'referenced', 'head_ref_deleted', 'ready_for_review']
}
const eventNames = (branch: string): string[] =>
  BRANCH_EVENTS[branch] ?? [branch.replace(/-issue-event$/, '').replaceAll('-', '_')]

/** Timeline items: a branch of the union with one of its event names, validated against the union too. */
function timelineItem(options: PayloadOptions): fc.Arbitrary<TimelineItem> {
  const union = validator('#timeline-issue-events', 200)
  const branches = unionBranches('timeline-issue-events').map((b) => {
    const optional = !(componentSchema(b).required ?? []).includes('event')
    const other = optional ? fc.option(fc.string(), { nil: undefined }) : fc.string()
    return fc
      .tuple(
        valid<TimelineItem>(b, options),
        fc.oneof({ weight: 9, arbitrary: fc.constantFrom(...eventNames(b)) }, { weight: 1, arbitrary: other })
      )
      .map(([item, event]) => {
        const out: TimelineItem = { ...item }
        if (event === undefined) delete out.event
        else out.event = event
        return out
      })
  })
  return fc.oneof(...branches).map((item) => {
    if (!union(item)) throw new Error(`timeline item does not validate: ${JSON.stringify(union.errors?.[0])}`)
    return item
  })
}

const repoArb: fc.Arbitrary<Repo> = fc.record({
  id: fc.maxSafeInteger(),
  org: fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9-]{0,38}$/),
  name: fc.stringMatching(/^[A-Za-z0-9._-]{1,100}$/),
  fullName: fc.constant('o/r'),
  archived: fc.boolean(),
  private: fc.boolean(),
  nodeId: fc.constant(null),
  hasIssues: fc.boolean()
})

/** Every column present and defined, no column the mapper stringified from null or undefined. */
function expectColumns(row: Record<string, unknown>, columns: readonly string[]): void {
  for (const c of columns) {
    expect(row, `column ${c}`).toHaveProperty(c)
    expect(row[c], `column ${c} is undefined`).not.toBeUndefined()
    if (typeof row[c] === 'string') expect(['null', 'undefined', '[object Object]']).not.toContain(row[c])
  }
  // JSON columns survive the trip to jsonb.
  expect(() => JSON.stringify(row)).not.toThrow()
}

/**
 * For every column named like a payload field: a null field is a null
 * column. `except`: the documented substitutions (a deleted author is
 * GitHub's ghost user, a null assignee list an empty one).
 */
function expectNullsKept(
  row: Record<string, unknown>,
  item: Record<string, unknown>,
  columns: readonly string[],
  except: string[] = []
): void {
  for (const c of columns) {
    if (except.includes(c) || !(c in item) || item[c] !== null) continue
    expect(row[c], `payload ${c} is null`).toBeNull()
  }
}

describe.each(MODES)('REST mappers on %s', (_mode, options) => {
  it.each([['issue'], ['issue-search-result-item']])('mapIssue on %s', (schema) => {
    fc.assert(
      fc.property(valid<GitHubIssue>(schema, options), repoArb, (item, repo) => {
        const mapped = mapIssue(item, repo)
        const row = mapped.row as unknown as Record<string, unknown>
        expect(row.id).toBe(item.id)
        expect(row.number).toBe(item.number)
        expect(row.repo_id).toBe(repo.id)
        expect(row.title).toBe(item.title)
        expect(mapped.kind).toBe(item.pull_request ? 'pull' : 'issue')
        expectColumns(row, mapped.kind === 'pull' ? PULL_COLUMNS : ISSUE_COLUMNS)
        expectNullsKept(row, item, PULL_COLUMNS, ['user', 'assignees'])
        if (item.user === null) expect(row.username).toBe('ghost')
        else expect(row.username).toBe(item.user.login)
        if (mapped.kind === 'pull') {
          const mergedAt = item.pull_request?.merged_at ?? null
          expect(mapped.row.merged).toBe(mergedAt !== null)
          expect(mapped.row.merged_at).toBe(mergedAt)
        }
      }),
      { numRuns: RUNS }
    )
  })

  it('mapTimelineItem and mapTimelinePage on timeline-issue-events (every kind of the union)', () => {
    fc.assert(
      fc.property(
        fc.array(timelineItem(options), { minLength: 1, maxLength: 4 }),
        fc.maxSafeInteger(),
        repoArb,
        (items, issueId, repo) => {
          for (const item of items) {
            const row = mapTimelineItem(item, issueId, repo)
            const event = item.event
            if (typeof event !== 'string' || event === '' || SKIPPED_EVENTS.has(event)) {
              expect(row).toBeUndefined()
              continue
            }
            expect(row).toBeDefined()
            const r = row as unknown as Record<string, unknown>
            expect(r.issue_id).toBe(issueId)
            expect(r.repo_id).toBe(repo.id)
            expect(r.event).toBe(event)
            // The key: GitHub's id for comments and reviews, else derived — always a bigint.
            if ((event === 'commented' || event === 'reviewed') && item.id != null) expect(r.id).toBe(String(item.id))
            else if (event === 'committed' && item.sha)
              expect(r.id).toBe(derivedEventId('committed', `sha:${item.sha}`))
            else if (event !== 'cross-referenced' && item.node_id && !['commented', 'reviewed'].includes(event))
              expect(r.id).toBe(nodeEventId(item.node_id))
            expect(r.id).toMatch(/^-?\d+$/)
            const big = BigInt(r.id as string)
            expect(big >= -(2n ** 63n) && big < 2n ** 63n).toBe(true)
            expectColumns(r, EVENT_COLUMNS)
            expectNullsKept(r, item, ['body', 'state', 'node_id', 'author_association', 'label', 'reactions'])
            if (event !== 'committed') expect(r.username).toBe((r.user as { login: string }).login)
          }
          const page = mapTimelinePage(items, issueId, repo)
          expect(new Set(page.map((p) => p.id)).size).toBe(page.length)
        }
      ),
      { numRuns: RUNS }
    )
  })

  it('the timeline items drawn take every path of mapTimelineItem', () => {
    // A fixed seed: this checks the generator's reach, not a property, so it must not be left to chance.
    const items = fc.sample(timelineItem(options), { numRuns: 2000, seed: 13 })
    const events = new Set(items.map((i) => i.event))
    for (const e of ['commented', 'reviewed', 'committed', 'cross-referenced', 'line-commented', 'labeled', 'closed']) {
      expect(events, e).toContain(e)
    }
    expect(items.some((i) => i.event === undefined)).toBe(true)
    for (const item of items) mapTimelineItem(item, 1, { id: 2, org: 'o', name: 'r' } as Repo)
  })

  it('mapMember on simple-user (GET /orgs/{org}/members)', () => {
    fc.assert(
      fc.property(
        valid<GitHubMember>('simple-user', options).filter((m) => m.login !== ''),
        (m) => {
          const row = mapMember(m) as unknown as Record<string, unknown>
          expect(row.id).toBe(m.id)
          expect(row.login).toBe(m.login)
          expectColumns(row, MEMBER_COLUMNS)
          expectNullsKept(row, m as unknown as Record<string, unknown>, MEMBER_COLUMNS)
        }
      ),
      { numRuns: RUNS }
    )
  })

  it.each([['minimal-repository'], ['full-repository']])('mapRepository and toRepo on %s', (schema) => {
    fc.assert(
      fc.property(valid<GitHubRepo & Record<string, unknown>>(schema, options), fc.string(), (r, org) => {
        const row = mapRepository(org, r) as unknown as Record<string, unknown>
        expect(row.id).toBe(r.id)
        expect(row.name).toBe(r.name)
        expect(row.full_name).toBe(r.full_name)
        expect(row.org).toBe(r.owner?.login ?? org)
        expect(row.has_issues).toBe(r.has_issues ?? true)
        expectColumns(row, REPOSITORY_COLUMNS)
        expectNullsKept(row, r, REPOSITORY_COLUMNS)
        const repo = toRepo(org, r)
        expect(repo.id).toBe(r.id)
        expect(repo.name).toBe(r.name)
        expect(repo.nodeId).toBe(r.node_id ?? null)
      }),
      { numRuns: RUNS }
    )
  })
})

describe('the generator', () => {
  it('reaches every kind of timeline event the union lists', () => {
    const branches = unionBranches('timeline-issue-events')
    expect(branches.length).toBeGreaterThan(20)
    for (const b of branches) {
      const sample = fc.sample(valid<TimelineItem>(b, { nulls: 'random' }), 5)
      // Each branch validates against the union, too: a timeline page may hold it.
      const union = validator('#timeline-issue-events', 200)
      for (const s of sample) expect(union(s), b).toBe(true)
    }
  })

  it('fills every nullable field with null in the all-null mode', () => {
    const [issue] = fc.sample(payload('issue', { nulls: 'all' }), 1)
    expect(issue.body).toBeNull()
    expect(issue.closed_at).toBeNull()
    expect(issue.milestone).toBeNull()
    expect(issue.assignee).toBeNull()
    expect(issue.user).toBeNull()
  })

  it('makes payloads the validator accepts, and the validator refuses a broken one', () => {
    const check = validator('#issue', 200)
    const [issue] = fc.sample(payload('issue'), 1)
    expect(check(issue)).toBe(true)
    expect(check({ ...issue, id: 'not a number' })).toBe(false)
    expect(check({ ...issue, created_at: 'yesterday' })).toBe(false)
  })
})

describe('mapMember refuses what no member is', () => {
  it('an empty login (the schema allows it; GitHub never sends it) fails naming the endpoint', () => {
    fc.assert(
      fc.property(valid<GitHubMember>('simple-user', { nulls: 'random' }), (m) => {
        expect(() => mapMember({ ...m, login: '' })).toThrow(/Malformed member in GET \/orgs\/\{org\}\/members/)
      }),
      { numRuns: 20 }
    )
  })
})
