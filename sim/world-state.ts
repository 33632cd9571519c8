// The world's state, clock, people and repositories, and the helpers issue
// mutations share. `World` (world.ts) adds the issue/PR mutation API.
import { createHash } from 'node:crypto'
import type { EtagScope } from './conditional.js'
import { Item, type IssueRec, type ItemKind, type RepoRec, type UserRec, type UserType } from './model.js'

export interface WorldConfig {
  org: string
  /** `/repos/{o}/{r}/issues?page=N` with N above this answers 422 (cursor links keep working). */
  issuesMaxPage: number
  /** Repo-level `/issues/events` keeps at most this many events... */
  eventsFeedCap: number
  /** ...and none older than this many days. */
  eventsFeedDays: number
  /** Form of the `Location` a transferred issue's old URL redirects to. */
  transferRedirect: 'repos' | 'repositories'
  /** GitHub does not move an issue's updated_at when a comment is edited; flip to experiment. */
  commentEditTouchesIssue: boolean
  /** What an ETag covers: the credentials and the body as on github.com ('token'), or the body alone ('body'). */
  etagScope: EtagScope
  /**
   * Search index lag in ms of world time: search (REST and GraphQL) shows an
   * issue as it was before any change made within the last `searchLagMs`,
   * and an issue created within it not at all (see search-index.ts).
   */
  searchLagMs: number
  /**
   * Whether `/search/issues` answers `If-None-Match` with 304. No source
   * says search honours conditional requests (GitHub's docs describe them
   * for the REST API in general; nobody reports a 304 from search), so the
   * costlier answer is the default: false, every search is a billed 200.
   */
  searchConditional: boolean
  /** Body of a GraphQL answer once the points are spent: GitHub's newer `RATE_LIMIT` or older `RATE_LIMITED` (graphql/endpoint.ts). */
  graphqlRateLimitError: 'RATE_LIMIT' | 'RATE_LIMITED'
  /**
   * `GET /orgs/{org}/members/{username}` answers 302 to the public-members
   * check, as GitHub documents for a requester who is not an organisation
   * member, instead of 204/404.
   */
  membershipCheckRedirect: boolean
}

export type Duration = number | { minutes?: number; hours?: number; days?: number; seconds?: number }
export type Target = number | { commentId: number }

export interface OpenIssueInput {
  title: string
  body?: string | null
  /** login; null = a deleted ("ghost") author. Default: 'octocat'. */
  user?: string | null
  labels?: string[]
  assignees?: string[]
  milestone?: string
  isPull?: boolean
  draft?: boolean
  createdAt?: Date | string | number
}

/** GitHub's placeholder account for deleted users. */
export const GHOST_ID = 10137

export const toMs = (d: Date | string | number): number =>
  d instanceof Date ? d.getTime() : typeof d === 'number' ? d : Date.parse(d)

export class WorldState {
  readonly config: WorldConfig
  readonly users = new Map<number, UserRec>()
  readonly usersByLogin = new Map<string, UserRec>()
  readonly repos: RepoRec[] = []
  readonly reposById = new Map<number, RepoRec>()
  readonly reposByName = new Map<string, RepoRec>()
  /** Current org members (user ids). */
  readonly members = new Set<number>()
  readonly memberHistory: { login: string; action: 'added' | 'removed'; at: number }[] = []
  readonly commentsById = new Map<number, Item>()
  /**
   * Only while `config.searchLagMs` > 0: issues changed within the lag, each
   * with the times of those changes and the record as it was before each
   * (null before its creation). Search reads it through search-index.ts.
   */
  readonly searchPending = new Map<IssueRec, { at: number; before: IssueRec | null }[]>()
  /** Bumped on every mutation; lets renderers cache per version. */
  version = 0
  protected clock: number
  protected seq = {
    user: 100_000,
    repo: 500_000_000,
    issue: 1_100_000_000,
    comment: 1_500_000_000,
    review: 1_700_000_000,
    event: 9_000_000_000,
    internal: 0
  }

