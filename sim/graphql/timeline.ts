// Timeline items as GraphQL types, one per REST timeline kind, in the REST
// timeline's order and with its ids: `id` is the REST item's `node_id`
// (comments IC_, reviews PRR_, events E_), `databaseId` the REST `id` of
// comments and reviews. Items REST renders without an id get their own
// global ids: CrossReferencedEvent CRE_, PullRequestCommit PURC_ (whose
// `commit.id` is the REST `committed` item's commit `node_id`, C_).
import type { IssueRec, Item, ItemKind, RepoRec } from '../model.js'
import { authorAssociation, iso, nodeId, sha } from '../render/common.js'
import { commentBody } from '../render/timeline.js'
import { actor, userOnly, type BotNode, type UserNode } from './actors.js'
import { connection, type ConnArgs, type Connection, type Cursors } from './connection.js'
import { HTML, type Args, type GqlCtx } from './context.js'
import { IssueNode, lockReason, stateReason } from './issue.js'
import { reactionGroups, reactions } from './reactions.js'
import { LabelNode, RepoNode } from './repository.js'

/** GraphQL type and `itemTypes` enum value of each REST timeline kind. */
export const TIMELINE_TYPES: Record<ItemKind, { type: string; item: string }> = {
  commented: { type: 'IssueComment', item: 'ISSUE_COMMENT' },
  reviewed: { type: 'PullRequestReview', item: 'PULL_REQUEST_REVIEW' },
  labeled: { type: 'LabeledEvent', item: 'LABELED_EVENT' },
  unlabeled: { type: 'UnlabeledEvent', item: 'UNLABELED_EVENT' },
  assigned: { type: 'AssignedEvent', item: 'ASSIGNED_EVENT' },
  unassigned: { type: 'UnassignedEvent', item: 'UNASSIGNED_EVENT' },
  closed: { type: 'ClosedEvent', item: 'CLOSED_EVENT' },
  reopened: { type: 'ReopenedEvent', item: 'REOPENED_EVENT' },
  merged: { type: 'MergedEvent', item: 'MERGED_EVENT' },
  renamed: { type: 'RenamedTitleEvent', item: 'RENAMED_TITLE_EVENT' },
  locked: { type: 'LockedEvent', item: 'LOCKED_EVENT' },
  unlocked: { type: 'UnlockedEvent', item: 'UNLOCKED_EVENT' },
  transferred: { type: 'TransferredEvent', item: 'TRANSFERRED_EVENT' },
  'cross-referenced': { type: 'CrossReferencedEvent', item: 'CROSS_REFERENCED_EVENT' },
  committed: { type: 'PullRequestCommit', item: 'PULL_REQUEST_COMMIT' },
  ready_for_review: { type: 'ReadyForReviewEvent', item: 'READY_FOR_REVIEW_EVENT' },
  convert_to_draft: { type: 'ConvertToDraftEvent', item: 'CONVERT_TO_DRAFT_EVENT' }
}

const enc = (s: string): string => Buffer.from(s).toString('base64')

/**
 * Timeline cursors name an item by id (ids are unique across kinds in the
 * world); a cursor on a since-deleted comment resumes after its time.
 */
export function timelineCursors(): Cursors<Item> {
  const parse = (c: string): { id: number; at: number } | null => {
    const m = /^cursor:v2:tl:(\d+):(-?\d+)$/.exec(Buffer.from(c, 'base64').toString())
    return m ? { id: Number(m[1]), at: Number(m[2]) } : null
  }
  const find = (items: Item[], c: string, after: boolean): number | null => {
    const p = parse(c)
    if (!p) return null
    const k = items.findIndex((t) => t.id === p.id)
    if (k >= 0) return after ? k + 1 : k
    const next = items.findIndex((t) => t.at > p.at)
    return next < 0 ? items.length : next
  }
  return {
    encode: (t) => enc(`cursor:v2:tl:${t.id}:${t.at}`),
    after: (items, c) => find(items, c, true),
    before: (items, c) => find(items, c, false)
  }
}

/**
 * `timelineItems(first, last, after, before, skip, since, itemTypes)`.
 * `since` keeps items created at or after it — whether GitHub also keeps
 * older items edited since is undocumented, so the simulator takes the
 * costlier reading: an edit to an old comment is not found through `since`.
 * `totalCount` counts the items after `since` and `itemTypes`;
 * `filteredCount` after `after`/`before` too; `pageCount` the page.
 */
export function timelineItems(c: GqlCtx, i: IssueRec, a: Args): TimelineConnection {
  const types = a.itemTypes as string[] | undefined
  const wanted = types?.length ? new Set(types) : null
  const since = typeof a.since === 'string' ? Date.parse(a.since) : null
  const items = i.timeline.filter(
    (t) =>
      (!wanted || wanted.has(TIMELINE_TYPES[t.kind].item)) &&
      (since === null || Math.floor(t.at / 1000) * 1000 >= since)
  )
  const conn = connection(items, a as ConnArgs, timelineCursors(), (t) => itemNode(t))
  return { ...conn, updatedAt: iso(Math.max(i.updatedAt, ...i.timeline.map((t) => t.updatedAt))) }
}
export type TimelineConnection = Connection<TimelineNode> & { updatedAt: string }
export type TimelineNode = CommentNode | ReviewNode | EventNode | PullRequestCommitNode

