import type { BackfillState } from '../model/backfill.js'
import { CURSORS } from '../model/cursor.js'
import type { Queryable } from './connect.js'
import { setCursor } from './cursors.js'

/** A repository's stored backfill, if one was started. */
export async function loadBackfill(sql: Queryable, repoId: number): Promise<BackfillState | undefined> {
  const [row] = await sql<{ state: Partial<BackfillState> }[]>`
    select state from sync_cursors where task = ${CURSORS.backfill} and repo_id = ${repoId}`
  const s = row?.state ?? {}
  return typeof s.since === 'string' && typeof s.until === 'string' ? (s as BackfillState) : undefined
}

/** Call inside the transaction that stored the rows this state covers. */
export async function saveBackfill(tx: Queryable, repoId: number, state: BackfillState): Promise<void> {
  const highWater = state.done ? new Date(state.until) : state.position ? new Date(state.position) : undefined
  await setCursor(tx, CURSORS.backfill, repoId, { highWater, state: stripUndefined(state) }, { forwardOnly: false })
}

/** Any repository with a started, unfinished backfill, or one whose reaction counts are still to be read (one query, no GitHub request). */
export async function hasUnfinishedBackfill(sql: Queryable): Promise<boolean> {
  const [row] = await sql<{ n: number }[]>`
    select count(*)::int as n from sync_cursors
    where task = ${CURSORS.backfill}
      and (coalesce((state ->> 'done')::boolean, true) = false or state ->> 'reactions' = 'pending')`
  return row.n > 0
}

function stripUndefined(state: BackfillState): Record<string, unknown> {
  return Object.fromEntries(Object.entries(state).filter(([, v]) => v !== undefined))
}
