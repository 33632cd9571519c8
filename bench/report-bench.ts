/**
 * The report on the benchmark-size org (sim/README.md: 20 repositories,
 * 50,000 issues and pull requests, ~500,000 timeline items, 200 members),
 * loaded by load-world.ts: how long the report's queries take, and how big
 * its job summary is against GitHub's 1 MiB step limit.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import postgres from 'postgres'
import { connectionOptions } from '../src/db/connect.js'
import { migrate } from '../src/db/migrate.js'
import { MemoryLog } from '../src/log.js'
import { runReport } from '../src/tasks/report.js'
import type { Deps } from '../src/tasks/types.js'
import { startSim, generateWorld, type Sim } from '../sim/index.js'
import type { Settings } from '../src/inputs.js'
import { loadWorld } from './load-world.js'

export interface ReportBench {
  items: number
  events: number
  loadSeconds: number
  /** Wall time of the report task, first (cold) and second run. */
  reportSeconds: [number, number]
  summaryBytes: number
  jsonBytes: number
}

export async function benchReportAtScale(
  adminUrl: string,
  depsFor: (sim: Sim, sql: postgres.Sql) => Deps,
  settingsFor: (sim: Sim, extra?: Record<string, string>) => Settings
): Promise<ReportBench> {
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} })
  const dbName = `cm_bench_report_${process.pid}`
  await admin`drop database if exists ${admin(dbName)}`
  await admin`create database ${admin(dbName)}`
  const url = new URL(adminUrl)
  url.pathname = `/${dbName}`
  const sql = postgres(url.toString(), connectionOptions())
  const world = generateWorld({ seed: 1, repos: 20, items: 50_000, members: 200 })
  const sim = await startSim({ world })
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'cm-bench-report-'))
  try {
    await migrate(sql, new MemoryLog())
    let t = performance.now()
    const loaded = await loadWorld(sim, sql, depsFor(sim, sql), settingsFor(sim, { mode: 'members', since: '' }))
    const loadSeconds = (performance.now() - t) / 1000
    const file = path.join(tmp, 'report.json')
    const times: number[] = []
    let summary = ''
    for (let k = 0; k < 2; k++) {
      t = performance.now()
      const result = await runReport(
        depsFor(sim, sql),
        settingsFor(sim, { mode: 'report', since: '', 'report-file': file })
      )
      times.push((performance.now() - t) / 1000)
      summary = result.summary ?? ''
    }
    return {
      ...loaded,
      loadSeconds,
      reportSeconds: [times[0], times[1]],
      summaryBytes: Buffer.byteLength(summary),
      jsonBytes: Buffer.byteLength(readFileSync(file))
    }
  } finally {
    await sim.close()
    await sql.end()
    await admin`drop database if exists ${admin(dbName)}`
    await admin.end()
    rmSync(tmp, { recursive: true, force: true })
  }
}
