-- Contributor metrics computed from the stored history (the report task).
-- Everything lives in the `metrics` schema and only reads the synced tables:
-- row-level views (items, activity, item timings, waiting on us), period
-- functions (durations, flow, item counts, people; grouping sets give one row
-- per repository and one for the whole org, repo null), and monthly views
-- over those functions. Definitions are in the comments below and in the
-- README ("Metrics"); the tests compare every figure with an independent
-- computation on the simulated GitHub.

create schema if not exists metrics;
-- The period functions are plain SQL (stable, no SET clause) so that the
-- planner inlines them into the calling query and plans with the actual
-- period; a function planned on its own gets a generic plan, much slower
-- here. The report runs with jit off (db/metrics.ts).
comment on schema metrics is 'Contributor metrics over the stored history (views and period functions); read-only. See the README, "Metrics", for the definitions.';

-- Indexes the views use: the period's items by creation time, and the few
-- timeline kinds the metrics read, so no query scans events once per item.
create index if not exists issues_created on issues (created_at);
create index if not exists pull_requests_created on pull_requests (created_at);
create index if not exists events_responses on events (issue_id, created_at) where event in ('commented', 'reviewed');
create index if not exists events_responses_created on events (created_at) where event in ('commented', 'reviewed');
create index if not exists events_draft_toggles on events (issue_id, created_at) where event in ('ready_for_review', 'convert_to_draft');
create index if not exists events_reopened on events (issue_id) where event = 'reopened';

create or replace function metrics.is_human(p_login text, p_type text) returns boolean
language sql immutable as $$
  select p_login is not null and coalesce(p_type, 'User') <> 'Bot' and p_login not like '%[bot]'
$$;
comment on function metrics.is_human(text, text) is 'Human: an actor whose type is not Bot and whose login does not end in [bot]. A deleted account (ghost) is human. Null login (a git commit author) is no actor.';

create or replace function metrics.hours(p_interval interval) returns double precision
language sql immutable as $$ select extract(epoch from p_interval)::double precision / 3600 $$;
comment on function metrics.hours(interval) is 'An interval in hours (fractional).';

-- Membership spans as ranges, for set-based joins; the same rule as was_member().
create or replace view metrics.member_periods as
select lower(login) as login_key, user_id,
       case when joined_after is null then '-infinity'::timestamp else joined_seen_at end as member_from,
       coalesce(left_seen_at, 'infinity'::timestamp) as member_until
from member_spans
where lower(login) <> 'ghost';
comment on view metrics.member_periods is 'Member at t: login_key was a member for member_from <= t < member_until (the rule of was_member(): joins count from when a listing first showed them, or from the beginning when they were members when tracking began; leaves from when a listing first no longer showed them). ghost is never a member.';

create or replace function metrics.was_member(p_login text, p_at timestamp) returns boolean
language sql stable as $$
  select lower(coalesce(p_login, 'ghost')) <> 'ghost' and public.was_member(p_login, p_at)
$$;
comment on function metrics.was_member(text, timestamp) is 'Member at t: public.was_member(), except that a deleted account (ghost) is never a member.';

-- One row per item (issue or pull request) where it lives now.
create or replace view metrics.items as
with first_incarnation as (
  select l.current_issue_id as id, min(o.created_at) as created_at
  from issue_lineage l join issues o on o.id = l.issue_id
  group by l.current_issue_id
), toggles as (
  select issue_id,
         min(created_at) filter (where event = 'ready_for_review') as first_ready_at,
         (array_agg(event order by created_at, id))[1] as first_toggle
  from events
  where event in ('ready_for_review', 'convert_to_draft')
  group by issue_id
), pulls as (
  select p.*, coalesce(p.merged_at, (p.pull_request ->> 'merged_at')::timestamp,
                       case when p.merged and p.state = 'closed' then p.closed_at end) as merged_time
  from pull_requests p
)
select i.id, 'issue'::text as kind, i.org, i.repo, i.repo_id, i.number, i.html_url, i.title,
       i.username as author, i."user" ->> 'type' as author_type,
       least(i.created_at, f.created_at) as created_at,
       least(i.created_at, f.created_at) as start_at,
       i.state, i.state_reason, case when i.state = 'closed' then i.closed_at end as closed_at,
       false as merged, null::timestamp as merged_at, false as draft