  constructor(opts: { org?: string; now?: Date | string | number; config?: Partial<WorldConfig> } = {}) {
    this.clock = toMs(opts.now ?? '2025-06-01T00:00:00Z')
    this.config = {
      org: opts.org ?? 'acme',
      issuesMaxPage: 100,
      eventsFeedCap: 300,
      eventsFeedDays: 90,
      transferRedirect: 'repos',
      commentEditTouchesIssue: false,
      etagScope: 'token',
      searchLagMs: 0,
      searchConditional: false,
      graphqlRateLimitError: 'RATE_LIMIT',
      membershipCheckRedirect: false,
      ...opts.config
    }
    const ghost: UserRec = { id: GHOST_ID, login: 'ghost', type: 'User', deleted: true }
    this.users.set(GHOST_ID, ghost)
    this.usersByLogin.set('ghost', ghost)
  }

  get org(): string {
    return this.config.org
  }

  // ---- clock -------------------------------------------------------------
  now(): Date {
    return new Date(this.clock)
  }
  nowMs(): number {
    return this.clock
  }
  setNow(d: Date | string | number): Date {
    this.clock = toMs(d)
    return this.now()
  }
  advance(d: Duration): Date {
    const ms =
      typeof d === 'number'
        ? d
        : ((d.days ?? 0) * 24 * 60 + (d.hours ?? 0) * 60 + (d.minutes ?? 0)) * 60_000 + (d.seconds ?? 0) * 1000
    this.clock += ms
    return this.now()
  }

  // ---- users and members -------------------------------------------------
  addUser(login: string, opts: { type?: UserType } = {}): UserRec {
    const existing = this.usersByLogin.get(login)
    if (existing) return existing
    const type = opts.type ?? (login.endsWith('[bot]') ? 'Bot' : 'User')
    const u: UserRec = { id: ++this.seq.user, login, type, deleted: false }
    this.users.set(u.id, u)
    this.usersByLogin.set(login, u)
    this.version++
    return u
  }
  /** Deletes an account: its content stays, authored by null / `ghost`. */
  deleteUser(login: string): UserRec {
    const u = this.user(login)
    u.deleted = true
    this.members.delete(u.id)
    this.version++
    return u
  }
  user(login: string): UserRec {
    const u = this.usersByLogin.get(login)
    if (!u) throw new Error(`unknown user '${login}'`)
    return u
  }
  /** Id of a login, creating the user on first use; null means ghost. */
  uid(login: string | null | undefined): number {
    if (login === null) return GHOST_ID
    return this.addUser(login ?? 'octocat').id
  }
  addMember(login: string): UserRec {
    const u = this.addUser(login)
    if (!this.members.has(u.id)) {
      this.members.add(u.id)
      this.memberHistory.push({ login, action: 'added', at: this.clock })
      this.version++
    }
    return u
  }
  removeMember(login: string): UserRec {
    const u = this.user(login)
    if (this.members.delete(u.id)) {
      this.memberHistory.push({ login, action: 'removed', at: this.clock })
      this.version++
    }
    return u
  }

  // ---- repositories ------------------------------------------------------
  createRepo(name: string, opts: { archived?: boolean; private?: boolean; hasIssues?: boolean } = {}): RepoRec {
    if (this.reposByName.has(name)) throw new Error(`repo '${name}' exists`)
    const r: RepoRec = {
      id: ++this.seq.repo,
      name,
      oldNames: [],
      private: opts.private ?? false,
      archived: opts.archived ?? false,
      hasIssues: opts.hasIssues ?? true,
      deleted: false,
      createdAt: this.clock,
      updatedAt: this.clock,
      pushedAt: this.clock,
      nextNumber: 1,
      issues: new Map(),
      list: [],
      milestones: []
    }
    this.repos.push(r)
    this.reposById.set(r.id, r)
    this.reposByName.set(name, r)
    this.version++
    return r
  }
  renameRepo(oldName: string, newName: string): RepoRec {
    const r = this.repo(oldName)
    this.reposByName.delete(r.name)
    r.oldNames.push(r.name)
    r.name = newName
    r.updatedAt = this.clock
    this.reposByName.set(newName, r)
    this.version++
    return r
  }
  /**
   * Deletes a repository: GitHub answers 404 for it from then on, by name
   * and by id, and it leaves the org's listings and search (its issues go
   * with it). The record stays reachable from its issues only.
   */
  deleteRepo(name: string): RepoRec {
    const r = this.repo(name)
    r.deleted = true
    this.repos.splice(this.repos.indexOf(r), 1)
    this.reposById.delete(r.id)
    this.reposByName.delete(r.name)
    this.version++
    return r
  }
  /** Turns a repository's issues off or on (Settings → Features → Issues). */
  setHasIssues(name: string, hasIssues: boolean): RepoRec {
    const r = this.repo(name)
    r.hasIssues = hasIssues
    r.updatedAt = this.clock
    this.version++
    return r
  }
  setArchived(name: string, archived: boolean): RepoRec {
    const r = this.repo(name)
    r.archived = archived
    r.updatedAt = this.clock
    this.version++
    return r
  }
  /** A repository by current name (throws if unknown). */
  repo(name: string): RepoRec {
    const r = this.reposByName.get(name)
    if (!r) throw new Error(`unknown repo '${name}'`)
    return r
  }
  /** A repo by a former name, for the 301 answer. */
  repoByOldName(name: string): RepoRec | undefined {
    return this.repos.find((r) => r.oldNames.includes(name))
  }
  issue(repo: string, number: number): IssueRec {
    const i = this.repo(repo).issues.get(number)
    if (!i) throw new Error(`unknown issue ${repo}#${number}`)
    return i
  }

