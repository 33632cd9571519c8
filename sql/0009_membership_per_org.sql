-- Membership per organisation: one database may hold several organisations
-- (the reusable workflow takes `org`). Spans record which organisation they
-- are a membership of, so syncing org B never closes org A's spans; the
-- seed's members.inactive means "a member of no synced organisation now".

alter table member_spans add column if not exists org varchar not null default '';
comment on column member_spans.org is 'Organisation (login, lower case) this is a membership of. Empty for spans recorded before memberships were kept per organisation and not attributable; the first members run of an organisation claims them.';

-- Spans recorded so far belong to the organisation the members task listed
-- (its cursor names it), else to the only organisation whose repositories
-- are stored; otherwise they stay unattributed until a members run claims them.
update member_spans set org = coalesce(
  (select lower(state->>'org') from sync_cursors where task = 'members' and repo_id = 0 and state->>'org' is not null),
  (select min(lower(org)) from repositories having count(distinct lower(org)) = 1),
  '')
where org = '';

alter table member_spans drop constraint if exists member_spans_pkey;
alter table member_spans add primary key (org, user_id, joined_seen_at);
drop index if exists member_spans_open;
create unique index if not exists member_spans_open_per_org on member_spans (org, user_id) where left_seen_at is null;
create index if not exists member_spans_user on member_spans (user_id);
comment on table member_spans is 'Organisation membership over time, as observed: one row per stretch during which a user was listed by GET /orgs/{org}/members of one organisation (org). A member missing from one listing is asked about (GET /orgs/{org}/members/{username}) before the span is closed.';
comment on column members.inactive is 'True once the user is a member of none of the synced organisations (every span closed); false again if they come back to any.';
comment on column members.inactive_dt is 'When the user was first found a member of none of the synced organisations.';

-- was_member(login, at) and was_member_id(user_id, at) keep their meaning for
-- a one-organisation database and mean "a member of any synced organisation"
-- otherwise (the seed's members table had no organisation either); the
-- three-argument forms ask about one organisation (null: any).
comment on function was_member(text, timestamp) is 'Whether the login was a member of any synced organisation at the given UTC time, as observed by the members task (joins count from when first seen, leaves from when first confirmed gone; members present when tracking began count from the beginning). was_member(login, at, org) asks about one organisation.';
comment on function was_member_id(bigint, timestamp) is 'As was_member(), by GitHub user id (survives login changes): was_member_id(("user"->>''id'')::bigint, created_at). was_member_id(user_id, at, org) asks about one organisation.';

create or replace function was_member(p_login text, p_at timestamp, p_org text) returns boolean
language sql stable as $$
  select exists (
    select 1 from member_spans s
    where lower(s.login) = lower(p_login)
      and (p_org is null or s.org = lower(p_org) or s.org = '')
      and (s.joined_after is null or s.joined_seen_at <= p_at)
      and (s.left_seen_at is null or p_at < s.left_seen_at))
$$;
comment on function was_member(text, timestamp, text) is 'Whether the login was a member of organisation p_org (null: any synced organisation) at the given UTC time; the rule of was_member(login, at).';

create or replace function was_member_id(p_user_id bigint, p_at timestamp, p_org text) returns boolean
language sql stable as $$
  select exists (
    select 1 from member_spans s
    where s.user_id = p_user_id
      and (p_org is null or s.org = lower(p_org) or s.org = '')
      and (s.joined_after is null or s.joined_seen_at <= p_at)
      and (s.left_seen_at is null or p_at < s.left_seen_at))
$$;
comment on function was_member_id(bigint, timestamp, text) is 'As was_member(login, at, org), by GitHub user id.';

-- The metrics count a member of the item's organisation as a member (in a
-- one-organisation database: as before). Spans of two organisations overlap,
-- so joining without the organisation would count an activity twice.
create or replace view metrics.member_periods as
select lower(login) as login_key, user_id,
       case when joined_after is null then '-infinity'::timestamp else joined_seen_at end as member_from,
       coalesce(left_seen_at, 'infinity'::timestamp) as member_until,
       org
from member_spans
where lower(login) <> 'ghost';
comment on view metrics.member_periods is 'Member at t: login_key was a member of organisation org for member_from <= t < member_until (the rule of was_member(): joins count from when a listing first showed them, or from the beginning when they were members when tracking began; leaves from when a listing first no longer showed them and a lookup confirmed it). org is empty for spans not attributable to one organisation (they count for any). ghost is never a member.';

create or replace view metrics.activity as
with acts as (
  select i.id as item_id, i.kind as item_kind, i.org, i.repo, i.author as item_author, i.start_at as item_start,
         'opened'::text as kind, null::text as review_state, i.created_at as at, i.author as login,
         i.author_type as user_type
  from metrics.items i
  where i.author is not null and i.created_at is not null
  union all
  select item_id, item_kind, org, repo, item_author, item_start, kind, review_state, at, login, user_type
  from metrics.interactions
)
-- A join, not a per-row subquery: one login's spans in one organisation
-- never overlap (a span opens only while none is open there, and a login is
-- held by one account at a time), so at most one span matches an activity.
select a.*, metrics.is_human(a.login, a.user_type) as human,
       metrics.is_human(a.login, a.user_type) and m.login_key is not null as member
from acts a
left join metrics.member_periods m
  on m.login_key = lower(a.login) and a.at >= m.member_from and a.at < m.member_until
 and (m.org = lower(a.org) or m.org = '');
comment on view metrics.activity is 'Activity: an item opened (by its author, at created_at), a comment, or a submitted review (not PENDING), on a current item (metrics.items). human: metrics.is_human(); member: a human who was a member of the item''s organisation at that time. Reactions are not activity.';
comment on column metrics.activity.kind is 'opened, commented or reviewed.';
comment on column metrics.activity.review_state is 'Review state in lower case (approved, changes_requested, commented, dismissed) for reviews.';

create or replace view metrics.responses as
select a.*, true as human, m.login_key is not null as member
from metrics.interactions a
left join metrics.member_periods m
  on m.login_key = lower(a.login) and a.at >= m.member_from and a.at < m.member_until
 and (m.org = lower(a.org) or m.org = '')
where metrics.is_human(a.login, a.user_type) and a.item_start is not null and a.at >= a.item_start
  and lower(a.login) <> lower(coalesce(a.item_author, ''));
comment on view metrics.responses is 'Response: a comment or a submitted review (not PENDING) by a human who is not the item''s author, at or after its start; member: the responder was a member of the item''s organisation then. Review comments count as far as stored: the events sync skips line-commented containers, so a review''s comments count through the review (its reviewed event, at its submission time). Reactions are not responses.';