from issues i
left join first_incarnation f on f.id = i.id
where i.transferred_to_id is null and i.transferred_to_url is null and i.deleted_at is null
  and coalesce(i.state, 'open') not in ('transferred', 'deleted')
union all
select p.id, 'pull_request', p.org, p.repo, p.repo_id, p.number, p.html_url, p.title,
       p.username, p."user" ->> 'type',
       p.created_at,
       case when t.first_toggle = 'ready_for_review' or (t.first_toggle is null and coalesce(p.draft, false))
            then t.first_ready_at else p.created_at end,
       p.state, p.state_reason, case when p.state = 'closed' then p.closed_at end,
       p.merged_time is not null, p.merged_time, coalesce(p.draft, false)
from pulls p
left join toggles t on t.issue_id = p.id;
comment on view metrics.items is 'Item: an issue or a pull request, once, in the repository it lives in now. A transferred issue is its newest incarnation with created_at of its first; transferred-away rows and deleted issues are left out. start_at: created_at; for a pull request opened as a draft (its first ready_for_review/convert_to_draft event is ready_for_review, or it is a draft with neither) its first ready_for_review; null while still in draft.';
comment on column metrics.items.kind is 'issue or pull_request.';
comment on column metrics.items.created_at is 'Creation time of the first incarnation (UTC).';
comment on column metrics.items.start_at is 'When the item started asking for a response: created_at, or a draft pull request''s first ready_for_review; null while in draft.';
comment on column metrics.items.closed_at is 'Close (or merge) time while closed, else null.';
comment on column metrics.items.merged_at is 'Merge time of a merged pull request.';

-- Timeline rows of each current item, across transfers, once each (a comment
-- moved with the issue is stored under both ids; the current copy wins).
create or replace view metrics.item_events as
select e.issue_id as item_id, e.id as event_id, e.event, e.state, e.created_at, e.username,
       e."user" ->> 'type' as user_type
from events e
union all
select l.current_issue_id, e.id, e.event, e.state, e.created_at, e.username, e."user" ->> 'type'
from issue_lineage l
join events e on e.issue_id = l.issue_id
where not exists (select 1 from events c where c.id = e.id and c.issue_id = l.current_issue_id);
comment on view metrics.item_events is 'events of every item including those stored under the ids it had before a transfer, once per event id; item_id joins metrics.items.id.';

-- Comments and submitted reviews on current items.
create or replace view metrics.interactions as
select i.id as item_id, i.kind as item_kind, i.org, i.repo, i.author as item_author, i.start_at as item_start,
       e.event as kind, lower(e.state) as review_state, e.created_at as at, e.username as login, e.user_type
from metrics.items i
join metrics.item_events e on e.item_id = i.id
where (e.event = 'commented' or (e.event = 'reviewed' and upper(coalesce(e.state, '')) <> 'PENDING'))
  and e.username is not null and e.created_at is not null;
comment on view metrics.interactions is 'Comments and submitted reviews (not PENDING) on current items (metrics.items), across transfers.';

-- Activity: opening an item, commenting, submitting a review.
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
-- A join, not a per-row subquery: one login's spans never overlap (a span
-- opens only while none is open, and a login is held by one account at a
-- time), so at most one span matches an activity.
select a.*, metrics.is_human(a.login, a.user_type) as human,
       metrics.is_human(a.login, a.user_type) and m.login_key is not null as member
from acts a
left join metrics.member_periods m
  on m.login_key = lower(a.login) and a.at >= m.member_from and a.at < m.member_until;
