-- Task leases: which run is executing a task right now. They replace the
-- session advisory locks of earlier versions, which a transaction-mode pooler
-- (PgBouncer pool_mode=transaction, Supabase's port 6543, Neon's -pooler
-- hosts) cannot hold: one row per task key, taken in one transaction,
-- renewed while the task runs, deleted at its end, and free for the taking
-- once `expires_at` has passed (a run that crashed). See src/db/task-lock.ts.
create table if not exists task_leases (
  key varchar primary key,
  -- A random id per run and task; only the owner renews or releases.
  owner varchar not null,
  -- Who holds it, for the warning another run prints (GitHub run, host, pid).
  holder varchar not null,
  acquired_at timestamptz not null,
  expires_at timestamptz not null
);
