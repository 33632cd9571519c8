-- What correctness needs beyond the seed: repositories keyed by GitHub id
-- (a rename keeps one history), per-(task, repository) cursors, and stored
-- ETags for conditional requests. Cursors and ETags are written in the same
-- transaction as the rows they cover.

create table repositories (
  id bigint primary key,
  node_id varchar,
  org varchar not null,
  name varchar not null,
  full_name varchar not null,
  private boolean,
  archived boolean,
  html_url varchar,
  created_at timestamp,
  pushed_at timestamp,
  previous_names varchar[] not null default '{}',
  first_seen_at timestamptz not null default now(),
  last_seen_at timestamptz not null default now()
);
comment on table repositories is 'Repositories of the organisation, keyed by GitHub id so a rename keeps one history.';
comment on column repositories.id is 'GitHub repository id.';
comment on column repositories.node_id is 'GitHub node id.';
comment on column repositories.org is 'Owner login.';
comment on column repositories.name is 'Current name (issues.repo and pull_requests.repo follow it).';
comment on column repositories.full_name is 'owner/name.';
comment on column repositories.private is 'Private repository.';
comment on column repositories.archived is 'Archived repository (synced only with include-archived).';
comment on column repositories.html_url is 'Web URL.';
comment on column repositories.created_at is 'Creation time (UTC).';
comment on column repositories.pushed_at is 'Last push (UTC).';
comment on column repositories.previous_names is 'Names this repository had before, oldest first.';
comment on column repositories.first_seen_at is 'When a sync first listed it.';
comment on column repositories.last_seen_at is 'When a sync last listed it.';

create table sync_cursors (
  task varchar not null,
  repo_id bigint not null,
  high_water timestamptz,
  state jsonb not null default '{}',
  updated_at timestamptz not null default now(),
  primary key (task, repo_id)
);
comment on table sync_cursors is 'How far each task has synced each repository; advanced only in the transaction that wrote the rows it covers.';
comment on column sync_cursors.task is 'Task (issues, events, backfill, …) or a task-specific key.';
comment on column sync_cursors.repo_id is 'Repository id; 0 for organisation-wide cursors.';
comment on column sync_cursors.high_water is 'Latest GitHub updated_at (or window end) fully stored.';
comment on column sync_cursors.state is 'Task-specific resumable state (e.g. backfill windows done).';
comment on column sync_cursors.updated_at is 'When the cursor last moved.';

create table http_etags (
  key varchar primary key,
  etag varchar not null,
  updated_at timestamptz not null default now()
);
comment on table http_etags is 'ETag of the last 200 answer per request (path and query), for conditional requests that cost no rate limit when answered 304.';
comment on column http_etags.key is 'Request path and query, without host or token.';
comment on column http_etags.etag is 'ETag header of the last 200 answer whose rows are stored.';
comment on column http_etags.updated_at is 'When the ETag was stored.';

alter table issues add column if not exists repo_id bigint;
alter table pull_requests add column if not exists repo_id bigint;
alter table pull_requests add column if not exists merged_at timestamp;
alter table events add column if not exists repo_id bigint;
comment on column issues.repo_id is 'GitHub repository id (repositories.id); stable across renames.';
comment on column pull_requests.repo_id is 'GitHub repository id (repositories.id); stable across renames.';
comment on column pull_requests.merged_at is 'Merge time (UTC); null unless merged.';
comment on column events.repo_id is 'GitHub repository id (repositories.id).';

create index if not exists issues_repo_updated on issues (repo_id, updated_at);
create index if not exists pull_requests_repo_updated on pull_requests (repo_id, updated_at);
create index if not exists pull_requests_state on pull_requests (state, closed_at);
create index if not exists events_issue on events (issue_id);

alter table repositories add column listed boolean not null default true;
comment on column repositories.listed is 'Whether the latest listing of the organisation included it (false: deleted, moved or no longer readable).';
