import { migrate } from '../db/migrate.js'
import type { Deps, TaskResult } from './types.js'

/** The `migrate` task: applies pending schema migrations. */
export async function runMigrate(deps: Pick<Deps, 'sql' | 'log'>): Promise<TaskResult> {
  const applied = await migrate(deps.sql, deps.log)
  if (applied.length === 0) deps.log.info('Schema is current; nothing to apply.')
  return { counts: { applied: applied.length } }
}