export function itemNode(t: Item): TimelineNode {
  if (t.kind === 'commented') return new CommentNode(t)
  if (t.kind === 'reviewed') return new ReviewNode(t)
  if (t.kind === 'committed') return new PullRequestCommitNode(t)
  return new EventNode(t)
}

const issueUrl = (c: GqlCtx, i: IssueRec): string =>
  `${HTML}/${c.world.org}/${i.repo.name}/${i.isPull ? 'pull' : 'issues'}/${i.number}`

/** What IssueComment and PullRequestReview share (GraphQL's `Comment` interface and kin). */
abstract class AuthoredNode {
  constructor(readonly _t: Item) {}
  databaseId(): number {
    return this._t.id
  }
  fullDatabaseId(): string {
    return String(this._t.id)
  }
  createdAt(): string {
    return iso(this._t.at)
  }
  publishedAt(): string {
    return iso(this._t.at)
  }
  updatedAt(): string {
    return iso(this._t.updatedAt)
  }
  includesCreatedEdit(): boolean {
    return false
  }
  isMinimized(): boolean {
    return false
  }
  minimizedReason(): null {
    return null
  }
  author(_a: Args, c: GqlCtx): UserNode | BotNode | null {
    return actor(c, this._t.actor)
  }
  authorAssociation(_a: Args, c: GqlCtx): string {
    return authorAssociation(c.rest, this._t.actor)
  }
  repository(): RepoNode {
    return new RepoNode(this._t.issue.repo)
  }
}

export class CommentNode extends AuthoredNode {
  readonly __typename = 'IssueComment'
  id(): string {
    return nodeId('IC', this._t.id)
  }
  body(): string {
    return commentBody(this._t)
  }
  bodyText(): string {
    return commentBody(this._t)
  }
  /** Set once the comment was edited (the world's comment `updatedAt` moves only on edits). */
  lastEditedAt(): string | null {
    return this._t.updatedAt > this._t.at ? iso(this._t.updatedAt) : null
  }
  url(_a: Args, c: GqlCtx): string {
    return `${issueUrl(c, this._t.issue)}#issuecomment-${this._t.id}`
  }
  issue(): IssueNode {
    return new IssueNode(this._t.issue)
  }
  pullRequest(): IssueNode | null {
    return this._t.issue.isPull ? new IssueNode(this._t.issue) : null
  }
  reactions(a: Args, c: GqlCtx): ReturnType<typeof reactions> {
    return reactions(c, this._t.rx, a, this._t.at)
  }
  reactionGroups(_a: Args, c: GqlCtx): ReturnType<typeof reactionGroups> {
    return reactionGroups(c, this._t.rx, this, this._t.at)
  }
}

export class ReviewNode extends AuthoredNode {
  readonly __typename = 'PullRequestReview'
  id(): string {
    return nodeId('PRR', this._t.id)
  }
  state(): string {
    return this._t.arg as string
  }
  body(): string {
    return this._t.body ?? ''
  }
  bodyText(): string {
    return this._t.body ?? ''
  }
  submittedAt(): string {
    return iso(this._t.at)
  }
  lastEditedAt(): null {
    return null
  }
  authorCanPushToRepository(): boolean {
    return false
  }
  url(_a: Args, c: GqlCtx): string {
    return `${issueUrl(c, this._t.issue)}#pullrequestreview-${this._t.id}`
  }
  pullRequest(): IssueNode {
    return new IssueNode(this._t.issue)
  }
  commit(): ReturnType<typeof commitObject> {
    return commitObject(sha('head', this._t.issue.id), this._t.issue)
  }
}

/** A `Commit` object: the merge commit or a PR head (no global id lookup) or a committed item. */
export function commitObject(oid: string, i: IssueRec, t?: Item) {
  return {
    __typename: 'Commit',
    id: nodeId('C', t ? t.id : i.id),
    oid,
    abbreviatedOid: oid.slice(0, 7),
    url: (_a: Args, c: GqlCtx) => `${HTML}/${c.world.org}/${i.repo.name}/commit/${oid}`,
    message: t ? (t.arg as string) : `Merge pull request #${i.number}`,
    messageHeadline: t ? (t.arg as string) : `Merge pull request #${i.number}`,
    authoredDate: iso(t ? t.at : i.mergedAt),
    committedDate: iso(t ? t.at : i.mergedAt),
    author: (_a: Args, c: GqlCtx) => gitActor(c, t ? t.actor : i.mergedBy, t ? t.at : i.mergedAt),
    committer: (_a: Args, c: GqlCtx) => gitActor(c, t ? t.actor : i.mergedBy, t ? t.at : i.mergedAt)
  }
}