comment on view metrics.activity is 'Activity: an item opened (by its author, at created_at), a comment, or a submitted review (not PENDING), on a current item (metrics.items). human: metrics.is_human(); member: a human who was a member at that time. Reactions are not activity.';
comment on column metrics.activity.kind is 'opened, commented or reviewed.';
comment on column metrics.activity.review_state is 'Review state in lower case (approved, changes_requested, commented, dismissed) for reviews.';

-- Response: a comment or submitted review by a human other than the author,
-- at or after the item's start. (The membership join is metrics.activity's.)
create or replace view metrics.responses as
select a.*, true as human, m.login_key is not null as member
from metrics.interactions a
left join metrics.member_periods m
  on m.login_key = lower(a.login) and a.at >= m.member_from and a.at < m.member_until
where metrics.is_human(a.login, a.user_type) and a.item_start is not null and a.at >= a.item_start
  and lower(a.login) <> lower(coalesce(a.item_author, ''));
comment on view metrics.responses is 'Response: a comment or a submitted review (not PENDING) by a human who is not the item''s author, at or after its start. Review comments count as far as stored: the events sync skips line-commented containers, so a review''s comments count through the review (its reviewed event, at its submission time). Reactions are not responses.';

create or replace view metrics.item_timings as
select i.*, r.first_response_at, r.first_member_response_at, r.first_review_at, r.first_approval_at,
       (i.state_reason = 'reopened' or exists (
          select 1 from metrics.item_events e where e.item_id = i.id and e.event = 'reopened')) as reopened
from metrics.items i
left join (
  select item_id,
         min(at) as first_response_at,
         min(at) filter (where member) as first_member_response_at,
         min(at) filter (where kind = 'reviewed') as first_review_at,
         min(at) filter (where kind = 'reviewed' and review_state = 'approved') as first_approval_at
  from metrics.responses
  group by item_id
) r on r.item_id = i.id;
comment on view metrics.item_timings is 'Per item: its first response, first response by a member at the time, first review and first approval (reviews by humans other than the author at or after the start), and whether it was ever reopened.';

-- Every duration of every item, one row per (item, metric): value_hours when
-- the item has a value, waiting_from when it is still waiting (censored).
create or replace view metrics.item_durations as
select t.id as item_id, t.kind, t.org, t.repo, t.number, t.created_at, m.metric, m.value_hours, m.waiting_from
from metrics.item_timings t
cross join lateral (values
  ('time_to_first_response', metrics.hours(t.first_response_at - t.start_at),
     case when t.start_at is not null and t.first_response_at is null and t.state = 'open' then t.start_at end),
  ('time_to_first_member_response', metrics.hours(t.first_member_response_at - t.start_at),
     case when t.start_at is not null and t.first_member_response_at is null and t.state = 'open' then t.start_at end),
  ('time_to_first_review', case when t.kind = 'pull_request' then metrics.hours(t.first_review_at - t.start_at) end,
     case when t.kind = 'pull_request' and t.start_at is not null and t.first_review_at is null and t.state = 'open' then t.start_at end),
  ('time_to_first_approval', case when t.kind = 'pull_request' then metrics.hours(t.first_approval_at - t.start_at) end,
     case when t.kind = 'pull_request' and t.start_at is not null and t.first_approval_at is null and t.state = 'open' then t.start_at end),
  ('approval_to_merge', case when t.merged and t.first_approval_at <= t.merged_at then metrics.hours(t.merged_at - t.first_approval_at) end,
     case when t.kind = 'pull_request' and t.state = 'open' then t.first_approval_at end),
  ('time_to_merge', case when t.merged then metrics.hours(t.merged_at - t.created_at) end,
     case when t.kind = 'pull_request' and t.state = 'open' then t.created_at end),
  ('time_to_close', case when t.kind = 'issue' and t.state = 'closed' then metrics.hours(t.closed_at - t.created_at) end,
     case when t.kind = 'issue' and t.state = 'open' then t.created_at end),
  ('time_to_close_completed', case when t.kind = 'issue' and t.state = 'closed' and t.state_reason = 'completed' then metrics.hours(t.closed_at - t.created_at) end, null::timestamp),
  ('time_to_close_not_planned', case when t.kind = 'issue' and t.state = 'closed' and t.state_reason = 'not_planned' then metrics.hours(t.closed_at - t.created_at) end, null),
  ('time_to_close_other', case when t.kind = 'issue' and t.state = 'closed' and coalesce(t.state_reason, '') not in ('completed', 'not_planned') then metrics.hours(t.closed_at - t.created_at) end, null)
) as m(metric, value_hours, waiting_from)
where m.value_hours is not null or m.waiting_from is not null;
comment on view metrics.item_durations is 'Durations in hours per item and metric. time_to_first_response / time_to_first_member_response: first (member) response minus start; time_to_first_review, time_to_first_approval: first review / approval minus start (pull requests); approval_to_merge: merge minus first approval; time_to_merge: merge minus creation; time_to_close(_completed|_not_planned|_other): close minus creation (issues, by state_reason). waiting_from is set for open items with no value yet (censored), the time their wait is counted from.';

