// Property tests of the GraphQL mappers (mapGraphqlTimelineItem, restRepo)
// on random answers to the queries the action sends, generated from GitHub's
// published GraphQL schema (helpers/graphql-arbitrary.ts) and checked by
// executing each query against that schema with the answer as the resolved
// values. The OpenAPI description has no GraphQL types, so these come from
// the SDL instead. Properties: never throws, keeps ids, every column
// defined, null fields stored as null.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { REPOSITORY_NODES_QUERY } from '../src/github/graphql-org.js'
import { FIRST_PAGES_QUERY, type GraphqlTimelineItem } from '../src/github/graphql-timeline.js'
import { derivedEventId, nodeEventId } from '../src/github/map-event.js'
import { mapGraphqlTimelineItem, restEventName } from '../src/github/map-graphql-event.js'
import { mapRepository, restRepo } from '../src/github/map-repo.js'
import type { GraphqlRepo } from '../src/github/graphql-org.js'
import { EVENT_COLUMNS } from '../src/model/event.js'
import { REPOSITORY_COLUMNS } from '../src/model/repo.js'
import type { Repo } from '../src/model/repo.js'
import { githubSchema } from '../sim/graphql/schema.js'
import { checkAnswer, fragmentAnswer, type AnswerOptions } from './helpers/graphql-arbitrary.js'

const RUNS = 100
const API = 'https://api.github.com'
const REPO: Repo = {
  id: 7,
  org: 'acme',
  name: 'api',
  fullName: 'acme/api',
  archived: false,
  private: false,
  nodeId: null,
  hasIssues: true
}
const MODES: [string, AnswerOptions][] = [
  ['random answers', { nulls: 'random' }],
  ['every nullable field null', { nulls: 'all' }]
]

/** `data` that graphql-js must complete against GitHub's schema for `query`, else the generator lied. */
function complete(query: string, data: unknown, variables: Record<string, unknown>): void {
  const { errors } = checkAnswer(githubSchema(), query, data, variables)
  if (errors.length > 0) throw new Error(`generated answer does not complete: ${errors.slice(0, 3).join('; ')}`)
}

const TIMELINE_VARIABLES = { issues: ['I_1'], pulls: ['PR_1'], comments: [] }

/**
 * Timeline items as FIRST_PAGES_QUERY gets them: random items of fragments
 * IssueItem and PullItem, set into one issue's and one pull request's first
 * page, and the whole answer completed against the schema.
 */
function timelinePages(options: AnswerOptions): fc.Arbitrary<GraphqlTimelineItem[]> {
  const schema = githubSchema()
  const page = (nodes: unknown[]) => ({
    totalCount: nodes.length,
    pageInfo: { hasNextPage: false, endCursor: null },
    nodes
  })
  return fc
    .tuple(
      fc.array(fragmentAnswer(schema, FIRST_PAGES_QUERY, 'IssueItem', options), { maxLength: 4 }),
      fc.array(fragmentAnswer(schema, FIRST_PAGES_QUERY, 'PullItem', options), { maxLength: 4 })
    )
    .map(([issueItems, pullItems]) => {
      const data = {
        rateLimit: { cost: 1, remaining: 4999, resetAt: '2025-01-01T00:00:00Z' },
        issues: [{ __typename: 'Issue', id: 'I_1', timelineItems: page(issueItems) }],
        pulls: [{ __typename: 'PullRequest', id: 'PR_1', timelineItems: page(pullItems) }],
        comments: []
      }
      complete(FIRST_PAGES_QUERY, data, TIMELINE_VARIABLES)
      return [...issueItems, ...pullItems] as unknown as GraphqlTimelineItem[]
    })
}

/** Repositories as REPOSITORY_NODES_QUERY gets them, the answer completed against the schema. */
function repositories(options: AnswerOptions): fc.Arbitrary<GraphqlRepo[]> {
  return fc
    .array(fragmentAnswer(githubSchema(), REPOSITORY_NODES_QUERY, 'Repository', options), {
      minLength: 1,
      maxLength: 3
    })
    .map((repos) => {
      const data = { rateLimit: null, nodes: repos.map((r) => ({ __typename: 'Repository', ...(r as object) })) }
      complete(REPOSITORY_NODES_QUERY, data, { ids: repos.map((_, i) => `R_${i}`) })
      return repos as unknown as GraphqlRepo[]
    })
}

function expectColumns(row: Record<string, unknown>, columns: readonly string[]): void {
  for (const c of columns) {
    expect(row[c], `column ${c}`).not.toBeUndefined()
    if (typeof row[c] === 'string') expect(['null', 'undefined', '[object Object]']).not.toContain(row[c])
  }
}

