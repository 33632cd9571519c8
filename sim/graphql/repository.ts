// Organization, Repository, Label and Milestone, over the world's RepoRec.
import { GqlError } from './errors.js'
import type { IssueRec, RepoRec } from '../model.js'
import { sec } from '../http.js'
import { iso, labelColor, labelId, nodeId } from '../render/common.js'
import { ORG_ID } from '../render/repo.js'
import { userOnly } from './actors.js'
import { connection, keysetCursors, type Connection } from './connection.js'
import { HTML, type Args, type GqlCtx } from './context.js'
import { notFound } from './errors.js'
import { IssueNode, issueListCursors, issueOrder, type IssueArgs } from './issue.js'

export class OrgNode {
  readonly __typename = 'Organization'
  id(): string {
    return nodeId('O', ORG_ID)
  }
  databaseId(): number {
    return ORG_ID
  }
  login(_a: Args, c: GqlCtx): string {
    return c.world.org
  }
  name(_a: Args, c: GqlCtx): string {
    return c.world.org
  }
  url(_a: Args, c: GqlCtx): string {
    return `${HTML}/${c.world.org}`
  }
  resourcePath(_a: Args, c: GqlCtx): string {
    return `/${c.world.org}`
  }
  avatarUrl(): string {
    return `https://avatars.githubusercontent.com/u/${ORG_ID}?v=4`
  }
  createdAt(_a: Args, c: GqlCtx): string {
    return iso(Math.min(...c.world.repos.map((r) => r.createdAt), c.world.nowMs()))
  }
  /** `repositories(isArchived, privacy, orderBy)`; default order (undocumented): oldest first. */
  repositories(a: Args, c: GqlCtx): Connection<RepoNode> {
    const privacy = a.privacy as string | undefined
    const repos = c.world.repos.filter(
      (r) =>
        c.rest.canRead(r) &&
        (a.isArchived === undefined || a.isArchived === null || r.archived === a.isArchived) &&
        (!privacy || r.private === (privacy === 'PRIVATE'))
    )
    const order = (a.orderBy as { field: string; direction: string } | undefined) ?? {
      field: 'CREATED_AT',
      direction: 'ASC'
    }
    const dir = order.direction === 'DESC' ? -1 : 1
    if (order.field === 'NAME') {
      repos.sort((x, y) => dir * (x.name.toLowerCase() < y.name.toLowerCase() ? -1 : 1))
      const rank = new Map(repos.map((r, k) => [r, k]))
      return connection(
        repos,
        a,
        keysetCursors((r) => [rank.get(r) ?? 0]),
        (r) => new RepoNode(r)
      )
    }
    const key = (r: RepoRec): number =>
      order.field === 'UPDATED_AT'
        ? sec(r.updatedAt)
        : order.field === 'PUSHED_AT'
          ? sec(r.pushedAt)
          : order.field === 'STARGAZERS'
            ? 0
            : sec(r.createdAt)
    const k = (r: RepoRec): number[] => [dir * key(r), dir * r.id]
    repos.sort((x, y) => k(x)[0] - k(y)[0] || k(x)[1] - k(y)[1])
    return connection(repos, a, keysetCursors(k), (r) => new RepoNode(r))
  }
  repository(a: Args, c: GqlCtx): RepoNode {
    return findRepo(c, c.world.org, String(a.name), a.followRenames !== false)
  }
  /**
   * Members by user id, all with role MEMBER (the world has no admins). A
   * token that may not read membership (a GITHUB_TOKEN) gets GitHub's field
   * error, `type: 'FORBIDDEN'`, "Resource not accessible by integration",
   * at the field's path (as quoted in fpicalausa/remove-stale-branches#49);
   * the field is non-null, so the organization above it comes back null.
   */
  membersWithRole(a: Args, c: GqlCtx): Connection<unknown> {
    if (!c.caller.canReadMembers) throw new GqlError('FORBIDDEN', 'Resource not accessible by integration')
    const ids = [...c.world.members].filter((id) => !c.world.users.get(id)?.deleted).sort((x, y) => x - y)
    const conn = connection(
      ids,
      a,
      keysetCursors((id) => [id]),
      (id) => userOnly(c, id) ?? null
    )
    return { ...conn, edges: () => conn.edges().map((e) => ({ ...e, role: 'MEMBER', hasTwoFactorEnabled: null })) }
  }
}

