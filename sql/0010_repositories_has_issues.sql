-- Repositories with issues turned off answer every issue route with 410
-- ("Issues are disabled for this repo"), while their pull requests still
-- sync (through search and the pulls list): the listing records the switch.
alter table repositories add column if not exists has_issues boolean not null default true;
comment on column repositories.has_issues is 'Issues turned on (GitHub has_issues / hasIssuesEnabled). False: the issue routes answer 410; pull requests are synced through search (is:pr repo:) and the pulls list.';
