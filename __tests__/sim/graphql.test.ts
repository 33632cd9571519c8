// POST /graphql over the same world REST renders: root fields, connections
// and cursors, repositories (renamed ones too), issues and pull requests with
// the same ids and times as REST, actors (bots without `[bot]`, deleted
// accounts as null), node lookups, reactions, search, errors as GitHub
// shapes them, and the Octokit GraphQL client.
import { getOctokit } from '@actions/github'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { startSim, World, type Sim } from '../../sim/index.js'
import { expectMatchesSchema, gql, gqlData } from './graphql-helpers.js'
import { get, type AnyJson } from './helpers.js'

let sim: Sim
let edited: number
let botComment: number

beforeAll(async () => {
  const w = new World({ org: 'acme', now: '2025-01-01T00:00:00Z' })
  w.createRepo('app')
  w.createRepo('docs', { archived: true })
  w.createRepo('secret', { private: true })
  w.createRepo('old')
  w.renameRepo('old', 'new')
  w.addMember('dev-1')
  w.addMember('dev-2')
  w.addUser('dependabot[bot]', { type: 'Bot' })
  w.addUser('gone')
  w.advance({ minutes: 1 })
  w.openIssue('app', { title: 'Bug', user: 'dev-1', labels: ['bug'], assignees: ['dev-2'], milestone: 'v1' })
  w.advance({ minutes: 1 })
  w.openIssue('app', { title: 'Bump deps', user: 'dependabot[bot]', isPull: true, draft: true })
  w.advance({ minutes: 1 })
  w.openIssue('app', { title: 'By a ghost', user: null })
  w.advance({ minutes: 1 })
  w.openIssue('app', { title: 'Moving', user: 'dev-2' })
  w.advance({ minutes: 1 })
  edited = w.comment('app', 1, { user: 'dev-2', body: 'first' }).id
  w.advance({ minutes: 1 })
  w.comment('app', 1, { user: 'gone', body: 'bye' })
  w.advance({ minutes: 1 })
  botComment = w.comment('app', 1, { user: 'dependabot[bot]', body: 'beep' }).id
  w.react('app', 1, 'heart', 'dev-2')
  w.react('app', { commentId: edited }, '+1', 'dev-1')
  w.react('app', { commentId: edited }, '+1', 'dependabot[bot]')
  w.react('app', { commentId: edited }, 'eyes', 'dev-2')
  w.advance({ minutes: 1 })
  w.review('app', 2, { user: 'dev-1', state: 'APPROVED', body: 'ok' })
  w.commit('app', 2, { message: 'Bump x', actor: 'dependabot[bot]' })
  w.readyForReview('app', 2, 'dev-1')
  w.advance({ minutes: 1 })
  w.merge('app', 2, 'dev-2')
  w.advance({ minutes: 1 })
  w.transfer('app', 4, 'new', 'dev-1')
  w.close('app', 1, { actor: 'dev-1', reason: 'not_planned' })
  w.advance({ minutes: 1 })
  w.editComment('app', edited, 'first, edited')
  w.deleteUser('gone')
  w.openIssue('secret', { title: 'Hidden', user: 'dev-1' })
  sim = await startSim({ world: w })
})
beforeEach(() => {
  sim.limits.reset()
  sim.log.reset()
})
afterAll(() => sim?.close())

const APP = `repository(owner: "acme", name: "app")`

