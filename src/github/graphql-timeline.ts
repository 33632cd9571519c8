import type { Log } from '../log.js'
import type { Octokit } from './client.js'
import { graphqlQuery, RATE_LIMIT_FIELDS } from './graphql.js'
import { ACTOR_FIELDS, type GraphqlActor } from './graphql-user.js'
import type { RequestMeter } from './meter.js'
import { TIMELINE_MAX_PAGES } from './timeline.js'

/** GitHub's largest page of a connection. */
export const TIMELINE_PAGE = 100
/** Issues whose timelines one query reads: 100 `timelineItems(first: 100)` connections are 1 point. */
export const TIMELINES_PER_QUERY = 100

/**
 * Timeline item types selected with just `id createdAt actor` (the event
 * name is their `__typename`): every member of GitHub's IssueTimelineItems
 * and PullRequestTimelineItems unions with those fields, as in the published
 * schema (@octokit/graphql-schema; a test validates the query against it).
 * Types with more to store are selected apart below; review and commit
 * comment threads (REST `line-commented`, `commit-commented`) are not stored.
 */
const ISSUE_EVENT_TYPES = [
  'AddedToProjectEvent',
  'AssignedEvent',
  'ClosedEvent',
  'CommentDeletedEvent',
  'ConnectedEvent',
  'ConvertedNoteToIssueEvent',
  'ConvertedToDiscussionEvent',
  'DemilestonedEvent',
  'DisconnectedEvent',
  'LockedEvent',
  'MarkedAsDuplicateEvent',
  'MentionedEvent',
  'MilestonedEvent',
  'MovedColumnsInProjectEvent',
  'ParentIssueAddedEvent',
  'ParentIssueRemovedEvent',
  'PinnedEvent',
  'ReferencedEvent',
  'RemovedFromProjectEvent',
  'RenamedTitleEvent',
  'ReopenedEvent',
  'SubIssueAddedEvent',
  'SubIssueRemovedEvent',
  'SubscribedEvent',
  'TransferredEvent',
  'UnassignedEvent',
  'UnlockedEvent',
  'UnmarkedAsDuplicateEvent',
  'UnpinnedEvent',
  'UnsubscribedEvent',
  'UserBlockedEvent'
]
const PULL_ONLY_EVENT_TYPES = [
  'AddedToMergeQueueEvent',
  'AutoMergeDisabledEvent',
  'AutoMergeEnabledEvent',
  'AutoRebaseEnabledEvent',
  'AutoSquashEnabledEvent',
  'AutomaticBaseChangeFailedEvent',
  'AutomaticBaseChangeSucceededEvent',
  'BaseRefChangedEvent',
  'BaseRefDeletedEvent',
  'BaseRefForcePushedEvent',
  'ConvertToDraftEvent',
  'DeployedEvent',
  'DeploymentEnvironmentChangedEvent',
  'HeadRefDeletedEvent',
  'HeadRefForcePushedEvent',
  'HeadRefRestoredEvent',
  'MergedEvent',
  'ReadyForReviewEvent',
  'RemovedFromMergeQueueEvent',
  'ReviewDismissedEvent',
  'ReviewRequestRemovedEvent',
  'ReviewRequestedEvent'
]

const COMMON_ITEMS = `
  ... on IssueComment { id databaseId body createdAt updatedAt authorAssociation author { ...Actor } }
  ... on CrossReferencedEvent { id createdAt actor { ...Actor }
    source { __typename ... on Issue { id url } ... on PullRequest { id url } } }
  ... on LabeledEvent { id createdAt actor { ...Actor } label { name color } }
  ... on UnlabeledEvent { id createdAt actor { ...Actor } label { name color } }`

const events = (types: readonly string[]): string =>
  types.map((t) => `  ... on ${t} { id createdAt actor { ...Actor } }`).join('\n')

const ISSUE_ITEM = `fragment IssueItem on IssueTimelineItems { __typename ${COMMON_ITEMS}
${events(ISSUE_EVENT_TYPES)}
}`
const PULL_ITEM = `fragment PullItem on PullRequestTimelineItems { __typename ${COMMON_ITEMS}
  ... on PullRequestReview { id databaseId body state submittedAt createdAt authorAssociation author { ...Actor } }
  ... on PullRequestCommit { id commit { id oid message authoredDate author { date } committer { date } } }
${events([...ISSUE_EVENT_TYPES, ...PULL_ONLY_EVENT_TYPES])}
}`

