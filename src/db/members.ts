import { MEMBER_COLUMNS, type MemberPage, type MembershipCounts } from '../model/member.js'
import type { Queryable, Tx } from './connect.js'
import { putEtag } from './etags.js'

/** Members of `org` the database holds as current (their span there is open). */
export async function countActiveMembers(sql: Queryable, org: string): Promise<number> {
  const [{ active }] = await sql<{ active: number }[]>`
    select count(*)::int as active from member_spans
    where left_seen_at is null and (org = lower(${org}) or org = '')`
  return active
}

/** Members of `org` held as current (open span) whose ids are not in `listed`: who a listing did not show. */
export async function currentMembersNotListed(
  sql: Queryable,
  org: string,
  listed: readonly number[]
): Promise<{ id: number; login: string }[]> {
  const rows = await sql<{ id: string; login: string }[]>`
    select s.user_id as id, coalesce(m.login, s.login) as login
    from member_spans s left join members m on m.id = s.user_id
    where s.left_seen_at is null and (s.org = lower(${org}) or s.org = '')
      and not (s.user_id = any(${[...listed]}::bigint[]))
    order by s.user_id`
  return rows.map((r) => ({ id: Number(r.id), login: r.login }))
}

/**
 * Applies one listing of `org` inside the caller's transaction: upserts the
 * rows of pages that answered 200 (inserted_dt = now for new ones), opens a
 * span in `org` for everyone listed who has none open there, and closes the
 * spans in `org` of `leavers` — members the listing did not show and GitHub
 * confirmed are no longer members (a member merely missing from a walk whose
 * pages shifted is not one of them). `members.inactive` (the seed's column)
 * follows all organisations: false while any span is open, true once a
 * leaver's last span closes. Spans of other organisations are never touched.
 * Stores each page's ETag with its rows. `previousCheck` is when the last
 * successful listing of `org` ran: a join or leave seen now happened after it.
 */
export async function storeMembership(
  tx: Tx,
  org: string,
  pages: MemberPage[],
  leavers: readonly number[],
  now: Date,
  previousCheck: Date | undefined
): Promise<MembershipCounts> {
  const orgKey = org.toLowerCase()
  // Spans from before memberships were kept per organisation, not attributable
  // to one when that migration ran: the first organisation listed claims them.
  await tx`update member_spans set org = ${orgKey} where org = ''`
  // A member who shifted across a page boundary mid-walk can be listed
  // twice; one row per id, or the upsert would touch a row twice.
  const rows = [...new Map(pages.flatMap((p) => p.rows ?? []).map((r) => [r.id, r])).values()]
  const ids = [...new Set(pages.flatMap((p) => p.ids))]
  let written = 0
  if (rows.length > 0) {
    // A login now held by another account: the row that had it (someone who
    // renamed and left, so we never saw the new name) gives it up.
    await tx`
      update members set login = null
      where login = any(${rows.map((r) => r.login)}::varchar[]) and not (id = any(${ids}::bigint[]))`
    const values = rows.map((r) => ({ ...r, inserted_dt: now, inactive: false, inactive_dt: null }))
    const changed = await tx`
      insert into members ${tx(values, ...MEMBER_COLUMNS, 'inserted_dt', 'inactive', 'inactive_dt')}
      on conflict (id) do update set
        login = excluded.login, node_id = excluded.node_id, avatar_url = excluded.avatar_url,
        gravatar_id = excluded.gravatar_id, url = excluded.url, html_url = excluded.html_url,
        followers_url = excluded.followers_url, following_url = excluded.following_url,
        gists_url = excluded.gists_url, starred_url = excluded.starred_url,
        subscriptions_url = excluded.subscriptions_url, organizations_url = excluded.organizations_url,
        repos_url = excluded.repos_url, events_url = excluded.events_url,
        received_events_url = excluded.received_events_url, type = excluded.type,
        site_admin = excluded.site_admin, inactive = false, inactive_dt = null
      where (members.login, members.node_id, members.avatar_url, members.gravatar_id, members.url,
             members.html_url, members.followers_url, members.following_url, members.gists_url,
             members.starred_url, members.subscriptions_url, members.organizations_url, members.repos_url,
             members.events_url, members.received_events_url, members.type, members.site_admin,
             coalesce(members.inactive, false))
        is distinct from
            (excluded.login, excluded.node_id, excluded.avatar_url, excluded.gravatar_id, excluded.url,
             excluded.html_url, excluded.followers_url, excluded.following_url, excluded.gists_url,
             excluded.starred_url, excluded.subscriptions_url, excluded.organizations_url, excluded.repos_url,
             excluded.events_url, excluded.received_events_url, excluded.type, excluded.site_admin, false)`
    written = changed.count
  }
  // Members listed only on pages that answered 304 are stored already; make
  // sure they read as active all the same.
  await tx`update members set inactive = false, inactive_dt = null where id = any(${ids}::bigint[]) and inactive`
  const closed = await tx`
    update member_spans set left_seen_at = ${now}, left_after = ${previousCheck ?? null}
    where org = ${orgKey} and left_seen_at is null and user_id = any(${[...leavers]}::bigint[])`
  // Inactive (the seed's meaning) once a member of no synced organisation.
  const left = await tx`
    update members m set inactive = true, inactive_dt = ${now}
    where m.id = any(${[...leavers]}::bigint[]) and coalesce(m.inactive, false) = false
      and not exists (select 1 from member_spans s where s.user_id = m.id and s.left_seen_at is null)`
  await tx`
    update member_spans s set login = m.login from members m
    where s.user_id = m.id and s.left_seen_at is null and m.login is not null and s.login is distinct from m.login`
  const opened = await tx<{ came_back: boolean }[]>`
    insert into member_spans (org, user_id, login, joined_seen_at, joined_after)
    select ${orgKey}, m.id, m.login, ${now}, ${previousCheck ?? null}
    from members m
    where m.id = any(${ids}::bigint[])
      and not exists (
        select 1 from member_spans s where s.user_id = m.id and s.org = ${orgKey} and s.left_seen_at is null)
    returning exists (
      select 1 from member_spans p
      where p.user_id = member_spans.user_id and p.org = member_spans.org and p.left_seen_at is not null
    ) as came_back`
  for (const page of pages) if (page.rows && page.key) await putEtag(tx, page.key, page.etag)
  return {
    joined: opened.length,
    returned: opened.filter((r) => r.came_back).length,
    left: closed.count,
    inactive: left.count,
    written
  }
}