describe('root fields', () => {
  it('rateLimit and viewer, billed to the graphql bucket with its headers', async () => {
    const r = await gql(sim, `{ viewer { login } rateLimit { limit cost remaining used resetAt nodeCount } }`)
    expect(r.data.viewer.login).toBe('octocat')
    expect(r.data.rateLimit).toMatchObject({ limit: 5000, cost: 1, remaining: 4999, used: 1, nodeCount: 0 })
    expect(Date.parse(r.data.rateLimit.resetAt)).toBeGreaterThan(Date.now())
    expect(r.headers).toMatchObject({
      'x-ratelimit-limit': '5000',
      'x-ratelimit-remaining': '4999',
      'x-ratelimit-used': '1',
      'x-ratelimit-resource': 'graphql'
    })
    expect(sim.log.entries[0]).toMatchObject({ method: 'POST', route: '/graphql', bucket: 'graphql', points: 1 })
  })

  it('viewer of an App installation token is its [bot] user; GITHUB_TOKEN gets 1,000 points an hour', async () => {
    expect((await gqlData(sim, `{ viewer { login } }`, {}, sim.mintToken('app'))).viewer.login).toBe(
      'contributor-metrics[bot]'
    )
    const gt = sim.mintToken('github_token', { repos: ['app'] })
    const d = await gqlData(sim, `{ viewer { login } rateLimit { limit } }`, {}, gt)
    expect(d).toEqual({ viewer: { login: 'github-actions[bot]' }, rateLimit: { limit: 1000 } })
  })

  it('organization: ids, repositories walked by cursor, filters and order, members with role', async () => {
    const q = `query($after: String) { organization(login: "acme") { id databaseId login
      repositories(first: 1, after: $after) { totalCount pageInfo { hasNextPage endCursor } nodes { name } } } }`
    const names: string[] = []
    let after: string | null = null
    for (;;) {
      const d: AnyJson = await gqlData(sim, q, { after })
      expect(d.organization).toMatchObject({ id: 'O_kwDOOTAwMDAwMDE', databaseId: 90000001, login: 'acme' })
      expect(d.organization.repositories.totalCount).toBe(4)
      names.push(...d.organization.repositories.nodes.map((n: { name: string }) => n.name))
      if (!d.organization.repositories.pageInfo.hasNextPage) break
      after = d.organization.repositories.pageInfo.endCursor
    }
    expect(names).toEqual(['app', 'docs', 'secret', 'new'])
    const d = await gqlData(
      sim,
      `{ organization(login: "ACME") {
        active: repositories(first: 10, isArchived: false, orderBy: {field: NAME, direction: DESC}) { nodes { name } }
        membersWithRole(first: 10) { totalCount edges { cursor role node { login } } } } }`
    )
    expect(d.organization.active.nodes.map((n: { name: string }) => n.name)).toEqual(['secret', 'new', 'app'])
    expect(d.organization.membersWithRole.totalCount).toBe(2)
    expect(d.organization.membersWithRole.edges.map((e: AnyJson) => [e.role, e.node.login])).toEqual([
      ['MEMBER', 'dev-1'],
      ['MEMBER', 'dev-2']
    ])
    const gt = sim.mintToken('github_token', { repos: ['app'] })
    const scoped = await gqlData(
      sim,
      `{ organization(login: "acme") { repositories(first: 10) { totalCount } } }`,
      {},
      gt
    )
    expect(scoped.organization.repositories.totalCount).toBe(1)
    const none = await gql(sim, `{ organization(login: "nope") { id } }`)
    expect(none.data).toEqual({ organization: null })
    expect(none.errors).toEqual([
      expect.objectContaining({
        type: 'NOT_FOUND',
        path: ['organization'],
        message: "Could not resolve to an Organization with the login of 'nope'."
      })
    ])
  })

  it('repository: by name, by a former name unless followRenames: false, not when unreadable', async () => {
    const rest = (await get(sim, '/repos/acme/app')).json
    const d = await gqlData(
      sim,
      `{ ${APP} { id databaseId name nameWithOwner owner { login } isPrivate isArchived url createdAt pushedAt updatedAt } }`
    )
    expect(d.repository).toEqual({
      id: rest.node_id,
      databaseId: rest.id,
      name: 'app',
      nameWithOwner: 'acme/app',
      owner: { login: 'acme' },
      isPrivate: false,
      isArchived: false,
      url: rest.html_url,
      createdAt: rest.created_at,
      pushedAt: rest.pushed_at,
      updatedAt: rest.updated_at
    })
    expect((await gqlData(sim, `{ repository(owner: "acme", name: "old") { name } }`)).repository.name).toBe('new')
    const strict = await gql(sim, `{ repository(owner: "acme", name: "old", followRenames: false) { name } }`)
    expect(strict.data.repository).toBeNull()
    expect(strict.errors?.[0]).toMatchObject({
      type: 'NOT_FOUND',
      message: "Could not resolve to a Repository with the name 'acme/old'."
    })
    const gt = sim.mintToken('github_token', { repos: ['app'] })
    const hidden = await gql(sim, `{ repository(owner: "acme", name: "secret") { name } }`, {}, gt)
    expect(hidden.errors?.[0]).toMatchObject({ type: 'NOT_FOUND', path: ['repository'] })
  })
})

