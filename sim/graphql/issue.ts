// Issue and PullRequest (one class; `__typename` tells them apart) over the
// world's IssueRec, with their connections.
import { sec } from '../http.js'
import type { IssueRec } from '../model.js'
import { authorAssociation, iso, isoOrNull, nodeId, sha } from '../render/common.js'
import { diffStats, issueBody, pullId } from '../render/issue.js'
import { actor, userOnly, type BotNode, type UserNode } from './actors.js'
import { connection, keysetCursors, type ConnArgs, type Connection, type Cursors } from './connection.js'
import { HTML, type Args, type GqlCtx } from './context.js'
import { reactionGroups, reactions } from './reactions.js'
import { LabelNode, MilestoneNode, RepoNode, prState } from './repository.js'
import {
  CommentNode,
  PullRequestCommitNode,
  ReviewNode,
  commitObject,
  timelineCursors,
  timelineItems
} from './timeline.js'

export interface IssueArgs extends ConnArgs {
  states?: string[]
  labels?: string[]
  filterBy?: { since?: string; states?: string[]; labels?: string[]; assignee?: string; createdBy?: string }
  orderBy?: { field: string; direction: string }
}

/** Sort key for issue lists: `orderBy` (default CREATED_AT ASC, GitHub's undocumented default), ties by number. */
export function issueOrder(orderBy: IssueArgs['orderBy']): (i: IssueRec) => number[] {
  const dir = orderBy?.direction === 'DESC' ? -1 : 1
  const field = orderBy?.field ?? 'CREATED_AT'
  const get =
    field === 'UPDATED_AT'
      ? (i: IssueRec) => sec(i.updatedAt)
      : field === 'COMMENTS'
        ? (i: IssueRec) => i.comments
        : (i: IssueRec) => sec(i.createdAt)
  return (i) => [dir * get(i), dir * i.number]
}

export const issueListCursors = (key: (i: IssueRec) => number[]): Cursors<IssueRec> => keysetCursors(key)

const LOCK: Record<string, string> = {
  'off-topic': 'OFF_TOPIC',
  'too heated': 'TOO_HEATED',
  resolved: 'RESOLVED',
  spam: 'SPAM'
}
export const lockReason = (r: unknown): string | null => (typeof r === 'string' ? (LOCK[r] ?? null) : null)
export const stateReason = (r: unknown): string | null => (typeof r === 'string' ? r.toUpperCase() : null)

