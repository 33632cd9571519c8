import type { Queryable, Sql } from './connect.js'

/** How long a token is remembered after its last run (a PAT used daily stays known). */
const REMEMBER_DAYS = 30
/** Fingerprints kept; a scheduled App-token job adds one per run, so older ones are dropped. */
const KEEP = 16

/** What the database knew of a token before this run noted it. */
export type TokenHistory = 'same' | 'new' | 'first'

/**
 * Records that a run uses the token with this fingerprint and says whether
 * an earlier run (within 30 days) used the same one (`same`), only other
 * tokens (`new`), or no token is on record yet (`first`). In one
 * transaction under a row lock, so concurrent runs keep each other's.
 */
export async function noteTokenFingerprint(sql: Sql, fingerprint: string, now: Date): Promise<TokenHistory> {
  return sql.begin((tx) => note(tx, fingerprint, now))
}

async function note(tx: Queryable, fingerprint: string, now: Date): Promise<TokenHistory> {
  await tx`insert into sync_cursors (task, repo_id, state) values ('tokens', 0, '{"seen":[]}') on conflict do nothing`
  const [row] = await tx<{ state: { seen?: { fp: string; at: string }[] } }[]>`
    select state from sync_cursors where task = 'tokens' and repo_id = 0 for update`
  const cutoff = now.getTime() - REMEMBER_DAYS * 86_400_000
  const seen = (row?.state.seen ?? []).filter((s) => Date.parse(s.at) >= cutoff)
  const before: TokenHistory = seen.length === 0 ? 'first' : seen.some((s) => s.fp === fingerprint) ? 'same' : 'new'
  const next = [{ fp: fingerprint, at: now.toISOString() }, ...seen.filter((s) => s.fp !== fingerprint)].slice(0, KEEP)
  await tx`
    update sync_cursors set state = ${tx.json({ seen: next } as never)}, updated_at = now()
    where task = 'tokens' and repo_id = 0`
  return before
}