describe('issues and pull requests', () => {
  it('an issue has the REST issue’s ids, times, state, author and labels', async () => {
    const rest = (await get(sim, '/repos/acme/app/issues/1')).json
    const d = await gqlData(
      sim,
      `{ ${APP} { issue(number: 1) { id databaseId number title body state stateReason closed createdAt updatedAt
        closedAt url author { login } authorAssociation locked activeLockReason milestone { title }
        labels(first: 10) { nodes { name color } } assignees(first: 10) { nodes { login } }
        repository { nameWithOwner } } } }`
    )
    expect(d.repository.issue).toEqual({
      id: rest.node_id,
      databaseId: rest.id,
      number: 1,
      title: 'Bug',
      body: rest.body,
      state: 'CLOSED',
      stateReason: 'NOT_PLANNED',
      closed: true,
      createdAt: rest.created_at,
      updatedAt: rest.updated_at,
      closedAt: rest.closed_at,
      url: rest.html_url,
      author: { login: 'dev-1' },
      authorAssociation: 'MEMBER',
      locked: false,
      activeLockReason: null,
      milestone: { title: 'v1' },
      labels: { nodes: [{ name: 'bug', color: rest.labels[0].color }] },
      assignees: { nodes: [{ login: 'dev-2' }] },
      repository: { nameWithOwner: 'acme/app' }
    })
  })

  it('a pull request: databaseId is the pull id (which overflows Int, so an error), fullDatabaseId has it', async () => {
    const pull = (await get(sim, '/repos/acme/app/pulls/2')).json
    const r = await gql(
      sim,
      `{ ${APP} { pullRequest(number: 2) { id databaseId fullDatabaseId state merged mergedAt isDraft
        author { __typename login } mergedBy { login } } } }`
    )
    expect(r.data.repository.pullRequest).toEqual({
      id: pull.node_id,
      databaseId: null,
      fullDatabaseId: String(pull.id),
      state: 'MERGED',
      merged: true,
      mergedAt: pull.merged_at,
      isDraft: false,
      author: { __typename: 'Bot', login: 'dependabot' },
      mergedBy: { login: 'dev-2' }
    })
    expect(pull.user.login).toBe('dependabot[bot]')
    expect(r.errors).toEqual([
      expect.objectContaining({
        path: ['repository', 'pullRequest', 'databaseId'],
        message: `Int cannot represent non 32-bit signed integer value: ${pull.id}`
      })
    ])
  })

  it('a deleted account is null (REST: null, or the ghost user on timelines)', async () => {
    const d = await gqlData(
      sim,
      `{ ${APP} { issue(number: 3) { author { login } } i1: issue(number: 1) { comments(first: 5) { nodes { author { login } body } } } } }`
    )
    expect(d.repository.issue.author).toBeNull()
    expect((await get(sim, '/repos/acme/app/issues/3')).json.user).toBeNull()
    expect(d.repository.i1.comments.nodes.map((n: AnyJson) => n.author?.login ?? null)).toEqual([
      'dev-2',
      null,
      'dependabot'
    ])
    const tl = (await get(sim, '/repos/acme/app/issues/1/timeline')).json
    expect(tl.find((t: AnyJson) => t.body === 'bye').actor.login).toBe('ghost')
  })

  it('issue(number) of a PR, pullRequest(number) of an issue, and a transferred issue are not found', async () => {
    const r = await gql(
      sim,
      `{ ${APP} { a: issue(number: 2) { id } b: pullRequest(number: 1) { id } c: issue(number: 4) { id }
        d: issueOrPullRequest(number: 2) { __typename } e: issueOrPullRequest(number: 99) { __typename } } }`
    )
    expect(r.data.repository).toEqual({ a: null, b: null, c: null, d: { __typename: 'PullRequest' }, e: null })
    expect(r.errors?.map((e) => [e.type, e.path.join('.'), e.message])).toEqual([
      ['NOT_FOUND', 'repository.a', 'Could not resolve to an Issue with the number of 2.'],
      ['NOT_FOUND', 'repository.b', 'Could not resolve to a PullRequest with the number of 1.'],
      ['NOT_FOUND', 'repository.c', 'Could not resolve to an Issue with the number of 4.'],
      ['NOT_FOUND', 'repository.e', 'Could not resolve to an issue or pull request with the number of 99.']
    ])
    const moved = await gqlData(sim, `{ repository(owner: "acme", name: "new") { issue(number: 1) { title } } }`)
    expect(moved.repository.issue.title).toBe('Moving')
  })

  it('issues(): pull requests excluded, states, filterBy.since, orderBy, cursors', async () => {
    const q = `query($after: String, $since: DateTime) { ${APP} {
      issues(first: 1, after: $after, filterBy: {since: $since}, orderBy: {field: CREATED_AT, direction: DESC}) {
        totalCount pageInfo { hasNextPage endCursor } edges { cursor node { number } } } } }`
    const numbers: number[] = []
    let after: string | null = null
    for (;;) {
      const d: AnyJson = await gqlData(sim, q, { after })
      const c = d.repository.issues
      expect(c.totalCount).toBe(2)
      expect(c.edges.at(-1).cursor).toBe(c.pageInfo.endCursor)
      numbers.push(...c.edges.map((e: AnyJson) => e.node.number))
      if (!c.pageInfo.hasNextPage) break
      after = c.pageInfo.endCursor
    }
    expect(numbers).toEqual([3, 1])
    const late = await gqlData(sim, q, { since: '2025-01-01T00:09:00Z' })
    expect(late.repository.issues.totalCount).toBe(1)
    const d = await gqlData(
      sim,
      `{ ${APP} { open: issues(states: OPEN, first: 5) { nodes { number } }
        merged: pullRequests(states: [MERGED], first: 5) { totalCount nodes { number } }
        open2: pullRequests(states: OPEN, first: 5) { totalCount } } }`
    )
    expect(d.repository).toEqual({
      open: { nodes: [{ number: 3 }] },
      merged: { totalCount: 1, nodes: [{ number: 2 }] },
      open2: { totalCount: 0 }
    })
  })

  it('comments ordered by updatedAt show the edited one last (ASC) with lastEditedAt', async () => {
    const d = await gqlData(
      sim,
      `{ ${APP} { issue(number: 1) { comments(first: 5, orderBy: {field: UPDATED_AT, direction: ASC}) {
        nodes { databaseId body lastEditedAt updatedAt createdAt } } } } }`
    )
    const nodes = d.repository.issue.comments.nodes
    expect(nodes.at(-1)).toMatchObject({ databaseId: edited, body: 'first, edited' })
    expect(nodes.at(-1).lastEditedAt).toBe(nodes.at(-1).updatedAt)
    expect(nodes[0].lastEditedAt).toBeNull()
  })

  it('reactions and reactionGroups match the REST rollups; Reaction.user is null for a bot, reactors list it', async () => {
    const restIssue = (await get(sim, '/repos/acme/app/issues/1')).json
    const d = await gqlData(
      sim,
      `{ ${APP} { issue(number: 1) {
        reactions(first: 10) { totalCount nodes { content user { login } } }
        reactionGroups { content reactors(first: 5) { totalCount } }
        comments(first: 1) { nodes { reactions(first: 10, content: THUMBS_UP) { totalCount nodes { user { login } } }
          reactionGroups { content reactors(first: 5) { totalCount nodes { __typename ... on Bot { login } ... on User { login } } } } } } } } }`
    )
    const issue = d.repository.issue
    expect(issue.reactions).toEqual({ totalCount: 1, nodes: [{ content: 'HEART', user: { login: 'dev-2' } }] })
    expect(restIssue.reactions.heart).toBe(1)
    expect(issue.reactionGroups.map((g: AnyJson) => g.content)).toEqual([
      'THUMBS_UP',
      'THUMBS_DOWN',
      'LAUGH',
      'HOORAY',
      'CONFUSED',
      'HEART',
      'ROCKET',
      'EYES'
    ])
    expect(issue.reactionGroups.find((g: AnyJson) => g.content === 'HEART').reactors.totalCount).toBe(1)
    const c = issue.comments.nodes[0]
    expect(c.reactions).toEqual({ totalCount: 2, nodes: [{ user: { login: 'dev-1' } }, { user: null }] })
    expect(c.reactionGroups[0].reactors).toEqual({
      totalCount: 2,
      nodes: [
        { __typename: 'User', login: 'dev-1' },
        { __typename: 'Bot', login: 'dependabot' }
      ]
    })
    expect(c.reactionGroups.find((g: AnyJson) => g.content === 'EYES').reactors.totalCount).toBe(1)
  })
})

