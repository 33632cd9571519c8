/** How far a task has synced one repository (repo id 0: organisation-wide). */
export interface Cursor {
  /** Latest GitHub time (or window end) fully stored. */
  highWater?: Date
  /** Task-specific resumable state. */
  state: Record<string, unknown>
}

/** `sync_cursors.task` names. */
export const CURSORS = {
  /** issues: the newest updated_at stored, per repository. */
  issues: 'issues',
  /** issues, search path: the end of the last complete org-wide search, per repository. */
  issuesSearch: 'issues-search',
  /** issues: per repository, when a consistent listing last confirmed every change up to then is stored. */
  issuesSynced: 'issues-synced',
  /** issues with a stable token: whether busy runs search the org instead of listing each repository; repo 0. */
  issuesMode: 'issues-mode',
  /** issues with a rotating token: when the last consistency listing (GraphQL, never lagging) was taken; repo 0. */
  consistency: 'issues-consistency',
  /** pulls: the newest pull request updated_at checked, per repository. */
  pulls: 'pulls',
  /** unmerged: closed-unmerged pull requests reconciled up to here, per repository. */
  unmerged: 'unmerged',
  /** events: the newest issue updated_at whose timeline is stored, per repository. */
  events: 'events',
  /** events: org-wide (repo 0), when comments' reaction counts were last refreshed. */
  reactions: 'reactions',
  /** members: org-wide (repo 0), the ids of each page of the last listing. */
  members: 'members',
  /** repositories: org-wide (repo 0), when each org's list was fetched and verified. */
  repositories: 'repositories',
  /** daily: per repository, the end of the last complete merged/not-merged reconciliation. */
  daily: 'daily',
  /** backfill: per repository, its BackfillState. */
  backfill: 'backfill',
  /** transfers: per repository, the daily open-issue listing. */
  transfersOpen: 'transfers-open',
  /** transfers: per repository, the weekly listing of every issue's id (deleted closed issues). */
  transfersAll: 'transfers-all'
} as const
