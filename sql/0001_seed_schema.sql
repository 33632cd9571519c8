-- The seed's six tables, with its names, columns and types, so SQL written
-- for it (dashboards) runs unchanged. `if not exists` lets this adopt a
-- database the seed created. Times are `timestamp without time zone` as in
-- the seed and hold UTC. Ids are bigint (the seed had integer member ids;
-- widening breaks no query).

create table if not exists members (
  id bigint primary key,
  inserted_dt timestamp default (now() at time zone 'utc'),
  inactive_dt timestamp,
  inactive boolean default false,
  avatar_url varchar,
  events_url varchar,
  followers_url varchar,
  following_url varchar,
  gists_url varchar,
  gravatar_id varchar,
  html_url varchar,
  login varchar unique,
  node_id varchar,
  organizations_url varchar,
  received_events_url varchar,
  repos_url varchar,
  site_admin boolean,
  starred_url varchar,
  subscriptions_url varchar,
  type varchar,
  url varchar
);

create table if not exists issues (
  id bigint primary key,
  active_lock_reason varchar,
  assignee jsonb,
  assignees json[],
  author_association varchar,
  body varchar,
  closed_at timestamp,
  comments integer,
  comments_url varchar,
  created_at timestamp,
  events_url varchar,
  html_url varchar,
  labels json[],
  labels_url varchar,
  locked boolean,
  milestone jsonb,
  node_id varchar,
  number integer,
  org varchar,
  performed_via_github_app varchar,
  reactions jsonb,
  repo varchar,
  repository_url varchar,
  score double precision,
  state varchar,
  state_reason varchar,
  timeline_url varchar,
  title varchar,
  updated_at timestamp,
  url varchar,
  "user" jsonb,
  username varchar
);

create table if not exists pull_requests (
  id bigint primary key,
  url varchar,
  repo varchar,
  org varchar,
  repository_url varchar,
  labels_url varchar,
  comments_url varchar,
  events_url varchar,
  html_url varchar,
  node_id varchar,
  number integer,
  title varchar,
  "user" jsonb,
  username varchar,
  labels json[],
  state varchar,
  state_reason varchar,
  merged boolean,
  locked boolean,
  assignee jsonb,
  assignees json[],
  milestone jsonb,
  comments integer,
  created_at timestamp,
  updated_at timestamp,
  closed_at timestamp,
  author_association varchar,
  active_lock_reason varchar,
  draft boolean,
  pull_request jsonb,
  body varchar,
  reactions jsonb,
  timeline_url varchar,
  performed_via_github_app varchar,
  score integer
);

create table if not exists events (
  id bigint not null,
  issue_id bigint not null,
  org varchar,
  repo varchar,
  event varchar,
  body varchar,
  label jsonb,
  reactions jsonb,
  state varchar,
  created_at timestamp,
  updated_at timestamp,
  node_id varchar,
  "user" jsonb,
  author_association varchar,
  username varchar,
  primary key (id, issue_id)
);

create table if not exists event_polls (
  id bigint not null,
  page_no integer not null,
  issue_updated_at timestamp,
  etag varchar,
  primary key (id, page_no)
);

create table if not exists transfers (
  issue_id bigint not null,
  new_issue_id bigint not null,
  url varchar,
  number integer,
  repo varchar,
  title varchar,
  body varchar,
  created_at timestamp,
  closed_at timestamp,
  state varchar,
  org varchar,
  assignee jsonb,
  assignees json[],
  labels json[],
  new_repo varchar,
  new_html_url varchar,
  new_url varchar,
  new_number integer,
  "user" jsonb,
  username varchar,
  primary key (issue_id, new_issue_id)
);

-- The seed's pull_requests.merged defaulted to true, so open PRs read as merged.
alter table pull_requests alter column merged drop default;

