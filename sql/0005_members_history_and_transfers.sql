-- Membership history (spans as observed by the members task) with was_member(),
-- and transfer-aware issue identity: transferred or deleted issues are kept
-- and marked, and their events stay reachable from the issue they became.

create table if not exists member_spans (
  user_id bigint not null,
  login varchar not null,
  joined_seen_at timestamp not null,
  joined_after timestamp,
  left_seen_at timestamp,
  left_after timestamp,
  primary key (user_id, joined_seen_at)
);
comment on table member_spans is 'Org membership over time, as observed: one row per stretch during which a user was listed by GET /orgs/{org}/members.';
comment on column member_spans.user_id is 'GitHub user id (members.id).';
comment on column member_spans.login is 'Login (kept current while the span is open).';
comment on column member_spans.joined_seen_at is 'When a listing first showed the user as a member (UTC).';
comment on column member_spans.joined_after is 'The previous successful listing, which did not show them: they joined after this. Null when they were already a member when tracking began (was_member() then counts the span from the beginning of time).';
comment on column member_spans.left_seen_at is 'When a listing first no longer showed them (UTC); null while a member.';
comment on column member_spans.left_after is 'The last listing that still showed them: they left after this.';
create unique index if not exists member_spans_open on member_spans (user_id) where left_seen_at is null;
create index if not exists member_spans_login on member_spans (lower(login));

-- Members recorded before this migration (e.g. by the seed) start with a
-- span: open for active members, closed at inactive_dt for those who left.
insert into member_spans (user_id, login, joined_seen_at, joined_after, left_seen_at)
select id, login, coalesce(inserted_dt, now() at time zone 'utc'), null,
       case when coalesce(inactive, false) then coalesce(inactive_dt, inserted_dt, now() at time zone 'utc') end
from members
where login is not null
on conflict do nothing;

create or replace function was_member(p_login text, p_at timestamp) returns boolean
language sql stable as $$
  select exists (
    select 1 from member_spans s
    where lower(s.login) = lower(p_login)
      and (s.joined_after is null or s.joined_seen_at <= p_at)
      and (s.left_seen_at is null or p_at < s.left_seen_at))
$$;
comment on function was_member(text, timestamp) is 'Whether the login was an org member at the given UTC time, as observed by the members task (joins count from when first seen, leaves from when first seen missing; members present when tracking began count from the beginning).';

create or replace function was_member_id(p_user_id bigint, p_at timestamp) returns boolean
language sql stable as $$
  select exists (
    select 1 from member_spans s
    where s.user_id = p_user_id
      and (s.joined_after is null or s.joined_seen_at <= p_at)
      and (s.left_seen_at is null or p_at < s.left_seen_at))
$$;
comment on function was_member_id(bigint, timestamp) is 'As was_member(), by GitHub user id (survives login changes): was_member_id(("user"->>''id'')::bigint, created_at).';

alter table issues add column if not exists transferred_to_id bigint;
alter table issues add column if not exists transferred_to_url varchar;
alter table issues add column if not exists transferred_at timestamp;
alter table issues add column if not exists deleted_at timestamp;
alter table issues add column if not exists transfer_checked_at timestamp;
comment on column issues.transferred_to_id is 'Id of the issue this one was transferred to (null if not transferred, or if the target is not known yet or unreadable).';
comment on column issues.transferred_to_url is 'API URL the old issue URL redirected to (Location of the 301).';
comment on column issues.transferred_at is 'When the transfer was first seen (UTC); the row is kept, with its events.';
comment on column issues.deleted_at is 'When GitHub first answered 410 (issue deleted) (UTC); the row is kept.';
comment on column issues.transfer_checked_at is 'When the transfers task last asked GitHub about this issue (UTC).';
create index if not exists issues_user_created on issues (username, created_at);
create index if not exists issues_transferred_to on issues (transferred_to_id) where transferred_to_id is not null;

alter table transfers add column if not exists status varchar not null default 'moved';
alter table transfers add column if not exists new_repo_id bigint;
alter table transfers add column if not exists location varchar;
alter table transfers add column if not exists detected_at timestamp;
comment on column transfers.status is 'moved (new issue known), or unreadable (the old URL answers 404: moved to a repository the token cannot read; new_issue_id is 0).';
comment on column transfers.new_repo_id is 'GitHub id of the new repository, when known.';
comment on column transfers.location is 'Location header of the old URL''s 301 (either /repos/{o}/{r}/issues/{n} or /repositories/{id}/issues/{n}).';
comment on column transfers.detected_at is 'When the transfers task recorded it (UTC).';

-- Old issue id → the issue it finally became (following chains A → B → C).
create or replace view issue_lineage as
with recursive chain (issue_id, current_issue_id, depth) as (
  select id, transferred_to_id, 1 from issues where transferred_to_id is not null
  union all
  select c.issue_id, i.transferred_to_id, c.depth + 1
  from chain c join issues i on i.id = c.current_issue_id
  where i.transferred_to_id is not null and c.depth < 50
)
select distinct on (issue_id) issue_id, current_issue_id from chain order by issue_id, depth desc;
comment on view issue_lineage is 'Each transferred issue id with the id of the issue it is now (after any chain of transfers).';

-- Events of an issue and of every issue transferred into it, once each
-- (GitHub moves comments with the issue, so a comment may be stored under
-- both ids; the copy under the current issue wins).
create or replace view issue_events_all as
select distinct on (coalesce(l.current_issue_id, e.issue_id), e.id)
  coalesce(l.current_issue_id, e.issue_id) as current_issue_id, e.*
from events e
left join issue_lineage l on l.issue_id = e.issue_id
order by coalesce(l.current_issue_id, e.issue_id), e.id, (l.issue_id is null) desc;
comment on view issue_events_all is 'events with current_issue_id: the issue an event belongs to now, across transfers. Join on current_issue_id to compute e.g. time to first response of a transferred issue.';

comment on column issues.state is 'open or closed; transferred (moved to another repository, see transfers and transferred_to_id) or deleted (GitHub answers 410). The seed deleted such rows, so its open/closed counts stay right; the last GitHub state of a transferred issue is transfers.state.';
create index if not exists events_transferred on events (issue_id) where event = 'transferred';
