// What the database should hold for a simulated world, and full table dumps
// for comparing a run with a fault-free one.
import type { Sql } from '../../src/db/connect.js'
import type { Sim } from '../../sim/index.js'

/** One issue or pull request as the comparison sees it. */
export interface Brief {
  id: number
  repo: string
  number: number
  state: string
  merged: boolean | null
  updated_at: string
  username: string
}

/** Live issues and pull requests of the world (not deleted, not transferred away). */
export function worldBriefs(sim: Sim, repos?: string[]): { issues: Brief[]; pulls: Brief[] } {
  const issues: Brief[] = []
  const pulls: Brief[] = []
  for (const r of sim.world.repos) {
    if (repos && !repos.includes(r.name)) continue
    for (const i of r.list) {
      if (i.deleted || i.movedTo) continue
      const user = sim.world.users.get(i.user)
      const b: Brief = {
        id: i.id,
        repo: r.name,
        number: i.number,
        state: i.state,
        merged: i.isPull ? i.mergedAt > 0 : null,
        updated_at: new Date(Math.floor(i.updatedAt / 1000) * 1000).toISOString(),
        username: !user || user.deleted ? 'ghost' : user.login
      }
      ;(i.isPull ? pulls : issues).push(b)
    }
  }
  const order = (a: Brief, b: Brief): number => a.id - b.id
  return { issues: issues.sort(order), pulls: pulls.sort(order) }
}

/** The same view of the database. */
export async function dbBriefs(sql: Sql): Promise<{ issues: Brief[]; pulls: Brief[] }> {
  const read = async (table: 'issues' | 'pull_requests'): Promise<Brief[]> => {
    const rows = await sql<
      {
        id: string
        repo: string
        number: number
        state: string
        merged: boolean | null
        updated_at: Date
        username: string
      }[]
    >`select id, repo, number, state, ${table === 'pull_requests' ? sql`merged` : sql`null::boolean as merged`},
        updated_at, username from ${sql(table)} order by id`
    return rows.map((r) => ({
      id: Number(r.id),
      repo: r.repo,
      number: r.number,
      state: r.state,
      merged: r.merged,
      updated_at: r.updated_at.toISOString(),
      username: r.username
    }))
  }
  return { issues: await read('issues'), pulls: await read('pull_requests') }
}

/** Every row of the synced tables as JSON text, sorted, for equality checks between runs. */
export async function dumpTables(
  sql: Sql,
  tables = ['issues', 'pull_requests', 'repositories']
): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {}
  for (const t of tables) {
    const rows = await sql<{ j: string }[]>`
      select (to_jsonb(x) - 'first_seen_at' - 'last_seen_at')::text as j from ${sql(t)} x order by 1`
    out[t] = rows.map((r) => r.j)
  }
  return out
}
