-- Lookups by (repository id, number): the pulls task matches the pulls API's
-- items to rows this way (the pulls API's id is not the issue id the table
-- is keyed by), and transfers and events resolve numbers the same way.
-- Indexes only; no data changes.

create index if not exists pull_requests_repo_number on pull_requests (repo_id, number);
create index if not exists issues_repo_number on issues (repo_id, number);
comment on index pull_requests_repo_number is 'Pull requests by repository id and number (pulls task: match GET /pulls items to rows).';
comment on index issues_repo_number is 'Issues by repository id and number.';
