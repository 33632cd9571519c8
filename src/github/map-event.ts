import { createHash } from 'node:crypto'
import type { EventRow } from '../model/event.js'
import type { Repo } from '../model/repo.js'
import type { TimelineItem } from './types.js'
import { loginOf, userOrGhost } from './users.js'

/**
 * Timeline items that are containers of other records rather than events:
 * `line-commented` holds pull-request review comments and `commit-commented`
 * commit comments, with no id or time of their own. Everything else is kept.
 */
export const SKIPPED_EVENTS: ReadonlySet<string> = new Set(['line-commented', 'commit-commented'])

/**
 * Maps one timeline item to an `events` row, or undefined for the kinds
 * that are not stored (SKIPPED_EVENTS, or an item with no event name).
 */
export function mapTimelineItem(item: TimelineItem, issueId: number, repo: Repo): EventRow | undefined {
  const event = item.event
  if (typeof event !== 'string' || event === '' || SKIPPED_EVENTS.has(event)) return undefined

  const base = {
    id: eventKey(event, item),
    issue_id: issueId,
    repo_id: repo.id,
    org: repo.org,
    repo: repo.name,
    event,
    body: null as string | null,
    label: null as Record<string, unknown> | null,
    reactions: null as Record<string, unknown> | null,
    state: null as string | null,
    node_id: item.node_id ?? null,
    author_association: item.author_association ?? null
  }

  switch (event) {
    case 'commented': {
      // The timeline gives a comment both `actor` and `user`; either may be
      // GitHub's ghost. The seed stored the actor.
      const user = userOrGhost(item.actor ?? item.user)
      return {
        ...base,
        body: item.body ?? null,
        reactions: item.reactions ?? null,
        created_at: item.created_at ?? null,
        updated_at: item.updated_at ?? item.created_at ?? null,
        user,
        username: loginOf(user)
      }
    }
    case 'reviewed': {
      // Reviews name their author `user` and their time `submitted_at`
      // (absent while pending); the seed stored them as actor and created_at.
      const user = userOrGhost(item.user ?? item.actor)
      const at = item.submitted_at ?? item.created_at ?? null
      return {
        ...base,
        body: item.body ?? null,
        state: item.state ?? null,
        created_at: at,
        updated_at: item.updated_at ?? at,
        user,
        username: loginOf(user)
      }
    }
    case 'committed': {
      // A git commit names its author by name and email, not by a GitHub
      // account, so there is no user to compare with members.login.
      const at = item.author?.date ?? item.committer?.date ?? null
      return {
        ...base,
        body: item.message ?? null,
        created_at: at,
        updated_at: at,
        user: null,
        username: null
      }
    }
    default: {
      const user = userOrGhost(item.actor)
      const at = item.created_at ?? null
      return {
        ...base,
        label: event === 'labeled' || event === 'unlabeled' ? (item.label ?? null) : null,
        reactions: item.reactions ?? null,
        created_at: at,
        updated_at: item.updated_at ?? at,
        user,
        username: loginOf(user)
      }
    }
  }
}

/** Kinds whose REST `id` GitHub's GraphQL API also gives (`databaseId`): the key is that id. */
export const DATABASE_ID_EVENTS: ReadonlySet<string> = new Set(['commented', 'reviewed'])

/**
 * The `events.id` of a timeline item, the same whichever API read it, so a
 * REST walk and a GraphQL sync never store one event twice:
 * - comments and reviews: GitHub's id (REST `id` = GraphQL `databaseId`);
 * - commits: derived from the sha (REST `sha` = GraphQL `commit.oid`);
 * - cross-references (no id or node id in REST): derived from the source's
 *   node id (REST `source.issue.node_id` = GraphQL `source.id`) and the time;
 * - every other event: derived from its node id (REST `node_id` = GraphQL
 *   `id`; GraphQL gives these events no numeric id).
 */
export function eventKey(event: string, item: TimelineItem): string {
  if (DATABASE_ID_EVENTS.has(event) && item.id != null) return String(item.id)
  if (event === 'committed' && item.sha) return derivedEventId(event, `sha:${item.sha}`)
  if (event === 'cross-referenced') return derivedEventId(event, crossReferenceKey(item))
  if (item.node_id) return nodeEventId(item.node_id)
  if (item.id != null) return String(item.id)
  return derivedEventId(event, `${item.created_at ?? ''}:${item.actor?.login ?? ''}`)
}

/** What tells one cross-reference apart: where it comes from, and when. */
function crossReferenceKey(item: TimelineItem): string {
  const source = item.source?.issue
  const from = source?.node_id
    ? `node:${source.node_id}`
    : source?.id != null
      ? `issue:${source.id}`
      : `url:${source?.html_url ?? source?.url ?? ''}`
  return `${from}@${item.created_at ?? ''}`
}

/**
 * The key of an event that has only a node id: SHA-256 of `node:` and the
 * node id, the first 62 bits, negated and less one — so it lies in
 * [-2^62, -1], apart from GitHub's (positive) ids. Migration 0006's SQL
 * function event_key_from_node() computes the same number.
 */
export function nodeEventId(nodeId: string): string {
  const digest = createHash('sha256').update(`node:${nodeId}`).digest()
  const bits = digest.readBigUInt64BE(0) & ((1n << 62n) - 1n)
  return String(-(bits + 1n))
}

/**
 * A stable id for a timeline item GitHub gives none (`committed`,
 * `cross-referenced`): SHA-1 of the kind and what identifies the item, cut
 * to 62 bits and negated, so it lies in [-2^62, -1] where no GitHub id
 * (always positive) can collide. The issue id is not hashed: the primary key
 * is (id, issue_id) already, and a transferred issue keeps the same key for
 * the same commit.
 */
export function derivedEventId(event: string, key: string): string {
  const digest = createHash('sha1').update(`${event}\u0000${key}`).digest()
  const bits = digest.readBigUInt64BE(0) & ((1n << 62n) - 1n)
  return String(-(bits + 1n))
}

/** Maps a page of timeline items, dropping the kinds not stored and repeated keys (the last wins). */
export function mapTimelinePage(items: readonly TimelineItem[], issueId: number, repo: Repo): EventRow[] {
  const byId = new Map<string, EventRow>()
  for (const item of items) {
    const row = mapTimelineItem(item, issueId, repo)
    if (row) byId.set(row.id, row)
  }
  return [...byId.values()]
}
