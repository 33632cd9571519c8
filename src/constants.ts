/** Every task the `mode` input accepts, in the order the docs list them. */
export const TASKS = [
  'migrate',
  'issues',
  'pulls',
  'unmerged',
  'members',
  'transfers',
  'events',
  'daily',
  'backfill',
  'report'
] as const

export type Task = (typeof TASKS)[number]

/** Names of the action's inputs, as declared in action.yml (and mirrored as CLI flags). */
export const Inputs = {
  Mode: 'mode',
  GithubToken: 'github-token',
  ApiUrl: 'api-url',
  DatabaseUrl: 'database-url',
  DataDir: 'data-dir',
  Org: 'org',
  Repos: 'repos',
  IncludeArchived: 'include-archived',
  Since: 'since',
  Until: 'until',
  OverlapMinutes: 'overlap-minutes',
  ClosedDays: 'closed-days',
  LookbackDays: 'lookback-days',
  BackfillTimelines: 'backfill-timelines',
  BudgetReserve: 'budget-reserve',
  TimelineApi: 'timeline-api',
  MaxRateLimitWait: 'max-rate-limit-wait',
  Shard: 'shard',
  ReportFile: 'report-file',
  Format: 'format'
} as const

export type InputName = (typeof Inputs)[keyof typeof Inputs]

/** Names of the action's outputs, as declared in action.yml. */
export const Outputs = {
  Results: 'results',
  RequestsBillable: 'requests-billable',
  RequestsNotModified: 'requests-not-modified',
  GraphqlPoints: 'graphql-points',
  Usage: 'usage',
  Incomplete: 'incomplete',
  Remaining: 'remaining',
  Report: 'report'
} as const

/** GitHub REST API version sent with every request. */
export const API_VERSION = '2022-11-28'

/** `format`: how the report prints on standard output. */
export const REPORT_FORMATS = ['md', 'json', 'text'] as const
export type ReportFormat = (typeof REPORT_FORMATS)[number]
