import type { Octokit } from './client.js'
import { graphqlQuery, RATE_LIMIT_FIELDS } from './graphql.js'
import type { GraphqlActor } from './graphql-user.js'
import type { RequestMeter } from './meter.js'

/** A repository as the snapshot selects it. */
export interface GraphqlRepo {
  id: string
  databaseId: number
  name: string
  nameWithOwner: string
  isPrivate: boolean
  isArchived: boolean
  url: string
  createdAt: string | null
  pushedAt: string | null
  owner: { login: string }
  hasIssuesEnabled?: boolean
}

/** A pull request's status as the snapshot selects it. */
export interface GraphqlPullStatus {
  number: number
  updatedAt: string
  state: 'OPEN' | 'CLOSED' | 'MERGED'
  merged: boolean
  mergedAt: string | null
  isDraft: boolean
  closedAt: string | null
}

/** What the snapshot says of one repository. */
export interface RepoSnapshot {
  /** Issues (not pull requests) updated since the `since` asked, oldest first, at most 100. */
  changed?: { totalCount: number; nodes: { databaseId: number; number: number; updatedAt: string }[] }
  /** The 100 most recently updated pull requests. */
  pulls?: GraphqlPullStatus[]
  /** Ids of every open issue (pull requests excluded), all pages read. */
  open?: number[]
}

/** One repository the snapshot looks into, by node id. */
export interface SnapshotRepoAsk {
  nodeId: string
  /** Issues updated since (the consistency listing); omit to skip it. */
  since?: Date
  /** The open issues' ids (the transfers task's daily check). */
  open?: boolean
}

export interface OrgSnapshotAsk {
  org: string
  repos: readonly SnapshotRepoAsk[]
  /** The organisation's members (every page). */
  members: boolean
  /** Only the members are wanted: if the token may not read them, ask nothing more. */
  membersOnly?: boolean
}

export interface OrgSnapshot {
  /** Every repository of the organisation (all pages), newest first. */
  repositories: GraphqlRepo[]
  /** Every member, when asked. */
  members?: GraphqlActor[]
  /** By repository node id. */
  repos: Map<string, RepoSnapshot>
  /** Node ids that no longer resolve (deleted, or no longer readable). */
  missing: Set<string>
  /** When the query was answered (the consistency listing is as of then). */
  at: Date
  /** Why the members could not be read (the token lacks Members: read), when asked. */
  membersError?: string
}

const PAGE = 100
const REPO_FIELDS =
  'id databaseId name nameWithOwner isPrivate isArchived url createdAt pushedAt owner { login } hasIssuesEnabled'
const MEMBER_FIELDS = '__typename login id databaseId avatarUrl url isSiteAdmin'
const PULL_FIELDS = 'number updatedAt state merged mergedAt isDraft closedAt'

/**
 * The one query a scheduled run with a rotating token makes for the org:
 * its repositories, its members, and for each selected repository the issues
 * updated since its cursor and its 100 latest-updated pull requests (a
 * listing that, unlike search, never lags), and on the transfers task's
 * daily turn its open issues' ids. Every connection is one request at most
 * 100 nodes, so with R repositories it costs (2 + 3R) ÷ 100 points,
 * rounded, at least 1: 1 point up to 49 repositories.
 */
