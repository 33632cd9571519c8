/**
 * Where a transferred issue went, as GitHub's 301 `Location` (or a followed
 * redirect's final URL, or the moved issue's `repository_url`) names it.
 */
export type IssueLocation =
  | { form: 'repos'; owner: string; repo: string; number: number }
  | { form: 'repositories'; repoId: number; number: number }

/** An issue row the transfers task asks GitHub about. */
export interface HeldRow {
  id: number
  repoId: number | null
  org: string
  repo: string
  number: number
  url: string
}

/** A held row whose move is known but whose new issue is not yet. */
export interface PendingMove extends HeldRow {
  location: string
  transferredAt: Date
}

/** An issue worth one transfer check, and why. */
export interface TransferCandidate extends HeldRow {
  signal: 'timeline' | 'duplicate' | 'vanished'
  /** For duplicates: the newest id of its username + created_at group (never itself a source). */
  newest?: number
}

/** The issue a transferred one became, as far as the seed's transfers columns need it. */
export interface NewIssue {
  id: number
  repoId: number | null
  owner: string
  repo: string
  number: number
  url: string
  htmlUrl: string
}
