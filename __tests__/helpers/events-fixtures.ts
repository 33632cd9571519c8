// Shared set-up of the events/timeline tests: a hand-built simulated world,
// issue rows as the `issues` task would store them, and the exact timeline
// the simulator holds, mapped for comparison with the `events` table.
import type { Sql } from '../../src/db/connect.js'
import { createOctokit } from '../../src/github/client.js'
import { mapTimelinePage } from '../../src/github/map-event.js'
import type { TimelineItem } from '../../src/github/types.js'
import type { EventRow } from '../../src/model/event.js'
import { migrate } from '../../src/db/migrate.js'
import { RequestMeter } from '../../src/github/meter.js'
import type { TimelineIssue } from '../../src/model/issue.js'
import type { Repo } from '../../src/model/repo.js'
import { MemoryLog } from '../../src/log.js'
import type { Deps } from '../../src/tasks/types.js'
import type { Sim } from '../../sim/index.js'
import type { IssueRec } from '../../sim/model.js'
import { nodeId } from '../../sim/render/common.js'
import type { World } from '../../sim/world.js'

export function depsFor(sim: Sim, sql: Sql): Deps & { log: MemoryLog } {
  const log = new MemoryLog()
  const meter = new RequestMeter()
  const octokit = createOctokit({
    token: 't',
    baseUrl: sim.url,
    log,
    meter,
    maxRateLimitWaitSeconds: 5,
    msPerSecond: 1
  })
  return { sql, octokit, meter, log, clock: () => sim.world.now() }
}

export function repoOf(world: World, name: string): Repo {
  const r = world.repo(name)
  return {
    id: r.id,
    org: world.org,
    name: r.name,
    fullName: `${world.org}/${r.name}`,
    archived: r.archived,
    private: r.private
  }
}

export function issueOf(rec: IssueRec): TimelineIssue {
  return { id: rec.id, number: rec.number, updatedAt: new Date(Math.floor(rec.updatedAt / 1000) * 1000) }
}

/** Stores issue rows (id, node id, number, repo, state, updated_at) as the `issues` task would. */
export async function storeIssues(sql: Sql, world: World, repoName: string): Promise<void> {
  const r = world.repo(repoName)
  for (const rec of r.list) {
    if (rec.deleted || rec.movedTo) continue
    const table = rec.isPull ? 'pull_requests' : 'issues'
    const row = {
      id: rec.id,
      node_id: nodeId(rec.isPull ? 'PR' : 'I', rec.id),
      number: rec.number,
      org: world.org,
      repo: r.name,
      repo_id: r.id,
      state: rec.state,
      updated_at: issueOf(rec).updatedAt
    }
    await sql`
      insert into ${sql(table)} ${sql(row)}
      on conflict (id) do update set updated_at = excluded.updated_at, number = excluded.number`
  }
}

/**
 * Adds `count` timeline items of mixed kinds: comments (every seventh by a
 * deleted account), labels, commits (pull requests only) and
 * cross-references (no id), renames.
 * One second apart, so id-less items never share a time. Cross-references
 * come from `source`, in another repository: a cross-reference embeds its
 * source issue and repository as they are now, so a push to the source's
 * repository changes every timeline page that holds one (as on GitHub).
 */
export function grow(
  world: World,
  repo: string,
  number: number,
  count: number,
  source = { repo: 'lib', number: 1 }
): void {
  for (let k = 0; k < count; k++) {
    world.advance({ seconds: 1 })
    const n = world.issue(repo, number).timeline.length
    switch (n % 6) {
      case 0:
      case 1:
        world.comment(repo, number, { user: n % 7 === 0 ? null : `dev-${n % 3}`, body: `comment ${n}` })
        break
      case 2:
        if (world.issue(repo, number).labels.includes('bug')) world.unlabel(repo, number, 'bug', 'dev-1')
        else world.label(repo, number, 'bug', 'dev-1')
        break
      case 3:
        // Commits belong to pull requests' timelines only (GraphQL's
        // IssueTimelineItems has no PullRequestCommit); an issue gets a comment.
        if (world.issue(repo, number).isPull) world.commit(repo, number, { message: `commit ${n}`, actor: 'dev-2' })
        else world.comment(repo, number, { user: 'dev-2', body: `comment ${n}` })
        break
      case 4:
        world.crossReference(repo, number, { actor: 'dev-0', source })
        break
      default:
        world.editIssue(repo, number, { title: `title ${n}`, actor: 'dev-0' })
    }
  }
}

/** The issue's whole timeline as the simulator serves it now, mapped to rows (no request is logged as ours). */
export async function expectedRows(sim: Sim, repo: Repo, issue: { id: number; number: number }): Promise<EventRow[]> {
  const items: TimelineItem[] = []
  for (let page = 1; ; page++) {
    const url = `${sim.url}/repos/${repo.org}/${repo.name}/issues/${issue.number}/timeline?per_page=100&page=${page}`
    const res = await fetch(url, { headers: { authorization: 'token t' } })
    const data = (await res.json()) as TimelineItem[]
    items.push(...data)
    if (!/rel="next"/.test(res.headers.get('link') ?? '')) break
  }
  return normalise(mapTimelinePage(items, issue.id, repo))
}

/** The issue's rows in `events`, in the same normal form. */
export async function storedRows(sql: Sql, issueId: number): Promise<EventRow[]> {
  const rows = await sql<EventRow[]>`
    select id, issue_id, repo_id, org, repo, event, body, label, reactions, state, created_at, updated_at,
           node_id, "user", author_association, username
    from events where issue_id = ${issueId}`
  return normalise(rows)
}

function normalise(rows: readonly EventRow[]): EventRow[] {
  const time = (t: unknown): string | null => (t == null ? null : new Date(t as string).toISOString())
  return rows
    .map((r) => ({
      ...r,
      id: String(r.id),
      issue_id: Number(r.issue_id),
      repo_id: Number(r.repo_id),
      created_at: time(r.created_at),
      updated_at: time(r.updated_at)
    }))
    .sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : BigInt(a.id) > BigInt(b.id) ? 1 : 0))
}

/** A migrated schema (every sql/ migration, 0004's timeline columns included). */
export async function migrateAll(sql: Sql): Promise<void> {
  await migrate(sql, new MemoryLog())
}
