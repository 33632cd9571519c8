import type { Sql } from '../../src/db/connect.js'
import { World } from '../../sim/index.js'

export const RANGE = { since: '2024-01-01', until: '2024-01-31' }

/**
 * An org for backfill tests, clock at 2024-03-01:
 * - api: 250 issues and PRs created in January 2024 (a 3-page listing, read by listing);
 * - web: 40 created in January, 20 in February (after the range);
 * - big: 400 created in 2023 and all labeled in February 2024 (so the
 *   listing since 2024-01-01 holds them), and 25 created in January: the
 *   range is a small part of a big listing, read by search;
 * - every third item gets a comment, every fifth PR is merged.
 */
export function backfillWorld(): World {
  const world = new World({ org: 'acme', now: '2023-01-01T00:00:00Z' })
  for (const name of ['api', 'web', 'big']) world.createRepo(name)
  const add = (repo: string, i: number): void => {
    const item = world.openIssue(repo, { title: `${repo} ${i}`, user: `dev-${i % 4}`, isPull: i % 3 === 0 })
    if (i % 3 === 1) world.comment(repo, item.number, { user: 'dev-9', body: `note ${i}` })
    if (i % 15 === 0) world.merge(repo, item.number, 'dev-1')
  }
  for (let i = 0; i < 400; i++) {
    world.advance({ minutes: 1200 })
    add('big', i)
  }
  world.setNow('2024-01-01T01:00:00Z')
  for (let i = 0; i < 250; i++) {
    world.advance({ minutes: 170 })
    add('api', i)
    if (i < 40) add('web', i)
    if (i < 25) add('big', 1000 + i)
  }
  world.setNow('2024-02-02T00:00:00Z')
  for (let i = 0; i < 20; i++) {
    world.advance({ hours: 3 })
    add('web', 100 + i)
  }
  for (let n = 1; n <= 400; n++) world.label('big', n, 'old', 'dev-1')
  world.setNow('2024-03-01T00:00:00Z')
  return world
}

/** Everything backfill writes, in a comparable form (no wall-clock columns). */
export async function dumpBackfill(sql: Sql): Promise<Record<string, readonly unknown[]>> {
  return {
    issues: await sql`select * from issues order by id`,
    pull_requests: await sql`select * from pull_requests order by id`,
    events: await sql`select * from events order by issue_id, id`,
    cursors: await sql`select repo_id, high_water, state from sync_cursors where task = 'backfill' order by repo_id`
  }
}
