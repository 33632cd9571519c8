import type { Queryable } from '../db/connect.js'
import { markNewestChecked } from '../db/transfers.js'
import type { TransferCandidate } from '../model/transfer.js'

/**
 * After the probes: a duplicate group whose older members were all asked is
 * settled, so its newest member is marked checked too, and the group is not
 * dirty again until another issue joins it.
 */
export async function markGroupsChecked(
  tx: Queryable,
  all: TransferCandidate[],
  done: TransferCandidate[],
  now: Date
): Promise<void> {
  const doneIds = new Set(done.map((c) => c.id))
  const groups = new Map<number, boolean>()
  for (const c of all) {
    if (c.newest === undefined) continue
    groups.set(c.newest, (groups.get(c.newest) ?? true) && doneIds.has(c.id))
  }
  const settled = [...groups].filter(([, ok]) => ok).map(([newest]) => newest)
  await markNewestChecked(tx, settled, now)
}