/** Name and email as the REST `committed` item's `author` renders them. */
function gitActor(c: GqlCtx, userId: number, at: number) {
  const login = c.world.users.get(userId)?.login ?? 'ghost'
  return { name: login, email: `${login}@users.noreply.github.com`, date: iso(at), user: userOnly(c, userId) }
}

export class PullRequestCommitNode {
  readonly __typename = 'PullRequestCommit'
  constructor(readonly _t: Item) {}
  id(): string {
    return nodeId('PURC', this._t.id)
  }
  commit(): ReturnType<typeof commitObject> {
    return commitObject(sha('commit', this._t.id), this._t.issue, this._t)
  }
  pullRequest(): IssueNode {
    return new IssueNode(this._t.issue)
  }
  url(_a: Args, c: GqlCtx): string {
    return `${issueUrl(c, this._t.issue)}/commits/${sha('commit', this._t.id)}`
  }
  resourcePath(a: Args, c: GqlCtx): string {
    return this.url(a, c).slice(HTML.length)
  }
}

/** Every other timeline kind; fields a type does not have are never asked for. */
export class EventNode {
  constructor(readonly _t: Item) {}
  get __typename(): string {
    return TIMELINE_TYPES[this._t.kind].type
  }
  id(): string {
    return nodeId(this._t.kind === 'cross-referenced' ? 'CRE' : 'E', this._t.id)
  }
  createdAt(): string {
    return iso(this._t.at)
  }
  actor(_a: Args, c: GqlCtx): UserNode | BotNode | null {
    return actor(c, this._t.actor)
  }
  url(_a: Args, c: GqlCtx): string {
    return `${issueUrl(c, this._t.issue)}#event-${this._t.id}`
  }
  resourcePath(a: Args, c: GqlCtx): string {
    return this.url(a, c).slice(HTML.length)
  }
  // The subject, under each type's own name.
  labelable(): IssueNode {
    return new IssueNode(this._t.issue)
  }
  assignable(): IssueNode {
    return new IssueNode(this._t.issue)
  }
  closable(): IssueNode {
    return new IssueNode(this._t.issue)
  }
  lockable(): IssueNode {
    return new IssueNode(this._t.issue)
  }
  subject(): IssueNode {
    return new IssueNode(this._t.issue)
  }
  pullRequest(): IssueNode {
    return new IssueNode(this._t.issue)
  }
  issue(): IssueNode {
    return new IssueNode(this._t.issue)
  }
  // LabeledEvent, UnlabeledEvent
  label(): LabelNode {
    return new LabelNode(this._t.issue.repo, this._t.arg as string)
  }
  // AssignedEvent, UnassignedEvent (`assignee` is an Actor union; `user` the deprecated User field)
  assignee(_a: Args, c: GqlCtx): UserNode | BotNode | null {
    return actor(c, this._t.arg as number)
  }
  user(_a: Args, c: GqlCtx): UserNode | null {
    return userOnly(c, this._t.arg as number)
  }
  // ClosedEvent, ReopenedEvent: an issue's reason; pull requests have none.
  stateReason(): string | null {
    if (this._t.issue.isPull) return null
    return this._t.kind === 'reopened' ? 'REOPENED' : stateReason(this._t.arg)
  }
  /** ClosedEvent: the merge commit when a merge closed the pull request. */
  closer(): ReturnType<typeof commitObject> | null {
    const i = this._t.issue
    return i.mergedAt && i.mergedAt === this._t.at ? commitObject(sha('merge', i.id), i) : null
  }
  // MergedEvent
  commit(): ReturnType<typeof commitObject> {
    return commitObject(sha('merge', this._t.issue.id), this._t.issue)
  }
  mergeRefName(): string {
    return 'main'
  }
  // RenamedTitleEvent
  previousTitle(): string {
    return (this._t.arg as [string, string])[0]
  }
  currentTitle(): string {
    return (this._t.arg as [string, string])[1]
  }
  // LockedEvent
  lockReason(): string | null {
    return lockReason(this._t.arg)
  }
  // TransferredEvent
  fromRepository(_a: Args, c: GqlCtx): RepoNode | null {
    const from = this._t.arg as RepoRec | null
    return from && c.rest.canRead(from) ? new RepoNode(from) : null
  }
  // CrossReferencedEvent: the referencing issue (where it is now) and this one.
  source(_a: Args, c: GqlCtx): IssueNode {
    return new IssueNode(c.world.resolve(this._t.arg as IssueRec))
  }
  target(): IssueNode {
    return new IssueNode(this._t.issue)
  }
  isCrossRepository(_a: Args, c: GqlCtx): boolean {
    return c.world.resolve(this._t.arg as IssueRec).repo !== this._t.issue.repo
  }
  /** The world has no closing keywords. */
  willCloseTarget(): boolean {
    return false
  }
  referencedAt(): string {
    return iso(this._t.at)
  }
}
