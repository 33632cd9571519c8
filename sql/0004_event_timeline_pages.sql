-- Timeline sync state beyond the seed's event_polls (issue 5): which page
-- each stored timeline item was last seen on, so an item that vanished from
-- a re-fetched page (a deleted comment) can be deleted, and how many items
-- each polled page held, so a 304 on a full last page still says whether a
-- next page must be checked.

alter table events add column if not exists timeline_page integer;
comment on column events.timeline_page is 'Timeline page (100 items a page) the item was last seen on; null for rows not written by the events sync. Rows of a re-fetched page that are no longer on the timeline are deleted.';

alter table event_polls add column if not exists item_count integer;
alter table event_polls add column if not exists polled_at timestamptz;
comment on column event_polls.item_count is 'Items on the page at its last 200 answer (0 for the empty page after a full last page, kept so its ETag makes the next check free).';
comment on column event_polls.polled_at is 'When the page was last requested (answered 200 or 304).';

create index if not exists events_issue_page on events (issue_id, timeline_page);
