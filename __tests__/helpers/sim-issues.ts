import type { Sim } from '../../sim/index.js'
import type { Sql } from '../../src/db/connect.js'
import { upsertIssueRows, upsertPullRows } from '../../src/db/issues.js'
import { mapIssue } from '../../src/github/map-issue.js'
import type { GitHubIssue } from '../../src/github/types.js'

/**
 * Stores every listed issue and pull request of `repos` as the issues task
 * would (shared mapper and upserts), reading the simulator directly so the
 * request log of the code under test stays clean. Transferred-away and
 * deleted issues are not listed, as on GitHub.
 */
export async function syncIssuesFromSim(sim: Sim, sql: Sql, repos: string[]): Promise<void> {
  const org = sim.world.org
  for (const name of repos) {
    const repo = sim.world.repo(name)
    const items: GitHubIssue[] = []
    for (let page = 1; ; page++) {
      const res = await fetch(`${sim.url}/repos/${org}/${name}/issues?state=all&per_page=100&page=${page}`, {
        headers: { authorization: 'token t' }
      })
      const batch = (await res.json()) as GitHubIssue[]
      items.push(...batch)
      if (batch.length < 100) break
    }
    const mapped = items.map((i) => mapIssue(i, { id: repo.id, org, name: repo.name }))
    await sql.begin(async (tx) => {
      await upsertIssueRows(
        tx,
        mapped.flatMap((m) => (m.kind === 'issue' ? [m.row] : []))
      )
      await upsertPullRows(
        tx,
        mapped.flatMap((m) => (m.kind === 'pull' ? [m.row] : []))
      )
    })
  }
  sim.log.reset()
}