export function orgSnapshotQuery(ask: OrgSnapshotAsk): { query: string; variables: Record<string, unknown> } {
  const vars: string[] = ['$org: String!']
  const variables: Record<string, unknown> = { org: ask.org }
  const repos = ask.repos.map((r, k) => {
    vars.push(`$r${k}: ID!`)
    variables[`r${k}`] = r.nodeId
    const parts: string[] = ['databaseId']
    if (r.since) {
      vars.push(`$s${k}: DateTime`)
      variables[`s${k}`] = r.since.toISOString()
      parts.push(
        `changed: issues(first: ${PAGE}, filterBy: { since: $s${k} }, orderBy: { field: UPDATED_AT, direction: ASC }) { totalCount nodes { databaseId number updatedAt } }`,
        `pulls: pullRequests(first: ${PAGE}, orderBy: { field: UPDATED_AT, direction: DESC }) { nodes { ${PULL_FIELDS} } }`
      )
    }
    if (r.open) {
      parts.push(
        `open: issues(first: ${PAGE}, states: OPEN, orderBy: { field: CREATED_AT, direction: ASC }) { totalCount pageInfo { hasNextPage endCursor } nodes { databaseId } }`
      )
    }
    return `r${k}: node(id: $r${k}) { __typename ... on Repository { ${parts.join(' ')} } }`
  })
  const members = ask.members
    ? `membersWithRole(first: ${PAGE}) { totalCount pageInfo { hasNextPage endCursor } nodes { ${MEMBER_FIELDS} } }`
    : ''
  const query = `query(${vars.join(', ')}) {
  ${RATE_LIMIT_FIELDS}
  owner: repositoryOwner(login: $org) { __typename }
  organization(login: $org) {
    repositories(first: ${PAGE}, orderBy: { field: CREATED_AT, direction: DESC }) { totalCount pageInfo { hasNextPage endCursor } nodes { ${REPO_FIELDS} } }
    ${members}
  }
  ${repos.join('\n  ')}
}`
  return { query, variables }
}

/** Later pages of the org's repositories or members. */
export const ORG_PAGE_QUERY = `query($org: String!, $repos: String, $members: String, $wantRepos: Boolean!, $wantMembers: Boolean!) {
  ${RATE_LIMIT_FIELDS}
  organization(login: $org) {
    repositories(first: ${PAGE}, after: $repos, orderBy: { field: CREATED_AT, direction: DESC }) @include(if: $wantRepos) { pageInfo { hasNextPage endCursor } nodes { ${REPO_FIELDS} } }
    membersWithRole(first: ${PAGE}, after: $members) @include(if: $wantMembers) { pageInfo { hasNextPage endCursor } nodes { ${MEMBER_FIELDS} } }
  }
}`

/** Later pages of repositories' open issues (one aliased node each). */
export function openPagesQuery(count: number): string {
  const vars = Array.from({ length: count }, (_, k) => `$r${k}: ID!, $a${k}: String!`).join(', ')
  const fields = Array.from(
    { length: count },
    (_, k) =>
      `r${k}: node(id: $r${k}) { __typename ... on Repository { open: issues(first: ${PAGE}, after: $a${k}, states: OPEN, orderBy: { field: CREATED_AT, direction: ASC }) { pageInfo { hasNextPage endCursor } nodes { databaseId } } } }`
  ).join('\n  ')
  return `query(${vars}) {
  ${RATE_LIMIT_FIELDS}
  ${fields}
}`
}

interface Page<T> {
  totalCount?: number
  pageInfo?: { hasNextPage: boolean; endCursor: string | null }
  nodes: (T | null)[]
}

interface RepoNode {
  __typename: string
  databaseId?: number
  changed?: { totalCount: number; nodes: ({ databaseId: number; number: number; updatedAt: string } | null)[] }
  pulls?: Page<GraphqlPullStatus>
  open?: Page<{ databaseId: number }>
}

/** `organization(login)` is not found: the login is a user account ('User'), or nothing the token can see ('none'). */
export class OrganizationNotFound extends Error {
  constructor(
    readonly login: string,
    readonly account: 'User' | 'none'
  ) {
    super(
      account === 'User'
        ? `'${login}' is a user account, not an organisation.`
        : `GraphQL: organization '${login}' not found, or the token cannot see it.`
    )
    this.name = 'OrganizationNotFound'
  }
}

/** Repositories by node id (no connection: 1 point for up to 100). */
export const REPOSITORY_NODES_QUERY = `query($ids: [ID!]!) {
  ${RATE_LIMIT_FIELDS}
  nodes(ids: $ids) { __typename ... on Repository { ${REPO_FIELDS} } }
}`

/**
 * Looks repositories up by node id, 100 a query: the repository as it is
 * now (renamed, transferred to another owner), or null when the id no longer
 * resolves (deleted, or not readable by the token).
 */
