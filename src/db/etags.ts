import type { Queryable } from './connect.js'

/** The stored ETag of the last 200 answer for a request key, if any. */
export async function getEtag(sql: Queryable, key: string): Promise<string | undefined> {
  const [row] = await sql<{ etag: string }[]>`select etag from http_etags where key = ${key}`
  return row?.etag
}

/**
 * Stores (or, with no ETag, forgets) the ETag for a request key. Call it in
 * the transaction that stores the page's rows: a 304 later means "you have
 * this", which is only true once those rows are committed.
 */
export async function putEtag(tx: Queryable, key: string, etag: string | undefined): Promise<void> {
  if (!etag) {
    await tx`delete from http_etags where key = ${key}`
    return
  }
  await tx`
    insert into http_etags (key, etag) values (${key}, ${etag})
    on conflict (key) do update set etag = excluded.etag, updated_at = now()
    where http_etags.etag is distinct from excluded.etag`
}
