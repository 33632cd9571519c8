import type { Task } from './constants.js'
import type { Usage } from './github/meter.js'
import type { TaskResult } from './tasks/types.js'

/** One task's outcome in a run. */
export interface TaskReport extends TaskResult {
  readonly task: Task
  /** Another run held this task's lock, so this run skipped it. */
  readonly skipped?: boolean
  readonly requests: Usage
  readonly seconds: number
}

/** What a run did: written to the outputs and the job summary. */
export interface RunReport {
  readonly ok: boolean
  readonly error?: string
  readonly tasks: TaskReport[]
  readonly requests: Usage
  readonly incomplete: boolean
}
