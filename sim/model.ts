// Compact in-memory records. Everything is stored as numbers, interned
// strings and references; JSON is rendered per request (render/*), so the
// benchmark-size org (500,000 timeline items) fits comfortably in memory.

export type UserType = 'User' | 'Bot'

export interface UserRec {
  id: number
  login: string
  type: UserType
  /** A deleted account: rendered as `null` or as GitHub's `ghost` user. */
  deleted: boolean
}

export interface RepoRec {
  id: number
  name: string
  /** Earlier names; `/repos/{org}/{old}` answers 301 to `/repositories/{id}`. */
  oldNames: string[]
  private: boolean
  archived: boolean
  /**
   * Issues enabled (GitHub's `has_issues` / `hasIssuesEnabled`). When false,
   * the repository's issue routes answer 410 and its issues are hidden; its
   * pull requests stay (see sim/README.md, "Issues disabled").
   */
  hasIssues: boolean
  /** Deleted (`World.deleteRepo`): gone from every listing and lookup. */
  deleted: boolean
  createdAt: number
  updatedAt: number
  pushedAt: number
  nextNumber: number
  /** Every issue/PR ever numbered here, including transferred-away and deleted tombstones. */
  issues: Map<number, IssueRec>
  /** Insertion-ordered list of the same records, for fast scans. */
  list: IssueRec[]
  milestones: string[]
}

export type IssueState = 'open' | 'closed'
export type StateReason = 'completed' | 'not_planned' | 'reopened' | null

export interface IssueRec {
  id: number
  number: number
  repo: RepoRec
  title: string
  /** null = rendered from the id (saves memory for generated items). */
  body: string | null
  user: number
  labels: string[]
  assignees: number[]
  milestone: number // 1-based index into repo.milestones, 0 = none
  state: IssueState
  stateReason: StateReason
  locked: boolean
  lockReason: string | null
  isPull: boolean
  draft: boolean
  mergedAt: number
  mergedBy: number
  createdAt: number
  updatedAt: number
  closedAt: number
  closedBy: number
  comments: number
  /** Reactions on the issue body, packed as userId * 8 + contentIndex. */
  rx: number[] | null
  timeline: Item[]
  /** Set on the old record when the issue was transferred. */
  movedTo: IssueRec | null
  deleted: boolean
}

export const REACTIONS = ['+1', '-1', 'laugh', 'hooray', 'confused', 'heart', 'rocket', 'eyes'] as const
export type ReactionContent = (typeof REACTIONS)[number]

export type ItemKind =
  | 'commented'
  | 'reviewed'
  | 'labeled'
  | 'unlabeled'
  | 'assigned'
  | 'unassigned'
  | 'closed'
  | 'reopened'
  | 'merged'
  | 'renamed'
  | 'locked'
  | 'unlocked'
  | 'transferred'
  | 'cross-referenced'
  | 'committed'
  | 'ready_for_review'
  | 'convert_to_draft'

/** Kinds that GitHub renders without an `id` in the timeline. */
export const NO_ID_KINDS: ReadonlySet<ItemKind> = new Set(['cross-referenced', 'committed'])
/** Kinds listed by the issue-events endpoints (comments, reviews, commits are not events). */
export const EVENT_KINDS: ReadonlySet<ItemKind> = new Set([
  'labeled',
  'unlabeled',
  'assigned',
  'unassigned',
  'closed',
  'reopened',
  'merged',
  'renamed',
  'locked',
  'unlocked',
  'transferred',
  'ready_for_review',
  'convert_to_draft'
])

/**
 * One timeline item. A single class keeps one hidden class in V8 for all
 * 500k items; `arg` holds the kind-specific payload:
 * labeled/unlabeled → label name, assigned/unassigned → assignee user id,
 * closed → state_reason, reviewed → review state, renamed → [from, to],
 * cross-referenced → source IssueRec, committed → commit message,
 * locked → lock reason, transferred → the RepoRec it came from.
 */
export class Item {
  constructor(
    public kind: ItemKind,
    /** GitHub id (comment/review/event id); an internal sequence for no-id kinds. */
    public id: number,
    public at: number,
    public actor: number,
    public issue: IssueRec,
    public arg: unknown = null,
    public body: string | null = null,
    public updatedAt: number = at,
    public rx: number[] | null = null,
    public deleted = false
  ) {}
}
