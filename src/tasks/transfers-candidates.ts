import type { Queryable, Sql } from '../db/connect.js'
import { held, type HeldRow, type HeldRowSql } from './transfers-store.js'

/** An issue worth one request, and why. */
export interface Candidate extends HeldRow {
  signal: 'timeline' | 'duplicate' | 'vanished'
  /** For duplicates: the newest id of its username + created_at group (never itself a source). */
  newest?: number
}

/**
 * Candidates for a transfer or deletion check, from our rows only:
 * - timeline: an issue holding a `transferred` item (written by the events
 *   task) has an older twin — same author, same created_at, which a transfer
 *   keeps — not yet checked since that item;
 * - duplicate: the seed's heuristic, a username + created_at group of two or
 *   more unmarked issues that gained a member not yet checked; every member
 *   but the newest (a transfer's target has the higher id) is asked once;
 * Only issues of the selected repositories are candidates; each appears once.
 */
export async function findTransferCandidates(sql: Sql, repoIds: number[]): Promise<Candidate[]> {
  const timeline = await sql<HeldRowSql[]>`
    select distinct o.id, o.repo_id, o.org, o.repo, o.number, o.url
    from events e
    join issues n on n.id = e.issue_id
    join issues o on o.username = n.username and o.created_at = n.created_at and o.id < n.id
    where e.event = 'transferred'
      and o.repo_id = any(${repoIds}::bigint[])
      and o.transferred_at is null and o.deleted_at is null
      and (o.transfer_checked_at is null or o.transfer_checked_at < e.created_at)
      and not exists (select 1 from transfers t where t.new_issue_id = n.id)
    order by o.id`
  const duplicates = await sql<(HeldRowSql & { newest: string })[]>`
    with unmarked as (
      select id, repo_id, org, repo, number, url, username, created_at, transfer_checked_at
      from issues where transferred_at is null and deleted_at is null and created_at is not null
    ), dirty as (
      select username, created_at, max(id) as newest from unmarked
      group by username, created_at
      having count(*) > 1 and bool_or(transfer_checked_at is null)
    )
    select u.id, u.repo_id, u.org, u.repo, u.number, u.url, d.newest
    from unmarked u join dirty d on d.username = u.username and d.created_at = u.created_at
    where u.id < d.newest and u.repo_id = any(${repoIds}::bigint[])
    order by u.id`
  const byId = new Map<number, Candidate>()
  const add = (r: HeldRowSql, signal: Candidate['signal'], newest?: string): void => {
    const known = byId.get(Number(r.id))
    // A candidate found twice keeps its first signal and its duplicate group.
    if (known) known.newest ??= newest === undefined ? undefined : Number(newest)
    else byId.set(Number(r.id), { ...held(r), signal, ...(newest ? { newest: Number(newest) } : {}) })
  }
  for (const r of timeline) add(r, 'timeline')
  for (const r of duplicates) add(r, 'duplicate', r.newest)
  return [...byId.values()]
}

/**
 * After the probes: a duplicate group whose older members were all asked is
 * settled, so its newest member is marked checked too, and the group is not
 * dirty again until another issue joins it.
 */
export async function markGroupsChecked(tx: Queryable, all: Candidate[], done: Candidate[], now: Date): Promise<void> {
  const doneIds = new Set(done.map((c) => c.id))
  const groups = new Map<number, boolean>()
  for (const c of all) {
    if (c.newest === undefined) continue
    groups.set(c.newest, (groups.get(c.newest) ?? true) && doneIds.has(c.id))
  }
  const settled = [...groups].filter(([, ok]) => ok).map(([newest]) => newest)
  if (settled.length === 0) return
  await tx`
    update issues set transfer_checked_at = ${now}
    where id = any(${settled}::bigint[]) and transfer_checked_at is null`
}