describe('node lookups', () => {
  it('node(id) and nodes(ids) resolve REST node_ids of every kind; a missing id is null with NOT_FOUND', async () => {
    const issue = (await get(sim, '/repos/acme/app/issues/1')).json
    const pr = (await get(sim, '/repos/acme/app/issues/2')).json
    const timeline = (await get(sim, '/repos/acme/app/issues/1/timeline')).json
    const comment = timeline.find((t: AnyJson) => t.id === botComment)
    const closed = (await get(sim, '/repos/acme/app/issues/1/events')).json[0]
    const review = (await get(sim, '/repos/acme/app/pulls/2/reviews')).json[0]
    const repo = (await get(sim, '/repos/acme/app')).json
    const ids = [
      issue.node_id,
      pr.node_id,
      comment.node_id,
      review.node_id,
      closed.node_id,
      comment.user.node_id,
      issue.user.node_id,
      repo.node_id,
      repo.owner.node_id,
      'I_kwDOnope'
    ]
    const r = await gql(
      sim,
      `query($ids: [ID!]!) { nodes(ids: $ids) { __typename id } one: node(id: "${issue.node_id}") { ... on Issue { number } } }`,
      { ids }
    )
    expect(r.data.nodes.map((n: AnyJson) => n?.__typename ?? null)).toEqual([
      'Issue',
      'PullRequest',
      'IssueComment',
      'PullRequestReview',
      'ClosedEvent',
      'Bot',
      'User',
      'Repository',
      'Organization',
      null
    ])
    expect(r.data.nodes.slice(0, 9).map((n: AnyJson) => n.id)).toEqual(ids.slice(0, 9))
    expect(r.data.one).toEqual({ number: 1 })
    expect(r.errors).toEqual([
      expect.objectContaining({
        type: 'NOT_FOUND',
        path: ['nodes', 9],
        message: "Could not resolve to a node with the global id of 'I_kwDOnope'"
      })
    ])
    const gt = sim.mintToken('github_token', { repos: ['docs'] })
    const hidden = await gql(sim, `{ node(id: "${issue.node_id}") { id } }`, {}, gt)
    expect(hidden.data.node).toBeNull()
  })
})