/**
 * `repository(owner, name, followRenames = true)`: a former name finds the
 * renamed repository unless `followRenames: false` ("Follow repository
 * renames. If disabled, a repository referenced by its old name will return
 * an error." — GitHub's schema, Query.repository). Unreadable = not found.
 */
export function findRepo(c: GqlCtx, owner: string, name: string, followRenames: boolean): RepoNode {
  const w = c.world
  const lower = name.toLowerCase()
  let r: RepoRec | undefined
  if (owner.toLowerCase() === w.org.toLowerCase()) {
    r = w.repos.find((x) => x.name.toLowerCase() === lower)
    if (!r && followRenames) r = w.repos.find((x) => x.oldNames.some((o) => o.toLowerCase() === lower))
  }
  if (!r || !c.rest.canRead(r)) throw notFound(`Could not resolve to a Repository with the name '${owner}/${name}'.`)
  return new RepoNode(r)
}

const live = (i: IssueRec): boolean => !i.deleted && !i.movedTo

export class RepoNode {
  readonly __typename = 'Repository'
  constructor(readonly _r: RepoRec) {}
  id(): string {
    return nodeId('R', this._r.id)
  }
  databaseId(): number {
    return this._r.id
  }
  name(): string {
    return this._r.name
  }
  nameWithOwner(_a: Args, c: GqlCtx): string {
    return `${c.world.org}/${this._r.name}`
  }
  owner(): OrgNode {
    return new OrgNode()
  }
  isPrivate(): boolean {
    return this._r.private
  }
  isArchived(): boolean {
    return this._r.archived
  }
  isFork(): boolean {
    return false
  }
  isDisabled(): boolean {
    return false
  }
  isLocked(): boolean {
    return false
  }
  hasIssuesEnabled(): boolean {
    return this._r.hasIssues
  }
  visibility(): string {
    return this._r.private ? 'PRIVATE' : 'PUBLIC'
  }
  description(): string {
    return `The ${this._r.name} repository`
  }
  url(_a: Args, c: GqlCtx): string {
    return `${HTML}/${c.world.org}/${this._r.name}`
  }
  resourcePath(_a: Args, c: GqlCtx): string {
    return `/${c.world.org}/${this._r.name}`
  }
  createdAt(): string {
    return iso(this._r.createdAt)
  }
  updatedAt(): string {
    return iso(this._r.updatedAt)
  }
  pushedAt(): string {
    return iso(this._r.pushedAt)
  }
  stargazerCount(): number {
    return 0
  }
  forkCount(): number {
    return 0
  }
  /** `issues(states, labels, filterBy: {since, states, labels, assignee, createdBy}, orderBy)`; pull requests excluded. */
  issues(a: IssueArgs, c: GqlCtx): Connection<IssueNode> {
    const f = a.filterBy ?? {}
    const states = new Set([...(a.states ?? []), ...(f.states ?? [])].map((s) => s.toLowerCase()))
    const labels = [...(a.labels ?? []), ...(f.labels ?? [])]
    // filterBy.since: "List issues that have been updated at or after the given date." (schema, IssueFilters)
    const since = f.since ? Date.parse(f.since) : null
    const users = c.world.usersByLogin
    // Issues turned off: none listed (no source says what GitHub's connection
    // answers then; assumed empty, as the REST list answers 410).
    const items = this._r.list.filter(
      (i) =>
        this._r.hasIssues &&
        !i.isPull &&
        live(i) &&
        (!states.size || states.has(i.state)) &&
        labels.every((l) => i.labels.includes(l)) &&
        (since === null || sec(i.updatedAt) >= since) &&
        (!f.createdBy || users.get(f.createdBy)?.id === i.user) &&
        (!f.assignee || i.assignees.includes(users.get(f.assignee)?.id ?? -1))
    )
    const key = issueOrder(a.orderBy)
    items.sort((x, y) => key(x)[0] - key(y)[0] || key(x)[1] - key(y)[1])
    return connection(items, a, issueListCursors(key), (i) => new IssueNode(i))
  }
  /** `pullRequests(states: [OPEN, CLOSED, MERGED], labels, baseRefName, headRefName, orderBy)`. */
  pullRequests(a: IssueArgs & { baseRefName?: string; headRefName?: string }, _c: GqlCtx): Connection<IssueNode> {
    const states = new Set(a.states ?? [])
    const labels = a.labels ?? []
    const items = this._r.list.filter(
      (i) =>
        i.isPull &&
        live(i) &&
        (!states.size || states.has(prState(i))) &&
        labels.every((l) => i.labels.includes(l)) &&
        (!a.baseRefName || a.baseRefName === 'main') &&
        (!a.headRefName || a.headRefName === `feature/${i.number}`)
    )
    const key = issueOrder(a.orderBy)
    items.sort((x, y) => key(x)[0] - key(y)[0] || key(x)[1] - key(y)[1])
    return connection(items, a, issueListCursors(key), (i) => new IssueNode(i))
  }
  issue(a: { number: number }, c: GqlCtx): IssueNode {
    const i = this._r.issues.get(a.number)
    // A transferred-away or deleted issue is not found here (costlier assumption: no redirect in GraphQL).
    if (!i || i.isPull || !live(i) || !this._r.hasIssues || !c.rest.canRead(this._r))
      throw notFound(`Could not resolve to an Issue with the number of ${a.number}.`)
    return new IssueNode(i)
  }
  pullRequest(a: { number: number }): IssueNode {
    const i = this._r.issues.get(a.number)
    if (!i || !i.isPull || !live(i))
      throw notFound(`Could not resolve to a PullRequest with the number of ${a.number}.`)
    return new IssueNode(i)
  }
  issueOrPullRequest(a: { number: number }): IssueNode {
    const i = this._r.issues.get(a.number)
    if (!i || !live(i) || (!i.isPull && !this._r.hasIssues))
      throw notFound(`Could not resolve to an issue or pull request with the number of ${a.number}.`)
    return new IssueNode(i)
  }
  labels(a: Args): Connection<LabelNode> {
    const names = [...new Set(this._r.list.flatMap((i) => i.labels))].sort()
    const rank = new Map(names.map((n, k) => [n, k]))
    return connection(
      names,
      a,
      keysetCursors((n) => [rank.get(n) ?? 0]),
      (n) => new LabelNode(this._r, n)
    )
  }
}