  /** The record a transferred issue ended up as, following chains. */
  resolve(i: IssueRec): IssueRec {
    while (i.movedTo) i = i.movedTo
    return i
  }

  /** A stable hash of the whole state: equal seeds must give equal fingerprints. */
  fingerprint(): string {
    const h = createHash('sha256')
    for (const u of this.users.values()) h.update(`${u.id}|${u.login}|${u.type}|${u.deleted}\n`)
    h.update(`members:${[...this.members].join(',')}\n`)
    for (const r of this.repos) {
      h.update(
        `R${r.id}|${r.name}|${r.oldNames}|${r.private}|${r.archived}|${r.createdAt}|${r.milestones}${r.hasIssues ? '' : '|no-issues'}\n`
      )
      for (const i of r.list) {
        h.update(
          `I${i.id}|${i.number}|${i.title}|${i.body}|${i.user}|${i.labels}|${i.assignees}|${i.milestone}|${i.state}|${i.stateReason}|${i.locked}|${i.isPull}|${i.draft}|${i.mergedAt}|${i.createdAt}|${i.updatedAt}|${i.closedAt}|${i.comments}|${i.rx}|${i.movedTo?.id}|${i.deleted}\n`
        )
        for (const t of i.timeline) {
          const arg =
            t.arg !== null && typeof t.arg === 'object' && 'id' in (t.arg as object)
              ? (t.arg as IssueRec).id
              : String(t.arg)
          h.update(`${t.kind}|${t.id}|${t.at}|${t.actor}|${arg}|${t.body}|${t.updatedAt}|${t.rx}\n`)
        }
      }
    }
    return h.digest('hex')
  }

  // ---- internals ---------------------------------------------------------
  protected live(repo: string, number: number): IssueRec {
    const i = this.issue(repo, number)
    if (i.deleted) throw new Error(`${repo}#${number} was deleted`)
    if (i.movedTo) throw new Error(`${repo}#${number} was transferred`)
    this.willChange(i)
    return i
  }
  /** Called before every change of `i` (and on creation, `created`): feeds the search index lag. */
  protected willChange(i: IssueRec, created = false): void {
    const lag = this.config.searchLagMs
    if (lag <= 0) return
    let list = this.searchPending.get(i)
    if (!list) this.searchPending.set(i, (list = []))
    while (list.length && list[0].at <= this.clock - lag) list.shift()
    list.push({
      at: this.clock,
      before: created ? null : { ...i, labels: [...i.labels], assignees: [...i.assignees], rx: i.rx && [...i.rx] }
    })
  }
  protected touch(i: IssueRec): IssueRec {
    i.updatedAt = this.clock
    this.version++
    return i
  }
  protected push(i: IssueRec, kind: ItemKind, actor: number, arg: unknown = null, body: string | null = null): Item {
    const id =
      kind === 'commented'
        ? ++this.seq.comment
        : kind === 'reviewed'
          ? ++this.seq.review
          : kind === 'cross-referenced' || kind === 'committed'
            ? ++this.seq.internal
            : ++this.seq.event
    const item = new Item(kind, id, this.clock, actor, i, arg, body)
    i.timeline.push(item)
    return item
  }
  protected commentItem(commentId: number): Item {
    const c = this.commentsById.get(commentId)
    if (!c) throw new Error(`unknown comment ${commentId}`)
    return c
  }
  protected reactionHolder(repo: string, target: Target): IssueRec | Item {
    return typeof target === 'number' ? this.live(repo, target) : this.commentItem(target.commentId)
  }
}
