import type { Queryable } from '../db/connect.js'
import { setCursor } from '../db/cursors.js'

/** The cursor task under which backfill keeps its per-repository progress. */
export const BACKFILL_CURSOR = 'backfill'

/** How a repository's range is read: the issues listing, or search windows over `created`. */
export type BackfillRoute = 'listing' | 'search'

/**
 * A repository's backfill, resumable: kept in sync_cursors.state and moved
 * only in the transaction that stored the rows it covers.
 */
export interface BackfillState {
  /** Range start (ISO), inclusive. */
  since: string
  /** Range end (ISO), inclusive; fixed when the backfill starts, so a resumed run reads the same range. */
  until: string
  /** Whether timelines are loaded; fixed when the backfill starts, so a continuation keeps it. */
  timelines?: boolean
  /** Chosen once per backfill and kept, so a resumed run continues the same walk. */
  route?: BackfillRoute
  /** listing: the Link URL of the next page to read (absent: the first page). */
  next?: string
  /** search: windows are stored up to this instant (ISO, exclusive). */
  doneTo?: string
  /** Latest created_at stored (ISO), for progress. */
  position?: string
  /** Pages (listing) or windows (search) stored. */
  units: number
  /** Issues and pull requests stored. */
  stored: number
  /** The whole range is stored. */
  done: boolean
}

export async function loadState(sql: Queryable, repoId: number): Promise<BackfillState | undefined> {
  const [row] = await sql<{ state: Partial<BackfillState> }[]>`
    select state from sync_cursors where task = ${BACKFILL_CURSOR} and repo_id = ${repoId}`
  const s = row?.state ?? {}
  return typeof s.since === 'string' && typeof s.until === 'string' ? (s as BackfillState) : undefined
}

/** Call inside the transaction that stored the rows this state covers. */
export async function saveState(tx: Queryable, repoId: number, state: BackfillState): Promise<void> {
  const highWater = state.done ? new Date(state.until) : state.position ? new Date(state.position) : undefined
  await setCursor(tx, BACKFILL_CURSOR, repoId, { highWater, state: stripUndefined(state) })
}

export function newState(since: Date, until: Date, timelines = true): BackfillState {
  return { since: since.toISOString(), until: until.toISOString(), timelines, units: 0, stored: 0, done: false }
}

/**
 * What this run does for a repository given the inputs and its stored state:
 * a dispatch with `since` starts a backfill, or continues the stored one when
 * it has the same range (`until` omitted means "the stored one"); a run
 * without `since` (the hourly continuation) only continues unfinished ones.
 */
export function planRepository(
  stored: BackfillState | undefined,
  since: Date | undefined,
  until: Date | undefined,
  now: Date,
  timelines = true
): BackfillState | undefined {
  if (!since) return stored && !stored.done ? stored : undefined
  const sameRange =
    stored !== undefined &&
    stored.since === since.toISOString() &&
    (until === undefined || stored.until === until.toISOString())
  if (sameRange) return stored
  return newState(since, until ?? now, timelines)
}

function stripUndefined(state: BackfillState): Record<string, unknown> {
  return Object.fromEntries(Object.entries(state).filter(([, v]) => v !== undefined))
}