create or replace function metrics.durations(p_since timestamp, p_until timestamp, p_as_of timestamp,
                                             p_monthly boolean default false, p_repos text[] default null)
returns table (org varchar, repo varchar, month timestamp, kind text, metric text, n bigint,
               p50 double precision, p75 double precision, p90 double precision, mean double precision,
               censored bigint, censored_age_p50 double precision)
language sql stable as $$
  select d.org, d.repo, d.month, d.kind, d.metric,
         count(d.value_hours),
         percentile_cont(0.5) within group (order by d.value_hours),
         percentile_cont(0.75) within group (order by d.value_hours),
         percentile_cont(0.9) within group (order by d.value_hours),
         avg(d.value_hours),
         count(d.waiting_from),
         percentile_cont(0.5) within group (order by metrics.hours(p_as_of - d.waiting_from))
  from (select x.*, case when p_monthly then date_trunc('month', x.created_at) end as month
        from metrics.item_durations x
        where x.created_at >= p_since and x.created_at < p_until and (p_repos is null or x.repo = any(p_repos))) d
  group by grouping sets ((d.org, d.repo, d.month, d.kind, d.metric), (d.org, d.month, d.kind, d.metric))
$$;
comment on function metrics.durations(timestamp, timestamp, timestamp, boolean, text[]) is 'Durations of the items created in [p_since, p_until): per metric and kind, n (items with a value), p50/p75/p90 (percentile_cont, as numpy''s default) and mean in hours, censored (open items still waiting) and the median of their age at p_as_of. One row per repository and one with repo null for the org; per calendar month of creation when p_monthly.';

create or replace function metrics.item_counts(p_since timestamp, p_until timestamp,
                                               p_monthly boolean default false, p_repos text[] default null)
returns table (org varchar, repo varchar, month timestamp, issues bigint, issues_reopened bigint,
               pulls bigint, pulls_closed bigint, pulls_merged bigint, pulls_closed_unmerged bigint)
language sql stable as $$
  select t.org, t.repo, t.month,
         count(*) filter (where t.kind = 'issue'),
         count(*) filter (where t.kind = 'issue' and t.reopened),
         count(*) filter (where t.kind = 'pull_request'),
         count(*) filter (where t.kind = 'pull_request' and t.state = 'closed'),
         count(*) filter (where t.kind = 'pull_request' and t.merged),
         count(*) filter (where t.kind = 'pull_request' and t.state = 'closed' and not t.merged)
  from (select x.*, case when p_monthly then date_trunc('month', x.created_at) end as month
        from metrics.item_timings x
        where x.created_at >= p_since and x.created_at < p_until and (p_repos is null or x.repo = any(p_repos))) t
  group by grouping sets ((t.org, t.repo, t.month), (t.org, t.month))