describe('search', () => {
  it('runs the REST qualifiers, sort:created-asc, counts, and cursors', async () => {
    const q = `query($q: String!, $after: String) { search(query: $q, type: ISSUE, first: 1, after: $after) {
      issueCount pageInfo { hasNextPage endCursor } nodes { ... on Issue { number } ... on PullRequest { number } } } }`
    const seen: number[] = []
    let after: string | null = null
    for (;;) {
      const d: AnyJson = await gqlData(sim, q, { q: 'repo:acme/app sort:created-asc', after })
      expect(d.search.issueCount).toBe(3)
      seen.push(...d.search.nodes.map((n: AnyJson) => n.number))
      if (!d.search.pageInfo.hasNextPage) break
      after = d.search.pageInfo.endCursor
    }
    expect(seen).toEqual([1, 2, 3])
    const rest = (await get(sim, '/search/issues?q=repo:acme/app+is:issue+is:open')).json
    const d = await gqlData(
      sim,
      `{ search(query: "repo:acme/app is:issue is:open", type: ISSUE, first: 10) { issueCount } }`
    )
    expect(d.search.issueCount).toBe(rest.total_count)
    const users = await gqlData(
      sim,
      `{ search(query: "dev", type: USER, first: 10) { userCount nodes { __typename } } }`
    )
    expect(users.search).toEqual({ userCount: 0, nodes: [] })
    const bad = await gql(
      sim,
      `{ search(query: "repo:acme/app frobnicate:yes", type: ISSUE, first: 1) { issueCount } }`
    )
    expect(bad.data).toBeNull()
    expect(bad.errors?.[0].message).toMatch(/frobnicate/)
  })

  it('lags like REST search with config.searchLagMs', async () => {
    sim.world.config.searchLagMs = 600_000
    try {
      sim.world.openIssue('docs', { title: 'Late' })
      const q = `{ search(query: "repo:acme/docs", type: ISSUE, first: 5) { issueCount } }`
      expect((await gqlData(sim, q)).search.issueCount).toBe(0)
      sim.world.advance({ minutes: 10 })
      expect((await gqlData(sim, q)).search.issueCount).toBe(1)
    } finally {
      sim.world.config.searchLagMs = 0
    }
  })
})

