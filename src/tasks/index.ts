import type { Task } from '../constants.js'
import { runMigrate } from './migrate.js'
import type { TaskRunner } from './types.js'

/** Thrown by tasks that have not been built yet: never a silent success. */
export class NotAvailableError extends Error {
  constructor(task: Task) {
    super(`Task '${task}' is not available yet in this version of contributor-metrics.`)
    this.name = 'NotAvailableError'
  }
}

const notAvailable =
  (task: Task): TaskRunner =>
  async () => {
    throw new NotAvailableError(task)
  }

/** Every task's runner; a task missing here is a compile error. */
export const TASK_RUNNERS: Record<Task, TaskRunner> = {
  migrate: runMigrate,
  issues: notAvailable('issues'),
  pulls: notAvailable('pulls'),
  unmerged: notAvailable('unmerged'),
  members: notAvailable('members'),
  transfers: notAvailable('transfers'),
  events: notAvailable('events'),
  daily: notAvailable('daily'),
  backfill: notAvailable('backfill')
}
