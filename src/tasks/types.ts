import type { Sql } from '../db/connect.js'
import type { Octokit } from '../github/client.js'
import type { RequestMeter } from '../github/meter.js'
import type { Settings } from '../inputs.js'
import type { Log } from '../log.js'

/** What every task gets; tasks never build clients or touch the runner. */
export interface Deps {
  readonly sql: Sql
  readonly octokit: Octokit
  readonly meter: RequestMeter
  readonly log: Log
  /** The current time; tests pass the simulator's clock. */
  readonly clock: () => Date
}

/** What a task reports: counts for outputs and the summary. */
export interface TaskResult {
  /** Named counts, e.g. { repositories: 4, issues: 120, pulls: 30 }. */
  readonly counts: Readonly<Record<string, number>>
  /** True when the task stopped early (budget reserve) and a later run must continue. */
  readonly incomplete?: boolean
  /** What is left when incomplete, in words a person can act on. */
  readonly remaining?: string
  /** Markdown appended to the job summary (the report). */
  readonly summary?: string
  /** Further action outputs by name (src/constants.ts Outputs). */
  readonly outputs?: Readonly<Record<string, string>>
  /** Text for standard output (the report in the `format` asked for). */
  readonly print?: string
}

export type TaskRunner = (deps: Deps, settings: Settings) => Promise<TaskResult>
