import type { EventRow } from '../model/event.js'
import type { Repo } from '../model/repo.js'
import type { UserJson } from '../model/user.js'
import type { GraphqlTimelineItem } from './graphql-timeline.js'
import { restUser } from './graphql-user.js'
import { derivedEventId, nodeEventId } from './map-event.js'

/** GraphQL timeline types whose REST event name is not the snake_case of the type (less `Event`). */
const EVENT_NAMES: Readonly<Record<string, string>> = {
  IssueComment: 'commented',
  PullRequestReview: 'reviewed',
  PullRequestCommit: 'committed',
  CrossReferencedEvent: 'cross-referenced',
  RenamedTitleEvent: 'renamed'
}

/** Containers of review and commit comments (REST `line-commented`, `commit-commented`), and markers: not stored. */
const SKIPPED_TYPES: ReadonlySet<string> = new Set([
  'PullRequestReviewThread',
  'PullRequestCommitCommentThread',
  'PullRequestRevisionMarker'
])

/** The REST timeline's `event` for a GraphQL timeline type: `ReadyForReviewEvent` → `ready_for_review`. */
export function restEventName(typename: string): string {
  const known = EVENT_NAMES[typename]
  if (known) return known
  return typename
    .replace(/Event$/, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
}

/**
 * Maps one GraphQL timeline item to the `events` row the REST timeline's
 * item of the same event gives (mapTimelineItem), column for column, so
 * which API read a timeline never shows in the table:
 * - keys as eventKey(): comments and reviews by `databaseId` (their REST
 *   id), commits by the sha, cross-references by the source's node id and
 *   time, every other event by its node id;
 * - users as REST's simple-user (restUser), a deleted account as `ghost`;
 * - reviews at `submittedAt`, with REST's `updated_at` (the same instant);
 * - `node_id`: REST's (the commit's for `committed`; none for
 *   cross-references, which REST renders without one);
 * - `reactions` of comments are not read here (a reaction count per
 *   timeline item would multiply the query's price by 100): a stored row
 *   keeps its counts, and a new comment starts with null (unknown) until
 *   reactionRollup() fills them from a reactions read.
 * Returns undefined for the kinds that are not stored.
 */
export function mapGraphqlTimelineItem(
  item: GraphqlTimelineItem,
  issueId: number,
  repo: Repo,
  apiUrl: string
): EventRow | undefined {
  if (SKIPPED_TYPES.has(item.__typename)) return undefined
  const event = restEventName(item.__typename)
  const base = {
    issue_id: issueId,
    repo_id: repo.id,
    org: repo.org,
    repo: repo.name,
    event,
    body: null as string | null,
    label: null as Record<string, unknown> | null,
    reactions: null as Record<string, unknown> | null,
    state: null as string | null,
    author_association: null as string | null
  }
  const user = (actor: GraphqlTimelineItem['actor']): { user: UserJson; username: string } => {
    const u = restUser(actor, apiUrl)
    return { user: u, username: u.login }
  }
  switch (item.__typename) {
    case 'IssueComment': {
      if (item.databaseId == null) return undefined
      return {
        ...base,
        id: String(item.databaseId),
        body: item.body ?? null,
        reactions: null,
        created_at: item.createdAt ?? null,
        updated_at: item.updatedAt ?? item.createdAt ?? null,
        node_id: item.id ?? null,
        author_association: item.authorAssociation ?? null,
        ...user(item.author)
      }
    }
    case 'PullRequestReview': {
      if (item.databaseId == null) return undefined
      const at = item.submittedAt ?? item.createdAt ?? null
      return {
        ...base,
        id: String(item.databaseId),
        body: item.body ?? null,
        state: item.state ?? null,
        created_at: at,
        updated_at: at,
        node_id: item.id ?? null,
        author_association: item.authorAssociation ?? null,
        ...user(item.author)
      }
    }
    case 'PullRequestCommit': {
      const commit = item.commit
      if (!commit) return undefined
      const at = commit.author?.date ?? commit.committer?.date ?? null
      return {
        ...base,
        id: derivedEventId('committed', `sha:${commit.oid}`),
        body: commit.message,
        created_at: at,
        updated_at: at,
        node_id: commit.id,
        user: null,
        username: null
      }
    }
    case 'CrossReferencedEvent': {
      const from = item.source?.id ? `node:${item.source.id}` : `url:${item.source?.url ?? ''}`
      return {
        ...base,
        id: derivedEventId('cross-referenced', `${from}@${item.createdAt ?? ''}`),
        created_at: item.createdAt ?? null,
        updated_at: item.createdAt ?? null,
        node_id: null,
        ...user(item.actor)
      }
    }
    default: {
      if (!item.id) return undefined
      return {
        ...base,
        id: nodeEventId(item.id),
        label: item.__typename === 'LabeledEvent' || item.__typename === 'UnlabeledEvent' ? (item.label ?? null) : null,
        created_at: item.createdAt ?? null,
        updated_at: item.createdAt ?? null,
        node_id: item.id,
        ...user(item.actor)
      }
    }
  }
}

/**
 * A comment's reaction rollup as the REST API renders it (the `reactions`
 * column of a `commented` row), from counts by rollup key.
 */
export function reactionRollup(
  apiUrl: string,
  repo: { org: string; name: string },
  commentId: number | string,
  counts: Readonly<Record<string, number>>
): Record<string, unknown> {
  const keys = ['+1', '-1', 'laugh', 'hooray', 'confused', 'heart', 'rocket', 'eyes']
  const out: Record<string, unknown> = {
    url: `${apiUrl}/repos/${repo.org}/${repo.name}/issues/comments/${commentId}/reactions`,
    total_count: keys.reduce((n, k) => n + (counts[k] ?? 0), 0)
  }
  for (const k of keys) out[k] = counts[k] ?? 0
  return out
}
