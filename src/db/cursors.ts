import type { Cursor } from '../model/cursor.js'
import type { Queryable } from './connect.js'

export async function getCursor(sql: Queryable, task: string, repoId: number): Promise<Cursor> {
  const [row] = await sql<{ high_water: Date | null; state: Record<string, unknown> }[]>`
    select high_water, state from sync_cursors where task = ${task} and repo_id = ${repoId}`
  return { highWater: row?.high_water ?? undefined, state: row?.state ?? {} }
}

/**
 * Moves a cursor. Call it in the transaction that wrote the rows it covers,
 * so a run that dies between pages resumes from the last committed page.
 * The high-water mark only moves forward (`greatest()` in the write), so a
 * late or concurrent run that read less can never pull it back; a cursor
 * that is a position rather than a mark (backfill's) passes
 * `forwardOnly: false`.
 */
export async function setCursor(
  tx: Queryable,
  task: string,
  repoId: number,
  cursor: Cursor,
  options: { forwardOnly?: boolean } = {}
): Promise<void> {
  const forwardOnly = options.forwardOnly ?? true
  await tx`
    insert into sync_cursors as c (task, repo_id, high_water, state)
    values (${task}, ${repoId}, ${cursor.highWater ?? null}, ${tx.json(cursor.state as never)})
    on conflict (task, repo_id) do update
      set high_water = case when ${forwardOnly} then greatest(c.high_water, excluded.high_water) else excluded.high_water end,
          state = excluded.state, updated_at = now()
      where c.high_water is distinct from
              (case when ${forwardOnly} then greatest(c.high_water, excluded.high_water) else excluded.high_water end)
         or c.state is distinct from excluded.state`
}
