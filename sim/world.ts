// All simulated state plus a clock and the mutation API tests drive.
// Every mutation happens at world.now() and moves `updated_at` the way
// GitHub does (see sim/README.md, "updated_at").
import { createHash } from 'node:crypto'
import {
  Item, REACTIONS, type IssueRec, type ItemKind, type ReactionContent, type RepoRec,
  type StateReason, type UserRec, type UserType
} from './model.js'

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

const toMs = (d: Date | string | number): number => (d instanceof Date ? d.getTime() : typeof d === 'number' ? d : Date.parse(d))

export class World {
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
  /** Bumped on every mutation; lets renderers cache per version. */
  version = 0
  private clock: number
  private seq = { user: 100_000, repo: 500_000_000, issue: 1_100_000_000, comment: 1_500_000_000, review: 1_700_000_000, event: 9_000_000_000, internal: 0 }

  constructor(opts: { org?: string; now?: Date | string | number; config?: Partial<WorldConfig> } = {}) {
    this.clock = toMs(opts.now ?? '2025-06-01T00:00:00Z')
    this.config = {
      org: opts.org ?? 'acme', issuesMaxPage: 100, eventsFeedCap: 300, eventsFeedDays: 90,
      transferRedirect: 'repos', commentEditTouchesIssue: false, ...opts.config
    }
    const ghost: UserRec = { id: GHOST_ID, login: 'ghost', type: 'User', deleted: true }
    this.users.set(GHOST_ID, ghost)
    this.usersByLogin.set('ghost', ghost)
  }

  get org(): string { return this.config.org }

