import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { loadMigrations, migrate } from '../src/db/migrate.js'
import { MemoryLog } from '../src/log.js'
import { createTestDatabase, tableNames, type TestDatabase } from './helpers/db.js'

const run = promisify(execFile)

/** Every column of the seed's class diagram, with its Postgres type. */
const SEED_COLUMNS: Record<string, string> = {
  'members.id': 'bigint',
  'members.inserted_dt': 'timestamp without time zone',
  'members.inactive': 'boolean',
  'members.login': 'character varying',
  'issues.labels': 'ARRAY',
  'issues.assignees': 'ARRAY',
  'issues.user': 'jsonb',
  'issues.reactions': 'jsonb',
  'issues.score': 'double precision',
  'issues.number': 'integer',
  'pull_requests.merged': 'boolean',
  'pull_requests.pull_request': 'jsonb',
  'pull_requests.score': 'integer',
  'events.label': 'jsonb',
  'events.reactions': 'jsonb',
  'event_polls.etag': 'character varying',
  'transfers.new_number': 'integer'
}

describe('migrations', () => {
  let db: TestDatabase
  beforeEach(async () => {
    db = await createTestDatabase()
  })
  afterEach(async () => {
    await db.drop()
  })

  it('creates the seed tables with their columns and types, and is idempotent', async () => {
    const log = new MemoryLog()
    const first = await migrate(db.sql, log)
    expect(first).toEqual(loadMigrations().map((m) => m.file))
    const tables = await tableNames(db.sql)
    for (const t of ['members', 'issues', 'pull_requests', 'events', 'event_polls', 'transfers']) {
      expect(tables).toContain(t)
    }
    const cols = await db.sql<{ key: string; data_type: string }[]>`
      select table_name || '.' || column_name as key, data_type
      from information_schema.columns where table_schema = 'public'`
    const types = Object.fromEntries(cols.map((c) => [c.key, c.data_type]))
    for (const [key, type] of Object.entries(SEED_COLUMNS)) expect(types[key], key).toBe(type)
    const [{ count: before }] = await db.sql`select count(*)::int from schema_migrations`
    expect(await migrate(db.sql, log)).toEqual([])
    const [{ count: after }] = await db.sql`select count(*)::int from schema_migrations`
    expect(after).toBe(before)
  })

  it("runs the seed dashboard's SQL unchanged", async () => {
    await migrate(db.sql, new MemoryLog())
    const user = { login: 'octocat', avatar_url: 'https://avatars/u/1' }
    await db.sql`
      insert into issues (id, number, repo, org, labels, "user", username, updated_at)
      values (1, 7, 'api', 'acme', array[${db.sql.json({ name: 'bug' })}::json, ${db.sql.json({ name: 'docs' })}::json],
              ${db.sql.json(user)}, 'octocat', now() at time zone 'utc')`
    await db.sql`
      insert into events (id, issue_id, event, reactions, username, updated_at)
      values (10, 1, 'commented', ${db.sql.json({ '+1': 3, total_count: 3 })}, 'octocat', now() at time zone 'utc')`
    await db.sql`insert into members (id, login) values (1, 'octocat')`
    const labels = await db.sql`
      select l ->> 'name' as name from issues, jsonb_array_elements(array_to_json(issues.labels)::jsonb) l order by 1`
    expect(labels.map((r) => r.name)).toEqual(['bug', 'docs'])
    const [{ plus }] = await db.sql`select (events.reactions -> '+1')::integer as plus from events`
    expect(plus).toBe(3)
    const [{ avatar }] = await db.sql`select issues."user" ->> 'avatar_url' as avatar from issues`
    expect(avatar).toBe(user.avatar_url)
    const members = await db.sql`
      select count(*)::int as n from events where events.username in (select login from members)
        and events.updated_at >= now() - interval '7 days'`
    expect(members[0].n).toBe(1)
  })

  it('fails when an applied migration was edited', async () => {
    await migrate(db.sql, new MemoryLog())
    const edited = loadMigrations().map((m, i) => (i === 0 ? { ...m, checksum: 'different' } : m))
    await expect(migrate(db.sql, new MemoryLog(), edited)).rejects.toThrow(/was changed after it was applied/)
  })

  it('fails the run on a failing migration and records nothing for it', async () => {
    const broken = [
      ...loadMigrations(),
      { version: 999, name: 'broken', file: '0999_broken.sql', checksum: 'x', text: 'select from nowhere_at_all;' }
    ]
    await expect(migrate(db.sql, new MemoryLog(), broken)).rejects.toThrow(/Migration 0999_broken.sql failed/)
    const rows = await db.sql`select version from schema_migrations where version = 999`
    expect(rows).toHaveLength(0)
  })

  it('two migrate processes on one fresh database both succeed and apply each migration once', async () => {
    const env = { ...process.env, INPUT_MODE: 'migrate', 'INPUT_DATABASE-URL': db.url, GITHUB_ACTIONS: '' }
    const results = await Promise.all([
      run(process.execPath, ['dist/index.js'], { env }),
      run(process.execPath, ['dist/index.js'], { env })
    ])
    // Each migration is applied by whichever process takes the lock first.
    const applied = results.map((r) => Number(/"applied":(\d+)/.exec(r.stdout)?.[1]))
    expect(applied[0] + applied[1]).toBe(loadMigrations().length)
    const rows = await db.sql`select version from schema_migrations order by version`
    expect(rows.map((r) => r.version)).toEqual(loadMigrations().map((m) => m.version))
  })
})