export async function repositoriesByNodeId(
  octokit: Octokit,
  meter: RequestMeter,
  ids: readonly string[]
): Promise<Map<string, GraphqlRepo | null>> {
  const out = new Map<string, GraphqlRepo | null>()
  for (let k = 0; k < ids.length; k += PAGE) {
    const batch = ids.slice(k, k + PAGE)
    const page = await graphqlQuery<{ nodes: ((GraphqlRepo & { __typename: string }) | null)[] }>(
      octokit,
      meter,
      REPOSITORY_NODES_QUERY,
      { ids: batch }
    )
    batch.forEach((id, n) => {
      const node = page.data.nodes[n]
      out.set(id, node && node.__typename === 'Repository' ? node : null)
    })
  }
  return out
}

/** Runs the snapshot query and every follow-up page it needs. */
export async function fetchOrgSnapshot(
  octokit: Octokit,
  meter: RequestMeter,
  ask: OrgSnapshotAsk,
  now: () => Date
): Promise<OrgSnapshot> {
  type First = {
    owner: { __typename: string } | null
    organization: { repositories: Page<GraphqlRepo>; membersWithRole?: Page<GraphqlActor> } | null
  } & Record<string, RepoNode | null>
  let { query, variables } = orgSnapshotQuery(ask)
  let first = await graphqlQuery<First>(octokit, meter, query, variables)
  let membersError: string | undefined
  const denied = [...first.forbidden].find(([path]) => path.startsWith('organization.membersWithRole'))
  if (!first.data.organization && ask.members && denied) {
    // The token may not read membership (members is non-null, so the whole
    // organization came back null): ask again without it, unless nothing else was wanted.
    membersError = denied[1]
    if (ask.membersOnly) {
      return { repositories: [], repos: new Map(), missing: new Set(), at: now(), membersError }
    }
    ask = { ...ask, members: false }
    ;({ query, variables } = orgSnapshotQuery(ask))
    first = await graphqlQuery<First>(octokit, meter, query, variables)
  }
  const org = first.data.organization
  if (!org) throw new OrganizationNotFound(ask.org, first.data.owner?.__typename === 'User' ? 'User' : 'none')
  const snapshot: OrgSnapshot = {
    repositories: compact(org.repositories.nodes),
    members: ask.members ? compact(org.membersWithRole?.nodes ?? []) : undefined,
    repos: new Map(),
    missing: new Set(),
    at: now(),
    ...(membersError ? { membersError } : {})
  }
  let reposAfter = next(org.repositories)
  let membersAfter = ask.members ? next(org.membersWithRole) : undefined
  while (reposAfter || membersAfter) {
    const page = await graphqlQuery<{
      organization: { repositories?: Page<GraphqlRepo>; membersWithRole?: Page<GraphqlActor> }
    }>(octokit, meter, ORG_PAGE_QUERY, {
      org: ask.org,
      repos: reposAfter ?? null,
      members: membersAfter ?? null,
      wantRepos: reposAfter !== undefined,
      wantMembers: membersAfter !== undefined
    })
    if (reposAfter) {
      snapshot.repositories.push(...compact(page.data.organization.repositories?.nodes ?? []))
      reposAfter = next(page.data.organization.repositories)
    }
    if (membersAfter) {
      snapshot.members?.push(...compact(page.data.organization.membersWithRole?.nodes ?? []))
      membersAfter = next(page.data.organization.membersWithRole)
    }
  }

  const openPending: { nodeId: string; after: string }[] = []
  ask.repos.forEach((r, k) => {
    const node = first.data[`r${k}`]
    if (!node || node.__typename !== 'Repository') {
      snapshot.missing.add(r.nodeId)
      return
    }
    const repo: RepoSnapshot = {}
    if (node.changed) repo.changed = { totalCount: node.changed.totalCount, nodes: compact(node.changed.nodes) }
    if (node.pulls) repo.pulls = compact(node.pulls.nodes)
    if (node.open) {
      repo.open = compact(node.open.nodes).map((n) => n.databaseId)
      const after = next(node.open)
      if (after) openPending.push({ nodeId: r.nodeId, after })
    }
    snapshot.repos.set(r.nodeId, repo)
  })
  while (openPending.length > 0) {
    const round = openPending.splice(0, PAGE)
    const vars: Record<string, string> = {}
    round.forEach((p, k) => {
      vars[`r${k}`] = p.nodeId
      vars[`a${k}`] = p.after
    })
    const page = await graphqlQuery<Record<string, RepoNode | null>>(octokit, meter, openPagesQuery(round.length), vars)
    round.forEach((p, k) => {
      const node = page.data[`r${k}`]
      const repo = snapshot.repos.get(p.nodeId)
      if (!node?.open || !repo?.open) return
      repo.open.push(...compact(node.open.nodes).map((n) => n.databaseId))
      const after = next(node.open)
      if (after) openPending.push({ nodeId: p.nodeId, after })
    })
  }
  return snapshot
}