$$;
comment on function metrics.item_counts(timestamp, timestamp, boolean, text[]) is 'Items created in [p_since, p_until): issues and those ever reopened (reopened share = issues_reopened / issues); pull requests, closed, merged and closed without merging (share closed without merging = pulls_closed_unmerged / pulls_closed). Per repository and for the org (repo null); per month of creation when p_monthly.';

create or replace function metrics.flow(p_since timestamp, p_until timestamp,
                                        p_monthly boolean default false, p_repos text[] default null)
returns table (org varchar, repo varchar, month timestamp, opened bigint, opened_issues bigint, opened_pulls bigint,
               closed bigint, closed_issues bigint, closed_pulls bigint, merged bigint)
language sql stable as $$
  with moves as (
    select i.org, i.repo, i.kind, 'opened' as move, i.created_at as at from metrics.items i
    union all
    select i.org, i.repo, i.kind, 'closed', i.closed_at from metrics.items i where i.closed_at is not null
    union all
    select i.org, i.repo, i.kind, 'merged', i.merged_at from metrics.items i where i.merged_at is not null
  )
  select m.org, m.repo, m.month,
         count(*) filter (where m.move = 'opened'),
         count(*) filter (where m.move = 'opened' and m.kind = 'issue'),
         count(*) filter (where m.move = 'opened' and m.kind = 'pull_request'),
         count(*) filter (where m.move = 'closed'),
         count(*) filter (where m.move = 'closed' and m.kind = 'issue'),
         count(*) filter (where m.move = 'closed' and m.kind = 'pull_request'),
         count(*) filter (where m.move = 'merged')
  from (select x.*, case when p_monthly then date_trunc('month', x.at) end as month
        from moves x
        where x.at >= p_since and x.at < p_until and (p_repos is null or x.repo = any(p_repos))) m
  group by grouping sets ((m.org, m.repo, m.month), (m.org, m.month))
$$;
comment on function metrics.flow(timestamp, timestamp, boolean, text[]) is 'Flow in [p_since, p_until): items opened (created_at of the first incarnation), closed (items closed now whose closed_at falls in it; merges included) and pull requests merged. Closure ratio = closed / opened. Per repository and for the org (repo null); per calendar month when p_monthly.';

create or replace function metrics.people(p_since timestamp, p_until timestamp,
                                          p_monthly boolean default false, p_repos text[] default null)
returns table (org varchar, repo varchar, month timestamp, activity bigint, human_activity bigint,
               member_activity bigint, bot_activity bigint, active_contributors bigint,
               new_contributors bigint, absence_factor bigint)
language sql stable as $$
  with act as materialized (
    select a.org, a.repo, lower(a.login) as login, a.at, a.human, a.member,
           case when p_monthly then date_trunc('month', a.at) end as month
    from metrics.activity a
    where a.at >= p_since and a.at < p_until and (p_repos is null or a.repo = any(p_repos))
  ), firsts as (
    -- When each human active in the period first acted anywhere in the org
    -- (every repository, all stored time).
    select a.org, lower(a.login) as login, min(a.at) as at
    from metrics.activity a
    where a.human and lower(a.login) in (select login from act where human)
    group by a.org, lower(a.login)
  ), newcomers as (
    -- New: that first activity falls in the period and they were not a
    -- member then; counted in its repository (the first by name on a tie).
    select distinct on (a.org, a.login) a.org, a.repo, a.login, a.month
    from act a
    join firsts f on f.org = a.org and f.login = a.login and f.at = a.at
    where a.human and not a.member
    order by a.org, a.login, a.repo collate "C"
  ), totals as (
    select a.org, a.repo, a.month, count(*) as activity, count(*) filter (where a.human) as human_activity,
           count(*) filter (where a.member) as member_activity, count(*) filter (where not a.human) as bot_activity,
           count(distinct a.login) filter (where a.human) as active_contributors
    from act a
    group by grouping sets ((a.org, a.repo, a.month), (a.org, a.month))
  ), per_login as (
    select a.org, a.repo, a.month, a.login, count(*) as n
    from act a where a.human
    group by grouping sets ((a.org, a.repo, a.month, a.login), (a.org, a.month, a.login))
  ), ranked as (
    select p.org, p.repo, p.month, p.n,
           sum(p.n) over (partition by p.org, p.repo, p.month order by p.n desc, p.login rows between unbounded preceding and 1 preceding) as before,
           sum(p.n) over (partition by p.org, p.repo, p.month) as total
    from per_login p
  ), absence as (
    select r.org, r.repo, r.month, count(*) filter (where coalesce(r.before, 0) * 2 < r.total) as factor
    from ranked r group by r.org, r.repo, r.month
  ), fresh as (
    select n.org, n.repo, n.month, count(*) as new_contributors
    from newcomers n
    group by grouping sets ((n.org, n.repo, n.month), (n.org, n.month))
  )
  select t.org, t.repo, t.month, t.activity, t.human_activity, t.member_activity, t.bot_activity,
         t.active_contributors, coalesce(f.new_contributors, 0), coalesce(b.factor, 0)
  from totals t
  left join fresh f on f.org = t.org and f.repo is not distinct from t.repo and f.month is not distinct from t.month
  left join absence b on b.org = t.org and b.repo is not distinct from t.repo and b.month is not distinct from t.month
