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
 */
export async function setCursor(tx: Queryable, task: string, repoId: number, cursor: Cursor): Promise<void> {
  await tx`
    insert into sync_cursors (task, repo_id, high_water, state)
    values (${task}, ${repoId}, ${cursor.highWater ?? null}, ${tx.json(cursor.state as never)})
    on conflict (task, repo_id) do update
      set high_water = excluded.high_water, state = excluded.state, updated_at = now()
      where sync_cursors.high_water is distinct from excluded.high_water
         or sync_cursors.state is distinct from excluded.state`
}