export function prState(i: IssueRec): 'OPEN' | 'CLOSED' | 'MERGED' {
  return i.mergedAt ? 'MERGED' : i.state === 'closed' ? 'CLOSED' : 'OPEN'
}

export class LabelNode {
  readonly __typename = 'Label'
  constructor(
    readonly _r: RepoRec,
    readonly _name: string
  ) {}
  id(): string {
    return nodeId('LA', labelId(this._r, this._name))
  }
  name(): string {
    return this._name
  }
  color(): string {
    return labelColor(this._name)
  }
  description(): string {
    return `Label '${this._name}'`
  }
  isDefault(): boolean {
    return this._name === 'bug' || this._name === 'enhancement'
  }
  url(_a: Args, c: GqlCtx): string {
    return `${HTML}/${c.world.org}/${this._r.name}/labels/${encodeURIComponent(this._name)}`
  }
  resourcePath(_a: Args, c: GqlCtx): string {
    return `/${c.world.org}/${this._r.name}/labels/${encodeURIComponent(this._name)}`
  }
  createdAt(): string {
    return iso(this._r.createdAt)
  }
  updatedAt(): string {
    return iso(this._r.createdAt)
  }
}

export class MilestoneNode {
  readonly __typename = 'Milestone'
  constructor(
    readonly _r: RepoRec,
    readonly _n: number
  ) {}
  id(): string {
    return nodeId('MI', this._r.id * 100 + this._n)
  }
  number(): number {
    return this._n
  }
  title(): string {
    return this._r.milestones[this._n - 1]
  }
  description(): null {
    return null
  }
  state(): string {
    return 'OPEN'
  }
  closed(): boolean {
    return false
  }
  closedAt(): null {
    return null
  }
  dueOn(): null {
    return null
  }
  createdAt(): string {
    return iso(this._r.createdAt)
  }
  updatedAt(): string {
    return iso(this._r.createdAt)
  }
  url(_a: Args, c: GqlCtx): string {
    return `${HTML}/${c.world.org}/${this._r.name}/milestone/${this._n}`
  }
  repository(): RepoNode {
    return new RepoNode(this._r)
  }
}