$$;
comment on function metrics.people(timestamp, timestamp, boolean, text[]) is 'People in [p_since, p_until) (metrics.activity): activity, of it by humans, by members at the time, by bots; active contributors (humans who opened an item, commented or reviewed); new contributors (humans whose first activity anywhere in the org falls in it and who were not members then; counted in the repository of that first activity); contributor absence factor (the fewest humans who account for half of the human activity). Members'' share = member_activity / activity, bots'' share = bot_activity / activity. Per repository and for the org (repo null); per calendar month when p_monthly.';

-- Waiting on us: open items whose latest human activity is by a non-member
-- (not a bot), with no member activity after it.
create or replace view metrics.waiting_on_us as
with human as (
  select a.item_id, a.at, a.login, a.member from metrics.activity a where a.human
), last_member as (
  select item_id, max(at) as at from human where member group by item_id
), waiting as (
  select h.item_id, min(h.at) as waiting_since, max(h.at) as last_activity_at, count(*) as activities
  from human h
  left join last_member lm on lm.item_id = h.item_id
  where not h.member and (lm.at is null or h.at > lm.at)
  group by h.item_id
)
select i.id as item_id, i.kind, i.org, i.repo, i.number, i.title, i.html_url, i.author,
       w.waiting_since, w.last_activity_at, w.activities
from metrics.items i
join waiting w on w.item_id = i.id
where i.state = 'open' and not i.draft;
comment on view metrics.waiting_on_us is 'Waiting on us: open items (not draft pull requests) whose latest human activity (opened, comment, review) is by a non-member, with no member activity after it; bots are ignored. waiting_since is the first human activity after the last member activity (or the opening). Transfer-aware through metrics.items / metrics.activity; needs no label.';

create or replace view metrics.monthly_durations as
select * from metrics.durations('-infinity', 'infinity', (now() at time zone 'utc')::timestamp, true);
comment on view metrics.monthly_durations is 'metrics.durations() per calendar month of creation, over all stored time; censored ages as of now.';

create or replace view metrics.monthly_flow as
select * from metrics.flow('-infinity', 'infinity', true);
comment on view metrics.monthly_flow is 'metrics.flow() per calendar month.';

create or replace view metrics.monthly_item_counts as
select * from metrics.item_counts('-infinity', 'infinity', true);
comment on view metrics.monthly_item_counts is 'metrics.item_counts() per calendar month of creation.';

create or replace view metrics.monthly_people as
select * from metrics.people('-infinity', 'infinity', true);
comment on view metrics.monthly_people is 'metrics.people() per calendar month.';