/** The fragments a query uses (GraphQL rejects unused ones). */
function fragments(used: ReadonlySet<string>): string {
  return [
    `fragment Actor on Actor { ${ACTOR_FIELDS} }`,
    ...(used.has('IssueItem') ? [ISSUE_ITEM] : []),
    ...(used.has('PullItem') ? [PULL_ITEM] : [])
  ].join('\n')
}

const FRAGMENTS = fragments(new Set(['IssueItem', 'PullItem']))

const connection = (fragment: string, after: string): string =>
  `timelineItems(first: ${TIMELINE_PAGE}${after}) { totalCount pageInfo { hasNextPage endCursor } nodes { ...${fragment} } }`

/** Comments' reaction counts: one `reactions(first: 100)` connection each (1 point per 100 comments). */
const REACTIONS = `comments: nodes(ids: $comments) {
    __typename
    ... on IssueComment { id databaseId reactions(first: 100) { totalCount nodes { content } } }
  }`

/**
 * Reads the first page of the timelines of up to TIMELINES_PER_QUERY issues
 * and pull requests by node id, and the reaction counts of up to
 * REACTIONS_WITH_TIMELINES comments, in one query of 1 point: issues and pull
 * requests go in `nodes()` lists of their own, because a connection selected
 * under both `... on Issue` and `... on PullRequest` of one list is priced
 * for both (the simulator's costlier reading of GitHub's formula), and
 * 100 + 49 connection requests ÷ 100 rounds to 1.
 */
export const FIRST_PAGES_QUERY = `query($issues: [ID!]!, $pulls: [ID!]!, $comments: [ID!]!) {
  ${RATE_LIMIT_FIELDS}
  issues: nodes(ids: $issues) { __typename ... on Issue { id ${connection('IssueItem', '')} } }
  pulls: nodes(ids: $pulls) { __typename ... on PullRequest { id ${connection('PullItem', '')} } }
  ${REACTIONS}
}
${FRAGMENTS}`

/** Reaction counts of up to REACTIONS_PER_QUERY comments (1 point). */
export const REACTIONS_QUERY = `query($comments: [ID!]!) {
  ${RATE_LIMIT_FIELDS}
  ${REACTIONS}
}`

/** Comments whose reaction counts ride along with a full batch of timelines at no extra point. */
export const REACTIONS_WITH_TIMELINES = 49
/** Comments one query reads the reactions of when it reads no timeline. */
export const REACTIONS_PER_QUERY = 100

/** Reaction counts of comments beyond the first 100 reactions: per content, one connection per group. */
export const REACTION_GROUPS_QUERY = `query($comments: [ID!]!) {
  ${RATE_LIMIT_FIELDS}
  comments: nodes(ids: $comments) {
    __typename
    ... on IssueComment { id databaseId reactionGroups { content reactors(first: 1) { totalCount } } }
  }
}`

/** Reads the next page of several timelines at once (one aliased `node` each, with its type's fragment only). */
export function nextPagesQuery(pages: readonly { isPull: boolean }[]): string {
  const vars = pages.map((_, k) => `$id${k}: ID!, $after${k}: String!`).join(', ')
  const fields = pages
    .map((p, k) =>
      p.isPull
        ? `t${k}: node(id: $id${k}) { __typename ... on PullRequest { id ${connection('PullItem', `, after: $after${k}`)} } }`
        : `t${k}: node(id: $id${k}) { __typename ... on Issue { id ${connection('IssueItem', `, after: $after${k}`)} } }`
    )
    .join('\n  ')
  const used = new Set(pages.map((p) => (p.isPull ? 'PullItem' : 'IssueItem')))
  return `query(${vars}) {
  ${RATE_LIMIT_FIELDS}
  ${fields}
}
${fragments(used)}`
}

/** A timeline item as the queries above select it. */
export interface GraphqlTimelineItem {
  __typename: string
  id?: string
  databaseId?: number | null
  createdAt?: string
  updatedAt?: string
  submittedAt?: string | null
  body?: string
  state?: string
  authorAssociation?: string
  author?: GraphqlActor | null
  actor?: GraphqlActor | null
  label?: { name: string; color: string } | null
  source?: { __typename: string; id?: string; url?: string } | null
  commit?: {
    id: string
    oid: string
    message: string
    authoredDate?: string
    author?: { date?: string | null } | null
    committer?: { date?: string | null } | null
  } | null
}