export class IssueNode {
  constructor(readonly _i: IssueRec) {}
  get __typename(): string {
    return this._i.isPull ? 'PullRequest' : 'Issue'
  }
  /** The REST `node_id`. */
  id(): string {
    return nodeId(this._i.isPull ? 'PR' : 'I', this._i.id)
  }
  /**
   * Issue: the issue id. PullRequest: the pull request's own id (REST
   * `/pulls` `id`); GraphQL has no field for a PR's issue id. PR ids above
   * 2^31 do not fit `Int` (why GitHub deprecated it for `fullDatabaseId`),
   * so graphql-js answers them with a field error, as an overflow would be.
   */
  databaseId(): number {
    return this._i.isPull ? pullId(this._i) : this._i.id
  }
  fullDatabaseId(): string {
    return String(this.databaseId())
  }
  number(): number {
    return this._i.number
  }
  title(): string {
    return this._i.title
  }
  body(): string {
    return issueBody(this._i)
  }
  bodyText(): string {
    return issueBody(this._i)
  }
  state(): string {
    return this._i.isPull ? prState(this._i) : this._i.state.toUpperCase()
  }
  stateReason(): string | null {
    return this._i.isPull ? null : stateReason(this._i.stateReason)
  }
  closed(): boolean {
    return this._i.state === 'closed'
  }
  createdAt(): string {
    return iso(this._i.createdAt)
  }
  publishedAt(): string {
    return iso(this._i.createdAt)
  }
  updatedAt(): string {
    return iso(this._i.updatedAt)
  }
  closedAt(): string | null {
    return isoOrNull(this._i.closedAt)
  }
  /** The world keeps no edit history of issue bodies. */
  lastEditedAt(): null {
    return null
  }
  includesCreatedEdit(): boolean {
    return false
  }
  createdViaEmail(): boolean {
    return false
  }
  url(_a: Args, c: GqlCtx): string {
    return `${HTML}${this.resourcePath(_a, c)}`
  }
  resourcePath(_a: Args, c: GqlCtx): string {
    return `/${c.world.org}/${this._i.repo.name}/${this._i.isPull ? 'pull' : 'issues'}/${this._i.number}`
  }
  author(_a: Args, c: GqlCtx): UserNode | BotNode | null {
    return actor(c, this._i.user)
  }
  authorAssociation(_a: Args, c: GqlCtx): string {
    return authorAssociation(c.rest, this._i.user, this._i)
  }
  locked(): boolean {
    return this._i.locked
  }
  activeLockReason(): string | null {
    return lockReason(this._i.lockReason)
  }
  repository(): RepoNode {
    return new RepoNode(this._i.repo)
  }
  milestone(): MilestoneNode | null {
    return this._i.milestone ? new MilestoneNode(this._i.repo, this._i.milestone) : null
  }
  labels(a: ConnArgs): Connection<LabelNode> {
    const names = this._i.labels
    return connection(
      names,
      a,
      keysetCursors((n) => [names.indexOf(n)]),
      (n) => new LabelNode(this._i.repo, n)
    )
  }
  /** Assignees are `User`s: deleted accounts and bots are left out. */
  assignees(a: ConnArgs, c: GqlCtx): Connection<UserNode> {
    const ids = this._i.assignees.filter((id) => userOnly(c, id))
    return connection(
      ids,
      a,
      keysetCursors((id) => [id]),
      (id) => userOnly(c, id)!
    )
  }
  /** `comments(orderBy: {field: UPDATED_AT, direction})`, default in timeline order. */
  comments(a: ConnArgs & { orderBy?: { field: string; direction: string } }): Connection<CommentNode> {
    const items = this._i.timeline.filter((t) => t.kind === 'commented')
    if (a.orderBy) {
      const dir = a.orderBy.direction === 'DESC' ? -1 : 1
      items.sort((x, y) => dir * (sec(x.updatedAt) - sec(y.updatedAt) || x.id - y.id))
      return connection(
        items,
        a,
        keysetCursors((t) => [dir * sec(t.updatedAt), dir * t.id]),
        (t) => new CommentNode(t)
      )
    }
    return connection(items, a, timelineCursors(), (t) => new CommentNode(t))
  }
  timelineItems(a: Args, c: GqlCtx): ReturnType<typeof timelineItems> {
    return timelineItems(c, this._i, a)
  }
  reactions(a: Args, c: GqlCtx): ReturnType<typeof reactions> {
    return reactions(c, this._i.rx, a, this._i.createdAt)
  }
  reactionGroups(_a: Args, c: GqlCtx): ReturnType<typeof reactionGroups> {
    return reactionGroups(c, this._i.rx, this, this._i.createdAt)
  }
  totalCommentsCount(): number {
    return this._i.comments
  }

  // ---- PullRequest only ------------------------------------------------
  merged(): boolean {
    return this._i.mergedAt > 0
  }
  mergedAt(): string | null {
    return isoOrNull(this._i.mergedAt)
  }
  mergedBy(_a: Args, c: GqlCtx): UserNode | BotNode | null {
    return this._i.mergedBy ? actor(c, this._i.mergedBy) : null
  }
  mergeCommit(): ReturnType<typeof commitObject> | null {
    return this._i.mergedAt ? commitObject(sha('merge', this._i.id), this._i) : null
  }
  isDraft(): boolean {
    return this._i.draft
  }
  isCrossRepository(): boolean {
    return false
  }
  maintainerCanModify(): boolean {
    return false
  }
  mergeable(): string {
    return this._i.state === 'open' ? 'MERGEABLE' : 'UNKNOWN'
  }
  baseRefName(): string {
    return 'main'
  }
  headRefName(): string {
    return `feature/${this._i.number}`
  }
  baseRefOid(): string {
    return sha('base', this._i.id)
  }
  headRefOid(): string {
    return sha('head', this._i.id)
  }
  additions(): number {
    return diffStats(this._i).additions
  }
  deletions(): number {
    return diffStats(this._i).deletions
  }
  changedFiles(): number {
    return diffStats(this._i).changed_files
  }
  permalink(a: Args, c: GqlCtx): string {
    return this.url(a, c)
  }
  reviewDecision(): null {
    return null
  }
  /** `reviews(states, author)`, in timeline order. */
  reviews(a: ConnArgs & { states?: string[]; author?: string }, c: GqlCtx): Connection<ReviewNode> {
    const states = new Set(a.states ?? [])
    const author = a.author ? c.world.usersByLogin.get(a.author)?.id : undefined
    const items = this._i.timeline.filter(
      (t) =>
        t.kind === 'reviewed' &&
        (!states.size || states.has(t.arg as string)) &&
        (a.author === undefined || t.actor === author)
    )
    return connection(items, a, timelineCursors(), (t) => new ReviewNode(t))
  }
  commits(a: ConnArgs): Connection<PullRequestCommitNode> {
    const items = this._i.timeline.filter((t) => t.kind === 'committed')
    return connection(items, a, timelineCursors(), (t) => new PullRequestCommitNode(t))
  }
}