describe('errors and transport', () => {
  it('a null for a non-null field is an error and nulls the nearest nullable parent', async () => {
    // viewerCanUpdate (Boolean!) is not simulated, so its resolver yields null.
    const r = await gql(sim, `{ ${APP} { issue(number: 1) { title viewerCanUpdate } } }`)
    expect(r.data).toEqual({ repository: { issue: null } })
    expect(r.errors).toEqual([
      expect.objectContaining({
        path: ['repository', 'issue', 'viewerCanUpdate'],
        message: 'Cannot return null for non-nullable field Issue.viewerCanUpdate.'
      })
    ])
  })

  it('the tests’ schema check is not vacuous: it rejects nulls for non-null fields, wrong scalars and enums, stray keys', () => {
    const q = `{ ${APP} { issue(number: 1) { number title state author { login } } } }`
    const good = { repository: { issue: { number: 1, title: 'x', state: 'OPEN', author: null } } }
    expect(() => expectMatchesSchema(q, good)).not.toThrow()
    for (const bad of [
      { repository: { issue: { number: 1, title: null, state: 'OPEN', author: null } } },
      { repository: { issue: { number: '1', title: 'x', state: 'OPEN', author: null } } },
      { repository: { issue: { number: 1, title: 'x', state: 'MERGED', author: null } } },
      { repository: { issue: { number: 1, title: 'x', state: 'OPEN', author: null, extra: 1 } } },
      { repository: { issue: { number: 1, title: 'x', state: 'OPEN' } } }
    ])
      expect(() => expectMatchesSchema(q, bad)).toThrow()
  })

  it('validation errors: HTTP 200, `errors` only, graphql-ruby wording for an unknown field', async () => {
    const r = await gql(sim, `{ ${APP} { nope } }`)
    expect(r.status).toBe(200)
    expect(r.body).toEqual({
      errors: [
        {
          locations: [{ line: 1, column: 44 }],
          extensions: { code: 'undefinedField', typeName: 'Repository', fieldName: 'nope' },
          message: "Field 'nope' doesn't exist on type 'Repository'"
        }
      ]
    })
    const syntax = await gql(sim, `{ viewer { login }`)
    expect(syntax.body.errors[0].message).toMatch(/Syntax Error/)
  })

  it('needs a token (401), a POST (404), JSON (400) and a query string', async () => {
    const anon = await fetch(`${sim.url}/graphql`, { method: 'POST', body: '{"query":"{ viewer { login } }"}' })
    expect(anon.status).toBe(401)
    expect(((await anon.json()) as AnyJson).message).toBe('This endpoint requires you to be authenticated.')
    expect((await fetch(`${sim.url}/graphql`, { headers: { authorization: 'bearer t' } })).status).toBe(404)
    const post = (body: string) =>
      fetch(`${sim.url}/graphql`, { method: 'POST', headers: { authorization: 'bearer t' }, body })
    const bad = await post('{not json')
    expect(bad.status).toBe(400)
    expect(((await bad.json()) as AnyJson).message).toBe('Problems parsing JSON')
    expect(await (await post('{}')).json()).toEqual({
      errors: [{ message: 'A query attribute must be specified and must be a string.' }]
    })
  })

  it('works with the Octokit GraphQL client the action uses', async () => {
    const o = getOctokit('t', { baseUrl: sim.url })
    const d = await o.graphql<{ repository: { issue: { title: string } } }>(
      `query($n: Int!) { ${APP} { issue(number: $n) { title } } }`,
      { n: 1 }
    )
    expect(d.repository.issue.title).toBe('Bug')
    await expect(o.graphql(`{ ${APP} { issue(number: 2) { title } } }`)).rejects.toMatchObject({
      name: 'GraphqlResponseError',
      errors: [expect.objectContaining({ type: 'NOT_FOUND' })]
    })
  })
})