const SKIPPED = new Set(['PullRequestReviewThread', 'PullRequestCommitCommentThread', 'PullRequestRevisionMarker'])

describe.each(MODES)('GraphQL mappers on %s', (_mode, options) => {
  it('mapGraphqlTimelineItem on FIRST_PAGES_QUERY timeline items', () => {
    fc.assert(
      fc.property(timelinePages(options), fc.maxSafeInteger(), (items, issueId) => {
        for (const item of items) {
          const row = mapGraphqlTimelineItem(item, issueId, REPO, API)
          const t = item.__typename
          if (SKIPPED.has(t)) {
            expect(row).toBeUndefined()
            continue
          }
          const missing =
            ((t === 'IssueComment' || t === 'PullRequestReview') && item.databaseId == null) ||
            (t === 'PullRequestCommit' && !item.commit) ||
            (!['IssueComment', 'PullRequestReview', 'PullRequestCommit', 'CrossReferencedEvent'].includes(t) &&
              !item.id)
          if (missing) {
            expect(row).toBeUndefined()
            continue
          }
          expect(row, t).toBeDefined()
          const r = row as unknown as Record<string, unknown>
          expect(r.issue_id).toBe(issueId)
          expect(r.repo_id).toBe(REPO.id)
          expect(r.event).toBe(restEventName(t))
          if (t === 'IssueComment' || t === 'PullRequestReview') expect(r.id).toBe(String(item.databaseId))
          else if (t === 'PullRequestCommit') expect(r.id).toBe(derivedEventId('committed', `sha:${item.commit!.oid}`))
          else if (t !== 'CrossReferencedEvent') expect(r.id).toBe(nodeEventId(item.id!))
          const big = BigInt(r.id as string)
          expect(big >= -(2n ** 63n) && big < 2n ** 63n).toBe(true)
          expectColumns(r, EVENT_COLUMNS)
          if ('body' in item && item.body === null) expect(r.body).toBeNull()
          if ('createdAt' in item && item.createdAt === null && t !== 'PullRequestReview')
            expect(r.created_at).toBeNull()
          if (r.user !== null) expect(r.username).toBe((r.user as { login: string }).login)
        }
      }),
      { numRuns: RUNS }
    )
  })

  it('restRepo (and mapRepository) on REPOSITORY_NODES_QUERY repositories', () => {
    fc.assert(
      fc.property(repositories(options), (repos) => {
        for (const repo of repos) {
          const rest = restRepo(repo)
          expect(rest.id).toBe(repo.databaseId)
          expect(rest.node_id).toBe(repo.id)
          expect(rest.full_name).toBe(repo.nameWithOwner)
          const row = mapRepository('acme', rest) as unknown as Record<string, unknown>
          expect(row.id).toBe(repo.databaseId)
          expect(row.org).toBe(repo.owner.login)
          expectColumns(
            row,
            REPOSITORY_COLUMNS.filter((c) => c !== 'id')
          )
          if (repo.pushedAt === null) expect(row.pushed_at).toBeNull()
          if (repo.createdAt === null) expect(row.created_at).toBeNull()
        }
      }),
      { numRuns: RUNS }
    )
  })
})

describe('the GraphQL answer generator', () => {
  it('reaches comments, reviews, commits, cross-references and plain events', () => {
    const pages = fc.sample(timelinePages({ nulls: 'random' }), { numRuns: 300, seed: 5 })
    const types = new Set(pages.flat().map((i) => i.__typename))
    for (const t of [
      'IssueComment',
      'PullRequestReview',
      'PullRequestCommit',
      'CrossReferencedEvent',
      'LabeledEvent',
      'ClosedEvent'
    ]) {
      expect(types, t).toContain(t)
    }
  })

  it('is checked by graphql-js: a wrong value does not complete', () => {
    const schema = githubSchema()
    const data = {
      nodes: [
        {
          __typename: 'Repository',
          id: 'R',
          databaseId: 'not an int',
          name: 'x',
          nameWithOwner: 'o/x',
          isPrivate: false,
          isArchived: false,
          url: 'https://x',
          createdAt: null,
          pushedAt: null,
          owner: { login: 'o', __typename: 'Organization' },
          hasIssuesEnabled: true
        }
      ],
      rateLimit: null
    }
    expect(checkAnswer(schema, REPOSITORY_NODES_QUERY, data, { ids: ['R'] }).errors.join()).toMatch(
      /Int cannot represent/
    )
    const nonNull = { ...data, nodes: [{ ...data.nodes[0], databaseId: 1, name: null }] }
    expect(checkAnswer(schema, REPOSITORY_NODES_QUERY, nonNull, { ids: ['R'] }).errors.join()).toMatch(/non-nullable/)
  })
})