interface TimelineConnection {
  totalCount: number
  pageInfo: { hasNextPage: boolean; endCursor: string | null }
  nodes: (GraphqlTimelineItem | null)[]
}

/** GraphQL's ReactionContent values, as the REST rollup names them. */
export const REACTION_KEYS: Readonly<Record<string, string>> = {
  THUMBS_UP: '+1',
  THUMBS_DOWN: '-1',
  LAUGH: 'laugh',
  HOORAY: 'hooray',
  CONFUSED: 'confused',
  HEART: 'heart',
  ROCKET: 'rocket',
  EYES: 'eyes'
}

/** A comment's reaction counts by REST rollup key, or `gone` when its node no longer resolves. */
export type CommentReactions = { databaseId: number; counts: Record<string, number> } | 'gone'

interface ReactionsNode {
  __typename: string
  id?: string
  databaseId?: number | null
  reactions?: { totalCount: number; nodes: ({ content: string } | null)[] }
  reactionGroups?: { content: string; reactors: { totalCount: number } }[] | null
}

interface TimelineNode {
  __typename: string
  id: string
  timelineItems: TimelineConnection
}

/** One issue's timeline as read, or why it could not be. */
export type FetchedTimeline =
  | {
      found: true
      items: GraphqlTimelineItem[]
      totalCount: number
      /** False when the page cap (or a stop) ended the walk before the last page. */
      complete: boolean
      /** True when `shouldStop` ended it: a later run reads it again. */
      stopped?: boolean
    }
  /** The node id no longer resolves (deleted, transferred away, or unreadable with this token). */
  | { found: false }

export interface TimelineFetchOptions {
  /** Node ids of comments whose reaction counts to read in the same query (at most REACTIONS_WITH_TIMELINES). */
  reactionsFor?: readonly string[]
  /** Most pages read per timeline; a longer timeline is stored up to here and reported incomplete. */
  maxPages?: number
  /** Checked before each follow-up query; true stops (what is read so far comes back incomplete). */
  shouldStop?: () => boolean
}

/**
 * The whole timelines of up to TIMELINES_PER_QUERY issues and pull
 * requests: one query for every first page (100 `timelineItems(first:
 * 100)` connections under `nodes(ids:)` cost 1 point), then one aliased
 * query per round of next pages for the timelines longer than a page.
 */
export async function fetchTimelines(
  octokit: Octokit,
  meter: RequestMeter,
  log: Log,
  items: readonly { nodeId: string; isPull: boolean }[],
  options: TimelineFetchOptions = {}
): Promise<{ timelines: Map<string, FetchedTimeline>; reactions: Map<string, CommentReactions> }> {
  const maxPages = options.maxPages ?? TIMELINE_MAX_PAGES
  const out = new Map<string, FetchedTimeline>()
  const commentIds = options.reactionsFor ?? []
  if (items.length === 0) {
    return { timelines: out, reactions: await fetchReactions(octokit, meter, commentIds) }
  }
  const issueIds = items.filter((i) => !i.isPull).map((i) => i.nodeId)
  const pullIds = items.filter((i) => i.isPull).map((i) => i.nodeId)
  const first = await graphqlQuery<{
    issues: (TimelineNode | null)[]
    pulls: (TimelineNode | null)[]
    comments: (ReactionsNode | null)[]
  }>(octokit, meter, FIRST_PAGES_QUERY, { issues: issueIds, pulls: pullIds, comments: commentIds })
  const reactions = await readReactions(octokit, meter, commentIds, first.data.comments)
  const pending: { nodeId: string; isPull: boolean; after: string; pages: number }[] = []
  const collected = new Map<string, GraphqlTimelineItem[]>()
  const firstPages: [string, boolean, TimelineNode | null][] = [
    ...issueIds.map((id, k): [string, boolean, TimelineNode | null] => [id, false, first.data.issues[k]]),
    ...pullIds.map((id, k): [string, boolean, TimelineNode | null] => [id, true, first.data.pulls[k]])
  ]
  firstPages.forEach(([nodeId, isPull, node]) => {
    if (!node || !node.timelineItems) {
      out.set(nodeId, { found: false })
      return
    }
    collected.set(nodeId, compact(node.timelineItems.nodes))
    out.set(nodeId, { found: true, items: [], totalCount: node.timelineItems.totalCount, complete: true })
    if (node.timelineItems.pageInfo.hasNextPage && node.timelineItems.pageInfo.endCursor) {
      pending.push({ nodeId, isPull, after: node.timelineItems.pageInfo.endCursor, pages: 1 })
    }
  })

  while (pending.length > 0) {
    const round = pending.splice(0, TIMELINES_PER_QUERY)
    const stopped = options.shouldStop?.() ?? false
    const capped = round.filter((p) => stopped || p.pages >= maxPages)
    for (const p of capped) {
      const known = out.get(p.nodeId)
      if (known?.found) {
        known.complete = false
        known.stopped = stopped
      }
      log.warning(
        stopped
          ? `timeline ${p.nodeId}: stopped after ${p.pages} page(s) (budget); the rest is read on a later run.`
          : `timeline ${p.nodeId}: longer than ${maxPages * TIMELINE_PAGE} items; stored up to there.`
      )
    }
    const go = round.filter((p) => !capped.includes(p))
    if (go.length === 0) continue
    const vars: Record<string, string> = {}
    go.forEach((p, k) => {
      vars[`id${k}`] = p.nodeId
      vars[`after${k}`] = p.after
    })
    const next = await graphqlQuery<Record<string, TimelineNode | null>>(octokit, meter, nextPagesQuery(go), vars)
    go.forEach((p, k) => {
      const node = next.data[`t${k}`]
      if (!node?.timelineItems) {
        out.set(p.nodeId, { found: false })
        return
      }
      collected.get(p.nodeId)?.push(...compact(node.timelineItems.nodes))
      const info = node.timelineItems.pageInfo
      if (info.hasNextPage && info.endCursor) pending.push({ ...p, after: info.endCursor, pages: p.pages + 1 })
    })
  }
  for (const [nodeId, fetched] of out) if (fetched.found) fetched.items = collected.get(nodeId) ?? []
  return { timelines: out, reactions }
}

