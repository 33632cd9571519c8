-- Timelines driven by a per-item mark, and event keys that every path agrees on.
--
-- 1. timeline_updated_at: the item's updated_at when its timeline was last
--    stored. An item is "timeline behind" while updated_at is later (or the
--    mark is null), whichever task moved updated_at (issues, pulls,
--    unmerged, daily, transfers, backfill); the events task reads exactly
--    those and clears the mark in the transaction that stores the timeline.
--    Existing timelines (stored by the REST walk, see event_polls) keep their
--    mark, so an upgraded database does not re-read every timeline.
alter table issues add column if not exists timeline_updated_at timestamp;
alter table pull_requests add column if not exists timeline_updated_at timestamp;
comment on column issues.timeline_updated_at is 'updated_at of the issue when its timeline was last stored; the timeline is behind while updated_at is later or this is null.';
comment on column pull_requests.timeline_updated_at is 'updated_at of the pull request when its timeline was last stored; the timeline is behind while updated_at is later or this is null.';

update issues i set timeline_updated_at = p.at
from (select id, max(issue_updated_at) as at from event_polls group by id) p
where p.id = i.id and i.timeline_updated_at is null;
update pull_requests i set timeline_updated_at = p.at
from (select id, max(issue_updated_at) as at from event_polls group by id) p
where p.id = i.id and i.timeline_updated_at is null;

create index if not exists issues_timeline_behind on issues (repo_id, updated_at)
  where timeline_updated_at is null or updated_at > timeline_updated_at;
create index if not exists pull_requests_timeline_behind on pull_requests (repo_id, updated_at)
  where timeline_updated_at is null or updated_at > timeline_updated_at;

-- 2. Event keys. GitHub's GraphQL API gives comments and reviews their REST
--    id (databaseId) but every other timeline event only its global node id
--    (REST's node_id), so those events are keyed by a number derived from the
--    node id, in every path (REST walk, GraphQL batch, backfill): SHA-256 of
--    'node:' || node_id, the first 62 bits, negated and less one, so keys lie
--    in [-2^62, -1] where no GitHub id can be. event_key_from_node() is the
--    same derivation as nodeEventId() in src/github/map-event.ts (a test holds
--    them equal). Cross-references (no node id in REST) are now keyed by the
--    source's node id and time; their old rows cannot be re-keyed here, so they
--    are deleted and their items' timelines marked behind, to be read again.
create or replace function event_key_from_node(node_id text) returns bigint
language sql immutable strict parallel safe as $$
  select -((('x' || substr(encode(sha256(convert_to('node:' || node_id, 'UTF8')), 'hex'), 1, 16))::bit(64)::bigint
            & 4611686018427387903) + 1)
$$;
comment on function event_key_from_node(text) is 'events.id of a timeline event keyed by its node id (all kinds but commented, reviewed, committed and cross-referenced).';

update events set id = event_key_from_node(node_id)
where node_id is not null and id > 0
  and event not in ('commented', 'reviewed', 'committed', 'cross-referenced');

with stale as (delete from events where event = 'cross-referenced' returning issue_id)
, marked_issues as (
  update issues set timeline_updated_at = null where id in (select issue_id from stale) returning id
), marked_pulls as (
  update pull_requests set timeline_updated_at = null where id in (select issue_id from stale) returning id
)
delete from event_polls where id in (select issue_id from stale);

-- 3. Reaction counts a GraphQL timeline read leaves unknown (null), read
--    later 100 comments a point: found through this index.
create index if not exists events_reactions_unknown on events (repo_id, id)
  where event = 'commented' and reactions is null;