function next(page: Page<unknown> | undefined): string | undefined {
  return page?.pageInfo?.hasNextPage && page.pageInfo.endCursor ? page.pageInfo.endCursor : undefined
}

function compact<T>(nodes: (T | null)[]): T[] {
  return nodes.filter((n): n is T => n !== null)
}

/** Later pages of several repositories' issues, ids only (one aliased node each, 100 a query: 1 point). */
export function issueIdPagesQuery(count: number): string {
  const vars = Array.from({ length: count }, (_, k) => `$r${k}: ID!, $a${k}: String`).join(', ')
  const fields = Array.from(
    { length: count },
    (_, k) =>
      `r${k}: node(id: $r${k}) { __typename ... on Repository { issues(first: ${PAGE}, after: $a${k}, orderBy: { field: CREATED_AT, direction: ASC }) { pageInfo { hasNextPage endCursor } nodes { databaseId } } } }`
  ).join('\n  ')
  return `query(${vars}) {
  ${RATE_LIMIT_FIELDS}
  ${fields}
}`
}

/**
 * The ids of every issue (pull requests excluded) of each repository, by
 * node id: `issues(first: 100)` pages, oldest first, 100 repositories a
 * query — so a query costs 1 point, and the whole listing as many points as
 * its longest repository has pages of 100 (plus one a round for more than
 * 100 repositories). A repository whose node no longer resolves maps to
 * null. `shouldStop` is checked before each query: then undefined (nothing
 * is known for certain).
 */
export async function fetchIssueIds(
  octokit: Octokit,
  meter: RequestMeter,
  repoNodeIds: readonly string[],
  shouldStop?: () => boolean
): Promise<Map<string, number[] | null> | undefined> {
  const out = new Map<string, number[] | null>()
  let pending: { nodeId: string; after: string | null }[] = repoNodeIds.map((nodeId) => ({ nodeId, after: null }))
  for (const p of pending) out.set(p.nodeId, [])
  while (pending.length > 0) {
    const later: typeof pending = []
    for (let k = 0; k < pending.length; k += PAGE) {
      if (shouldStop?.()) return undefined
      const round = pending.slice(k, k + PAGE)
      const vars: Record<string, string | null> = {}
      round.forEach((p, n) => {
        vars[`r${n}`] = p.nodeId
        vars[`a${n}`] = p.after
      })
      const page = await graphqlQuery<Record<string, RepoNode | null>>(
        octokit,
        meter,
        issueIdPagesQuery(round.length),
        vars
      )
      round.forEach((p, n) => {
        const node = page.data[`r${n}`] as (RepoNode & { issues?: Page<{ databaseId: number }> }) | null
        if (!node || node.__typename !== 'Repository' || !node.issues) {
          out.set(p.nodeId, null)
          return
        }
        out.get(p.nodeId)?.push(...compact(node.issues.nodes).map((i) => i.databaseId))
        const after = next(node.issues)
        if (after) later.push({ nodeId: p.nodeId, after })
      })
    }
    pending = later.filter((p) => out.get(p.nodeId) !== null)
  }
  return out
}
