// All simulated state plus a clock and the mutation API tests drive.
// Every mutation happens at world.now() and moves `updated_at` the way
// GitHub does (see sim/README.md, "updated_at").
import { REACTIONS, type IssueRec, type Item, type ReactionContent, type StateReason } from './model.js'
import { WorldState, toMs, type OpenIssueInput, type Target } from './world-state.js'

export { GHOST_ID, type Duration, type OpenIssueInput, type Target, type WorldConfig } from './world-state.js'

export class World extends WorldState {
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
      id: ++this.seq.issue,
      number: r.nextNumber++,
      repo: r,
      title: input.title,
      body: input.body ?? null,
      user: this.uid(input.user),
      labels: [...(input.labels ?? [])],
      assignees: (input.assignees ?? []).map((a) => this.uid(a)),
      milestone,
      state: 'open',
      stateReason: null,
      locked: false,
      lockReason: null,
      isPull: input.isPull ?? false,
      draft: input.draft ?? false,
      mergedAt: 0,
      mergedBy: 0,
      createdAt: at,
      updatedAt: at,
      closedAt: 0,
      closedBy: 0,
      comments: 0,
      rx: null,
      timeline: [],
      movedTo: null,
      deleted: false
    }
    r.issues.set(i.number, i)
    r.list.push(i)
    this.willChange(i, true)
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
    this.willChange(c.issue)
    c.body = body
    c.updatedAt = this.clock
    if (this.config.commentEditTouchesIssue) this.touch(c.issue)
    this.version++
    return c
  }
  deleteComment(_repo: string, commentId: number): Item {
    const c = this.commentItem(commentId)
    this.willChange(c.issue)
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
  review(
    repo: string,
    number: number,
    r: { user?: string | null; state: 'APPROVED' | 'CHANGES_REQUESTED' | 'COMMENTED' | 'DISMISSED'; body?: string }
  ): Item {
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
  /** An open pull request back to draft (`convert_to_draft`). */
  convertToDraft(repo: string, number: number, actor?: string): IssueRec {
    const i = this.live(repo, number)
    if (!i.isPull) throw new Error(`${repo}#${number} is not a pull request`)
    if (i.draft || i.state !== 'open') return i
    i.draft = true
    this.push(i, 'convert_to_draft', this.uid(actor))
    return this.touch(i)
  }
  /** `source` mentioned this issue; the item (no id) lands on this issue's timeline. */
  crossReference(
    repo: string,
    number: number,
    ref: { actor?: string; source: { repo: string; number: number } }
  ): Item {
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
  lock(
    repo: string,
    number: number,
    opts: { actor?: string; reason?: 'off-topic' | 'too heated' | 'resolved' | 'spam' | null } = {}
  ): IssueRec {
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
    const moved: IssueRec = {
      ...old,
      id: ++this.seq.issue,
      number: to.nextNumber++,
      repo: to,
      labels: [...old.labels],
      assignees: [...old.assignees],
      milestone: 0,
      timeline: old.timeline,
      rx: old.rx
    }
    to.issues.set(moved.number, moved)
    to.list.push(moved)
    this.willChange(moved, true)
    for (const it of moved.timeline) it.issue = moved
    old.movedTo = moved
    old.timeline = []
    this.push(moved, 'transferred', this.uid(actor), old.repo)
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
}
