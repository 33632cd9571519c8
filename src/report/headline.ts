// The headline figures, in the order the summary and the terminal show them.
import type { ScopeMetrics } from '../model/report.js'
import type { FigureKind } from './format.js'

export interface Figure {
  readonly label: string
  readonly kind: FigureKind
  readonly value: (m: ScopeMetrics) => number | null
  /** A figure of now, not of a period (the previous column shows nothing). */
  readonly current?: boolean
}

export const HEADLINE: readonly Figure[] = [
  { label: 'Items opened', kind: 'count', value: (m) => m.flow.opened },
  { label: 'Items closed', kind: 'count', value: (m) => m.flow.closed },
  { label: 'Pull requests merged', kind: 'count', value: (m) => m.flow.merged },
  { label: 'Closure ratio (closed ÷ opened)', kind: 'ratio', value: (m) => m.flow.closure_ratio },
  {
    label: 'Time to first response, issues (median)',
    kind: 'hours',
    value: (m) => m.time_to_first_response.issues.p50
  },
  {
    label: 'Time to first response, pull requests (median)',
    kind: 'hours',
    value: (m) => m.time_to_first_response.pull_requests.p50
  },
  {
    label: 'Time to first member response, issues (median)',
    kind: 'hours',
    value: (m) => m.time_to_first_member_response.issues.p50
  },
  {
    label: 'Time to first member response, pull requests (median)',
    kind: 'hours',
    value: (m) => m.time_to_first_member_response.pull_requests.p50
  },
  { label: 'Time to first review (median)', kind: 'hours', value: (m) => m.pull_requests.time_to_first_review.p50 },
  { label: 'Time to merge (median)', kind: 'hours', value: (m) => m.pull_requests.time_to_merge.p50 },
  { label: 'Time to close an issue (median)', kind: 'hours', value: (m) => m.issues.time_to_close.all.p50 },
  {
    label: 'Pull requests closed without merging',
    kind: 'share',
    value: (m) => m.pull_requests.closed_unmerged_share
  },
  { label: 'Issues reopened', kind: 'share', value: (m) => m.issues.reopened_share },
  { label: 'Active contributors', kind: 'count', value: (m) => m.people.active_contributors },
  { label: 'New contributors', kind: 'count', value: (m) => m.people.new_contributors },
  { label: "Members' share of activity", kind: 'share', value: (m) => m.people.members_share },
  { label: "Bots' share of activity", kind: 'share', value: (m) => m.people.bots_share },
  { label: 'Contributor absence factor', kind: 'count', value: (m) => m.people.absence_factor },
  { label: 'Waiting on us (now)', kind: 'count', value: (m) => m.waiting_on_us, current: true }
]