comment on table members is 'Organisation members as listed by GET /orgs/{org}/members; rows are never deleted, a member who left is marked inactive.';
comment on column members.id is 'GitHub user id.';
comment on column members.inserted_dt is 'When the member was first seen (UTC).';
comment on column members.inactive_dt is 'When the member was first seen missing from the member list (UTC); null while a member.';
comment on column members.inactive is 'True once the member is no longer listed; false again if they come back.';
comment on column members.avatar_url is 'GitHub''s avatar_url (API or web URL).';
comment on column members.events_url is 'GitHub''s events_url (API or web URL).';
comment on column members.followers_url is 'GitHub''s followers_url (API or web URL).';
comment on column members.following_url is 'GitHub''s following_url (API or web URL).';
comment on column members.gists_url is 'GitHub''s gists_url (API or web URL).';
comment on column members.gravatar_id is 'GitHub''s gravatar_id field, as the API returns it.';
comment on column members.html_url is 'GitHub''s html_url (API or web URL).';
comment on column members.login is 'GitHub login (unique); compare with events.username / issues.username.';
comment on column members.node_id is 'GitHub''s node_id field, as the API returns it.';
comment on column members.organizations_url is 'GitHub''s organizations_url (API or web URL).';
comment on column members.received_events_url is 'GitHub''s received_events_url (API or web URL).';
comment on column members.repos_url is 'GitHub''s repos_url (API or web URL).';
comment on column members.site_admin is 'GitHub''s site_admin flag.';
comment on column members.starred_url is 'GitHub''s starred_url (API or web URL).';
comment on column members.subscriptions_url is 'GitHub''s subscriptions_url (API or web URL).';
comment on column members.type is 'GitHub account type: User or Bot.';
comment on column members.url is 'GitHub''s url field, as the API returns it.';
comment on table issues is 'Issues (not pull requests) of the tracked repositories, one row per GitHub issue id.';
comment on column issues.id is 'GitHub issue id.';
comment on column issues.active_lock_reason is 'GitHub''s active_lock_reason field, as the API returns it.';
comment on column issues.assignee is 'First assignee (JSON user) or null.';
comment on column issues.assignees is 'Assignees as an array of JSON user objects.';
comment on column issues.author_association is 'GitHub''s author_association field, as the API returns it.';
comment on column issues.body is 'GitHub''s body field, as the API returns it.';
comment on column issues.closed_at is 'Close time (UTC) or null.';
comment on column issues.comments is 'Comment count as GitHub reports it.';
comment on column issues.comments_url is 'GitHub''s comments_url (API or web URL).';
comment on column issues.created_at is 'Creation time (UTC).';
comment on column issues.events_url is 'GitHub''s events_url (API or web URL).';
comment on column issues.html_url is 'GitHub''s html_url (API or web URL).';
comment on column issues.labels is 'Labels as an array of JSON objects (name, color, …).';
comment on column issues.labels_url is 'GitHub''s labels_url (API or web URL).';
comment on column issues.locked is 'GitHub''s locked field, as the API returns it.';
comment on column issues.milestone is 'Milestone object or null.';
comment on column issues.node_id is 'GitHub''s node_id field, as the API returns it.';
comment on column issues.number is 'Issue number within its repository.';
comment on column issues.org is 'Repository owner (organisation login).';
comment on column issues.performed_via_github_app is 'GitHub App that opened it, as JSON text, or null.';
comment on column issues.reactions is 'Reaction roll-up object: total_count, +1, -1, laugh, hooray, confused, heart, rocket, eyes.';
comment on column issues.repo is 'Repository name (current name after a rename).';
comment on column issues.repository_url is 'GitHub''s repository_url (API or web URL).';
comment on column issues.score is 'Always null: the seed stored a search relevance score, which depends on the query; kept for compatibility.';
comment on column issues.state is 'open or closed.';
comment on column issues.state_reason is 'completed, not_planned, reopened or null.';
comment on column issues.timeline_url is 'GitHub''s timeline_url (API or web URL).';
comment on column issues.title is 'GitHub''s title field, as the API returns it.';
comment on column issues.updated_at is 'GitHub''s updated_at (UTC): the high-water mark of incremental syncs.';
comment on column issues.url is 'GitHub''s url field, as the API returns it.';
comment on column issues."user" is 'Author as GitHub''s simple-user object; a deleted author is stored as GitHub''s ghost user.';
comment on column issues.username is 'Author login (ghost for a deleted user).';
comment on table pull_requests is 'Pull requests of the tracked repositories. id is the pull request''s issue id (as in the seed), so events.issue_id joins it.';
comment on column pull_requests.id is 'The pull request''s issue id (not the pulls API id).';
comment on column pull_requests.url is 'GitHub''s url field, as the API returns it.';
comment on column pull_requests.repo is 'Repository name (current name after a rename).';
comment on column pull_requests.org is 'Repository owner (organisation login).';
comment on column pull_requests.repository_url is 'GitHub''s repository_url (API or web URL).';
comment on column pull_requests.labels_url is 'GitHub''s labels_url (API or web URL).';
comment on column pull_requests.comments_url is 'GitHub''s comments_url (API or web URL).';
comment on column pull_requests.events_url is 'GitHub''s events_url (API or web URL).';
comment on column pull_requests.html_url is 'GitHub''s html_url (API or web URL).';
comment on column pull_requests.node_id is 'GitHub''s node_id field, as the API returns it.';
comment on column pull_requests.number is 'Pull request number within its repository.';
comment on column pull_requests.title is 'GitHub''s title field, as the API returns it.';
comment on column pull_requests."user" is 'Author as GitHub''s simple-user object; a deleted author is stored as GitHub''s ghost user.';
comment on column pull_requests.username is 'Author login (ghost for a deleted user).';
comment on column pull_requests.labels is 'Labels as an array of JSON objects.';
comment on column pull_requests.state is 'open or closed.';
comment on column pull_requests.state_reason is 'GitHub''s state_reason field, as the API returns it.';
comment on column pull_requests.merged is 'True only when merged; false when open or closed without merge.';
comment on column pull_requests.locked is 'GitHub''s locked field, as the API returns it.';
comment on column pull_requests.assignee is 'First assignee (JSON user) or null.';
comment on column pull_requests.assignees is 'Assignees as an array of JSON user objects.';
comment on column pull_requests.milestone is 'GitHub''s milestone field, as the API returns it.';
comment on column pull_requests.comments is 'GitHub''s comments field, as the API returns it.';
comment on column pull_requests.created_at is 'Creation time (UTC).';
comment on column pull_requests.updated_at is 'GitHub''s updated_at (UTC).';
comment on column pull_requests.closed_at is 'Close (or merge) time (UTC) or null.';
comment on column pull_requests.author_association is 'GitHub''s author_association field, as the API returns it.';
comment on column pull_requests.active_lock_reason is 'GitHub''s active_lock_reason field, as the API returns it.';
comment on column pull_requests.draft is 'Draft pull request.';
comment on column pull_requests.pull_request is 'GitHub''s pull_request object from the issues API (url, html_url, diff_url, patch_url, merged_at).';
comment on column pull_requests.body is 'GitHub''s body field, as the API returns it.';
comment on column pull_requests.reactions is 'Reaction roll-up object.';
comment on column pull_requests.timeline_url is 'GitHub''s timeline_url (API or web URL).';
comment on column pull_requests.performed_via_github_app is 'GitHub''s performed_via_github_app field, as the API returns it.';
comment on column pull_requests.score is 'Always null: the seed stored a search relevance score, which depends on the query; kept for compatibility.';
comment on table events is 'Timeline items of issues and pull requests (comments, reviews, labels, state changes, …).';
comment on column events.id is 'GitHub''s id of the timeline item; items without one get a stable derived id.';
comment on column events.issue_id is 'Issue id the item belongs to (joins issues.id and pull_requests.id).';
comment on column events.org is 'Repository owner.';
comment on column events.repo is 'Repository name.';
comment on column events.event is 'Timeline event name: commented, reviewed, labeled, closed, merged, …';
comment on column events.body is 'Comment or review body.';
comment on column events.label is 'Label object of labeled/unlabeled items.';
comment on column events.reactions is 'Reaction roll-up of a comment; (reactions -> ''+1'')::integer counts thumbs-up.';
comment on column events.state is 'Review state (approved, changes_requested, commented, dismissed).';
comment on column events.created_at is 'When the item happened (submitted_at for reviews) (UTC).';
comment on column events.updated_at is 'Last edit of a comment, else created_at (UTC).';
comment on column events.node_id is 'GitHub''s node_id field, as the API returns it.';
comment on column events."user" is 'Actor or author (JSON user); a deleted user is GitHub''s ghost.';
comment on column events.author_association is 'GitHub''s author_association field, as the API returns it.';
comment on column events.username is 'Actor or author login; compare with members.login.';
comment on table event_polls is 'Conditional-request state of timeline pages: one ETag per (issue, page).';
comment on column event_polls.id is 'Issue id.';
comment on column event_polls.page_no is 'Timeline page number (100 items a page).';
comment on column event_polls.issue_updated_at is 'The issue''s updated_at when the page was last fetched (UTC).';
comment on column event_polls.etag is 'ETag of the page''s last 200 answer.';
comment on table transfers is 'Issues transferred out of a tracked repository: the old issue''s fields and where it went.';
comment on column transfers.issue_id is 'Old issue id.';
comment on column transfers.new_issue_id is 'New issue id (0 when the target cannot be read).';
comment on column transfers.url is 'Old API URL.';
comment on column transfers.number is 'Old number.';
comment on column transfers.repo is 'Old repository name.';
comment on column transfers.title is 'GitHub''s title field, as the API returns it.';
comment on column transfers.body is 'GitHub''s body field, as the API returns it.';
comment on column transfers.created_at is 'GitHub''s created_at field, as the API returns it.';
comment on column transfers.closed_at is 'GitHub''s closed_at field, as the API returns it.';
comment on column transfers.state is 'GitHub''s state field, as the API returns it.';
comment on column transfers.org is 'GitHub''s org field, as the API returns it.';
comment on column transfers.assignee is 'GitHub''s assignee field, as the API returns it.';
comment on column transfers.assignees is 'GitHub''s assignees field, as the API returns it.';
comment on column transfers.labels is 'GitHub''s labels field, as the API returns it.';
comment on column transfers.new_repo is 'New repository (owner/name when outside the org).';
comment on column transfers.new_html_url is 'New issue page.';
comment on column transfers.new_url is 'New API URL.';
comment on column transfers.new_number is 'New issue number.';
comment on column transfers."user" is 'Author (JSON user).';
comment on column transfers.username is 'Author login.';