  // ---- clock -------------------------------------------------------------
  now(): Date { return new Date(this.clock) }
  nowMs(): number { return this.clock }
  setNow(d: Date | string | number): Date { this.clock = toMs(d); return this.now() }
  advance(d: Duration): Date {
    const ms = typeof d === 'number' ? d
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
  createRepo(name: string, opts: { archived?: boolean; private?: boolean } = {}): RepoRec {
    if (this.reposByName.has(name)) throw new Error(`repo '${name}' exists`)
    const r: RepoRec = {
      id: ++this.seq.repo, name, oldNames: [], private: opts.private ?? false, archived: opts.archived ?? false,
      createdAt: this.clock, updatedAt: this.clock, pushedAt: this.clock, nextNumber: 1,
      issues: new Map(), list: [], milestones: []
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

  // ---- issues ------------------------------------------------------------
  openIssue(repo: string, input: OpenIssueInput): IssueRec {
    const r = this.repo(repo)
    const at = input.createdAt !== undefined ? toMs(input.createdAt) : this.clock
    let milestone = 0
    if (input.milestone) {
      milestone = r.milestones.indexOf(input.milestone) + 1
      if (milestone === 0) milestone = r.milestones.push(input.milestone)
    }
    const i: IssueRec = {
      id: ++this.seq.issue, number: r.nextNumber++, repo: r, title: input.title, body: input.body ?? null,
      user: this.uid(input.user), labels: [...(input.labels ?? [])],
      assignees: (input.assignees ?? []).map((a) => this.uid(a)), milestone,
      state: 'open', stateReason: null, locked: false, lockReason: null,
      isPull: input.isPull ?? false, draft: input.draft ?? false, mergedAt: 0, mergedBy: 0,
      createdAt: at, updatedAt: at, closedAt: 0, closedBy: 0, comments: 0, rx: null, timeline: [],
      movedTo: null, deleted: false
    }
    r.issues.set(i.number, i)
    r.list.push(i)
    this.version++
    return i
  }
  /** Title and/or body edit; a title change adds a `renamed` event. */
  editIssue(repo: string, number: number, edit: { title?: string; body?: string; actor?: string }): IssueRec {
    const i = this.live(repo, number)
    if (edit.title !== undefined && edit.title !== i.title) {
      this.push(i, 'renamed', this.uid(edit.actor), [i.title, edit.title])
      i.title = edit.title
    }
    if (edit.body !== undefined) i.body = edit.body
    return this.touch(i)
  }
  comment(repo: string, number: number, c: { user?: string | null; body?: string | null }): Item {
    const i = this.live(repo, number)
    const item = this.push(i, 'commented', this.uid(c.user), null, c.body ?? null)
    i.comments++
    this.commentsById.set(item.id, item)
    this.touch(i)
    return item
  }
  editComment(_repo: string, commentId: number, body: string): Item {
    const c = this.commentItem(commentId)
    c.body = body
    c.updatedAt = this.clock
    if (this.config.commentEditTouchesIssue) this.touch(c.issue)
    this.version++
    return c
  }
  deleteComment(_repo: string, commentId: number): Item {
    const c = this.commentItem(commentId)
    c.deleted = true
    const tl = c.issue.timeline
    tl.splice(tl.indexOf(c), 1)
    c.issue.comments--
    this.commentsById.delete(commentId)
    this.touch(c.issue)
    return c
  }
  /** Adds a reaction; on GitHub reactions move neither the issue's nor the comment's updated_at. */
  react(repo: string, target: Target, content: ReactionContent, user: string): IssueRec | Item {
    const holder = this.reactionHolder(repo, target)
    const packed = this.uid(user) * 8 + REACTIONS.indexOf(content)
    if (REACTIONS.indexOf(content) < 0) throw new Error(`unknown reaction '${content}'`)
    holder.rx ??= []
    if (!holder.rx.includes(packed)) holder.rx.push(packed)
    this.version++
    return holder
  }
  unreact(repo: string, target: Target, content: ReactionContent, user: string): IssueRec | Item {
    const holder = this.reactionHolder(repo, target)
    const packed = this.uid(user) * 8 + REACTIONS.indexOf(content)
    const at = holder.rx?.indexOf(packed) ?? -1
    if (at >= 0) holder.rx!.splice(at, 1)
    this.version++
    return holder
  }
  label(repo: string, number: number, name: string, actor?: string): IssueRec {
    const i = this.live(repo, number)
    if (i.labels.includes(name)) return i
    i.labels.push(name)
    this.push(i, 'labeled', this.uid(actor), name)
    return this.touch(i)
  }
  unlabel(repo: string, number: number, name: string, actor?: string): IssueRec {
    const i = this.live(repo, number)
    const at = i.labels.indexOf(name)
    if (at < 0) return i
    i.labels.splice(at, 1)
    this.push(i, 'unlabeled', this.uid(actor), name)
    return this.touch(i)
  }
  assign(repo: string, number: number, assignee: string, actor?: string): IssueRec {
    const i = this.live(repo, number)
    const id = this.uid(assignee)
    if (i.assignees.includes(id)) return i
    i.assignees.push(id)
    this.push(i, 'assigned', this.uid(actor), id)
    return this.touch(i)
  }
  unassign(repo: string, number: number, assignee: string, actor?: string): IssueRec {
    const i = this.live(repo, number)
    const id = this.uid(assignee)
    const at = i.assignees.indexOf(id)
    if (at < 0) return i
    i.assignees.splice(at, 1)
    this.push(i, 'unassigned', this.uid(actor), id)
    return this.touch(i)
  }
  close(repo: string, number: number, opts: { actor?: string; reason?: 'completed' | 'not_planned' } = {}): IssueRec {
    const i = this.live(repo, number)
    if (i.state === 'closed') return i
    // Pull requests carry no state_reason on GitHub.
    const reason: StateReason = i.isPull ? null : (opts.reason ?? 'completed')
    i.state = 'closed'
    i.stateReason = reason
    i.closedAt = this.clock
    i.closedBy = this.uid(opts.actor)
    this.push(i, 'closed', i.closedBy, reason)
    return this.touch(i)
  }
  reopen(repo: string, number: number, opts: { actor?: string } = {}): IssueRec {
    const i = this.live(repo, number)
    if (i.state === 'open' || i.mergedAt) return i
    i.state = 'open'
    i.stateReason = i.isPull ? null : 'reopened'
    i.closedAt = 0
    i.closedBy = 0
    this.push(i, 'reopened', this.uid(opts.actor))
    return this.touch(i)
  }
  merge(repo: string, number: number, actor?: string): IssueRec {
    const i = this.live(repo, number)
    if (!i.isPull) throw new Error(`${repo}#${number} is not a pull request`)
    if (i.mergedAt || i.state === 'closed') throw new Error(`${repo}#${number} is not open`)
    const by = this.uid(actor)
    i.mergedAt = this.clock
    i.mergedBy = by
    i.draft = false
    this.push(i, 'merged', by)
    i.state = 'closed'
    i.closedAt = this.clock
    i.closedBy = by
    this.push(i, 'closed', by, null)
    i.repo.pushedAt = this.clock
    return this.touch(i)
  }
  review(repo: string, number: number, r: { user?: string | null; state: 'APPROVED' | 'CHANGES_REQUESTED' | 'COMMENTED' | 'DISMISSED'; body?: string }): Item {
    const i = this.live(repo, number)
    if (!i.isPull) throw new Error(`${repo}#${number} is not a pull request`)
    const item = this.push(i, 'reviewed', this.uid(r.user), r.state, r.body ?? '')
    this.touch(i)
    return item
  }
  readyForReview(repo: string, number: number, actor?: string): IssueRec {
    const i = this.live(repo, number)
    if (!i.draft) return i
    i.draft = false
    this.push(i, 'ready_for_review', this.uid(actor))
    return this.touch(i)
  }
  /** `source` mentioned this issue; the item (no id) lands on this issue's timeline. */
  crossReference(repo: string, number: number, ref: { actor?: string; source: { repo: string; number: number } }): Item {
    const i = this.live(repo, number)
    const src = this.issue(ref.source.repo, ref.source.number)
    const item = this.push(i, 'cross-referenced', this.uid(ref.actor), src)
    this.touch(i)
    return item
  }
  /** A commit referencing a PR (a timeline item with a sha and no id). */
  commit(repo: string, number: number, c: { message: string; actor?: string }): Item {
    const i = this.live(repo, number)
    const item = this.push(i, 'committed', this.uid(c.actor), c.message)
    i.repo.pushedAt = this.clock
    this.touch(i)
    return item
  }
  lock(repo: string, number: number, opts: { actor?: string; reason?: 'off-topic' | 'too heated' | 'resolved' | 'spam' | null } = {}): IssueRec {
    const i = this.live(repo, number)
    i.locked = true
    i.lockReason = opts.reason ?? null
    this.push(i, 'locked', this.uid(opts.actor), i.lockReason)
    return this.touch(i)
  }
  unlock(repo: string, number: number, opts: { actor?: string } = {}): IssueRec {
    const i = this.live(repo, number)
    i.locked = false
    i.lockReason = null
    this.push(i, 'unlocked', this.uid(opts.actor))
    return this.touch(i)
  }
  /**
   * Moves an issue: the target gets a new id, node id and number and keeps
   * the timeline (plus a `transferred` item); the old record stays as a
   * tombstone whose URLs answer 301.
   */
  transfer(repo: string, number: number, toRepo: string, actor?: string): IssueRec {
    const old = this.live(repo, number)
    if (old.isPull) throw new Error('pull requests cannot be transferred')
    const to = this.repo(toRepo)
    const moved: IssueRec = { ...old, id: ++this.seq.issue, number: to.nextNumber++, repo: to, labels: [...old.labels], assignees: [...old.assignees], milestone: 0, timeline: old.timeline, rx: old.rx }
    to.issues.set(moved.number, moved)
    to.list.push(moved)
    for (const it of moved.timeline) it.issue = moved
    old.movedTo = moved
    old.timeline = []
    this.push(moved, 'transferred', this.uid(actor))
    this.touch(old)
    return this.touch(moved)
  }
  deleteIssue(repo: string, number: number): IssueRec {
    const i = this.live(repo, number)
    i.deleted = true
    for (const it of i.timeline) if (it.kind === 'commented') this.commentsById.delete(it.id)
    this.version++
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
      h.update(`R${r.id}|${r.name}|${r.oldNames}|${r.private}|${r.archived}|${r.createdAt}|${r.milestones}\n`)
      for (const i of r.list) {
        h.update(`I${i.id}|${i.number}|${i.title}|${i.body}|${i.user}|${i.labels}|${i.assignees}|${i.milestone}|${i.state}|${i.stateReason}|${i.locked}|${i.isPull}|${i.draft}|${i.mergedAt}|${i.createdAt}|${i.updatedAt}|${i.closedAt}|${i.comments}|${i.rx}|${i.movedTo?.id}|${i.deleted}\n`)
        for (const t of i.timeline) {
          const arg = t.arg !== null && typeof t.arg === 'object' && 'id' in (t.arg as object) ? (t.arg as IssueRec).id : String(t.arg)
          h.update(`${t.kind}|${t.id}|${t.at}|${t.actor}|${arg}|${t.body}|${t.updatedAt}|${t.rx}\n`)
        }
      }
    }
    return h.digest('hex')
  }

  // ---- internals ---------------------------------------------------------
  private live(repo: string, number: number): IssueRec {
    const i = this.issue(repo, number)
    if (i.deleted) throw new Error(`${repo}#${number} was deleted`)
    if (i.movedTo) throw new Error(`${repo}#${number} was transferred`)
    return i
  }
  private touch(i: IssueRec): IssueRec {
    i.updatedAt = this.clock
    this.version++
    return i
  }
  private push(i: IssueRec, kind: ItemKind, actor: number, arg: unknown = null, body: string | null = null): Item {
    const id = kind === 'commented' ? ++this.seq.comment
      : kind === 'reviewed' ? ++this.seq.review
      : kind === 'cross-referenced' || kind === 'committed' ? ++this.seq.internal
      : ++this.seq.event
    const item = new Item(kind, id, this.clock, actor, i, arg, body)
    i.timeline.push(item)
    return item
  }
  private commentItem(commentId: number): Item {
    const c = this.commentsById.get(commentId)
    if (!c) throw new Error(`unknown comment ${commentId}`)
    return c
  }
  private reactionHolder(repo: string, target: Target): IssueRec | Item {
    return typeof target === 'number' ? this.live(repo, target) : this.commentItem(target.commentId)
  }
}