/**
 * The reaction counts of comments by node id: `reactions(first: 100)` for
 * each (one connection each, so 100 comments cost 1 point), and for a
 * comment with more than 100 reactions, its per-content `reactionGroups`.
 */
export async function fetchReactions(
  octokit: Octokit,
  meter: RequestMeter,
  commentIds: readonly string[]
): Promise<Map<string, CommentReactions>> {
  const out = new Map<string, CommentReactions>()
  for (let k = 0; k < commentIds.length; k += REACTIONS_PER_QUERY) {
    const ids = commentIds.slice(k, k + REACTIONS_PER_QUERY)
    const page = await graphqlQuery<{ comments: (ReactionsNode | null)[] }>(octokit, meter, REACTIONS_QUERY, {
      comments: ids
    })
    for (const [id, r] of await readReactions(octokit, meter, ids, page.data.comments)) out.set(id, r)
  }
  return out
}

async function readReactions(
  octokit: Octokit,
  meter: RequestMeter,
  ids: readonly string[],
  nodes: readonly (ReactionsNode | null)[] | undefined
): Promise<Map<string, CommentReactions>> {
  const out = new Map<string, CommentReactions>()
  const many: string[] = []
  ids.forEach((id, k) => {
    const node = nodes?.[k]
    if (!node?.reactions || node.databaseId == null) {
      out.set(id, 'gone')
      return
    }
    if (node.reactions.totalCount > node.reactions.nodes.length) many.push(id)
    const counts = zeroCounts()
    for (const r of node.reactions.nodes) if (r && REACTION_KEYS[r.content]) counts[REACTION_KEYS[r.content]]++
    out.set(id, { databaseId: node.databaseId, counts })
  })
  if (many.length > 0) {
    const groups = await graphqlQuery<{ comments: (ReactionsNode | null)[] }>(octokit, meter, REACTION_GROUPS_QUERY, {
      comments: many
    })
    many.forEach((id, k) => {
      const node = groups.data.comments[k]
      if (!node?.reactionGroups || node.databaseId == null) return
      const counts = zeroCounts()
      for (const g of node.reactionGroups)
        if (REACTION_KEYS[g.content]) counts[REACTION_KEYS[g.content]] = g.reactors.totalCount
      out.set(id, { databaseId: node.databaseId, counts })
    })
  }
  return out
}

function zeroCounts(): Record<string, number> {
  return Object.fromEntries(Object.values(REACTION_KEYS).map((k) => [k, 0]))
}

function compact(nodes: (GraphqlTimelineItem | null)[]): GraphqlTimelineItem[] {
  return nodes.filter((n): n is GraphqlTimelineItem => n !== null)
}
