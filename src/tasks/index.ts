import type { Task } from '../constants.js'
import { runBackfill } from './backfill.js'
import { runDaily } from './daily.js'
import { runEvents } from './events.js'
import { runIssues } from './issues.js'
import { runMembers } from './members.js'
import { runMigrate } from './migrate.js'
import { runPulls } from './pulls.js'
import { runReport } from './report.js'
import { runTransfers } from './transfers.js'
import { runUnmerged } from './unmerged.js'
import type { TaskRunner } from './types.js'

/** Thrown by tasks that have not been built yet: never a silent success. */
export class NotAvailableError extends Error {
  constructor(task: Task) {
    super(`Task '${task}' is not available yet in this version of contributor-metrics.`)
    this.name = 'NotAvailableError'
  }
}

const placeholders = new WeakSet<TaskRunner>()

/**
 * A runner for a task not built yet: fails loudly. Exported so a release can
 * withdraw a task without a registry edit elsewhere; isAvailable() sees it.
 */
export const notAvailable = (task: Task): TaskRunner => {
  const runner: TaskRunner = async () => {
    throw new NotAvailableError(task)
  }
  placeholders.add(runner)
  return runner
}

/** Every task's runner; a task missing here is a compile error. */
export const TASK_RUNNERS: Record<Task, TaskRunner> = {
  migrate: runMigrate,
  issues: runIssues,
  pulls: runPulls,
  unmerged: runUnmerged,
  members: runMembers,
  transfers: runTransfers,
  events: runEvents,
  daily: runDaily,
  backfill: runBackfill,
  report: runReport
}

/** Whether a task is built in this version (false for the not-available placeholders). */
export function isAvailable(task: Task): boolean {
  return !placeholders.has(TASK_RUNNERS[task])
}
