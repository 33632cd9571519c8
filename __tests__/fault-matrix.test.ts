// Every fault the simulated GitHub can inject, against every task that asks
// GitHub anything (issue 13's fault suite). Each case starts from the
// database a fault-free sequence of runs had just before the task (a copy of
// a template database), injects one fault on the task's middle request (of
// the requests the fault applies to: GraphQL, search or core), and runs the
// task. The run must complete or fail with a clean message: one line naming
// what failed, no stack trace, never the token. After a failure the task is
// run again without the fault. Either way the database must then equal the
// fault-free one, table by table — cursors and ETag rows included.
//
// Cases run three at a time, each lane with its own simulator (generated from
// the same seed, so the same GitHub) behind a gate that presents it under one
// host name: GitHub's answers name their host in URLs the tables keep.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import postgres from 'postgres'
import { connectionOptions } from '../src/db/connect.js'
import { generateWorld, startSim, type Fault, type LogEntry, type Sim } from '../sim/index.js'
import { adminUrl } from './helpers/db.js'
import { ALL_TASKS, everythingPrinted, runAll, snapshot, SMALL_ORG, type FullRun } from './helpers/full-run.js'
import { startGate, type HttpGate } from './helpers/http-gate.js'

const SKIP = process.env.CM_FAULT_SUITE === 'skip'
if (SKIP) {
  console.log('fault-matrix: skipped (CM_FAULT_SUITE=skip)')
}

/** The kill matrix's world: SMALL_ORG with shorter timelines. */
const WORLD = { ...SMALL_ORG, items: 60, timeline: { mean: 4, over100: 0, over1000: 0 } }
/** A token shaped like a PAT, so that "never printed" means something. */
const TOKEN = 'ghp_FaultMatrix0123456789abcdefghijklmnop'.slice(0, 40)
const TASKS = ALL_TASKS.split(',').filter((t) => t !== 'migrate')
const LANES = 3
/** The stall outlasts the per-request time-out, which is shortened for that case only. */
const STALL_MS = 3000
const STALL_TIMEOUT_MS = 1500

type Outcome = 'retried' | 'fails'
interface Kind {
  name: string
  /** Which requests it can hit (default: any). */
  on?: (e: LogEntry) => boolean
  /** Retried within the run (the run completes), or the run fails cleanly. */
  outcome: Outcome
  /** What a failure's message says. */
  names?: RegExp
  /** Arms the fault for the `n`th request (1-based) the simulator's hooks see from now. */
  arm(sim: Sim, n: number): void
  requestTimeoutMs?: number
  /** Inputs of this case's runs beyond runAll's. */
  inputs?: Record<string, string>
}

const nth = (fault: Fault) => (sim: Sim, n: number) => void sim.faults.failNth({}, n, fault)
const isCore = (e: LogEntry): boolean => e.bucket === 'core'
const isSearch = (e: LogEntry): boolean => e.bucket === 'search'
const isGraphql = (e: LogEntry): boolean => e.bucket === 'graphql'

const KINDS: Kind[] = [
  { name: '500', outcome: 'retried', arm: nth({ status: 500 }) },
  { name: '502 with an HTML body', outcome: 'retried', arm: nth({ status: 502, body: 'html' }) },
  { name: '503', outcome: 'retried', arm: nth({ status: 503 }) },
  { name: 'connection reset', outcome: 'retried', arm: nth({ reset: true }) },
  {
    name: 'stalled past the request time-out',
    outcome: 'retried',
    arm: nth({ stall: STALL_MS }),
    requestTimeoutMs: STALL_TIMEOUT_MS
  },
  { name: 'malformed JSON', outcome: 'retried', arm: nth({ malformedJson: true }) },
  { name: 'secondary limit, retry-after', outcome: 'retried', arm: nth({ secondaryLimit: 1 }) },
  {
    // GitHub: "wait for at least one minute"; the default max-rate-limit-wait (900 s) allows it.
    name: 'secondary limit, no retry-after',
    outcome: 'retried',
    arm: nth({ secondaryLimit: null }),
    inputs: { 'max-rate-limit-wait': '900' }
  },
  {
    name: 'secondary limit, no retry-after, past max-rate-limit-wait',
    outcome: 'fails',
    names: /^GitHub's secondary rate limit \((GET|POST) \/\S+\): .* would pass max-rate-limit-wait \(2s\)/,
    arm: nth({ secondaryLimit: null })
  },
  {
    name: 'secondary limit as 429',
    outcome: 'retried',
    arm: (sim, n) => void sim.faults.onNth({}, n, () => sim.limits.secondary(1, 1, 429))
  },
  {
    name: '500 on every attempt',
    outcome: 'fails',
    names: /^GitHub failed on (GET|POST) \/\S+: 500 Server Error.*, and on each of 3 retries\./,
    // The request and its 3 retries (the client retries a 5xx 3 times).
    arm: (sim, n) => {
      for (let k = 0; k < 4; k++) sim.faults.failNth({}, n + k, { status: 500 })
    }
  },
  {
    name: 'connection reset on every attempt',
    outcome: 'fails',
    names: /^GitHub failed on (GET|POST) \/\S+: no answer \(.+\), and on each of 3 retries\./,
    arm: (sim, n) => {
      for (let k = 0; k < 4; k++) sim.faults.failNth({}, n + k, { reset: true })
    }
  },
  {
    name: 'core limit spent (403)',
    on: isCore,
    outcome: 'fails',
    names: /^GitHub's primary rate limit for core REST requests is spent \(GET \//,
    arm: (sim, n) => void sim.faults.onNth({}, n, () => sim.limits.exhaust('core', TOKEN, { resetInSeconds: 3600 }))
  },
  {
    name: 'core limit spent (429)',
    on: isCore,
    outcome: 'fails',
    names: /^GitHub's primary rate limit for core REST requests is spent \(GET \//,
    arm: (sim, n) => {
      sim.limits.setPrimaryStatus(429)
      sim.faults.onNth({}, n, () => sim.limits.exhaust('core', TOKEN, { resetInSeconds: 3600 }))
    }
  },
  {
    name: 'search limit spent',
    on: isSearch,
    outcome: 'fails',
    names: /^GitHub's primary rate limit for search \(30 requests a minute\) is spent \(GET \/search\/issues\)/,
    arm: (sim, n) => void sim.faults.onNth({}, n, () => sim.limits.exhaust('search', TOKEN, { resetInSeconds: 3600 }))
  },
  {
    name: 'GraphQL points spent (RATE_LIMIT)',
    on: isGraphql,
    outcome: 'fails',
    names: /^GitHub's primary rate limit for GraphQL \(points\) is spent \(POST \/graphql\)/,
    arm: (sim, n) => void sim.faults.onNth({}, n, () => sim.limits.exhaust('graphql', TOKEN, { resetInSeconds: 3600 }))
  },
  {
    name: 'GraphQL points spent (RATE_LIMITED, the older type)',
    on: isGraphql,
    outcome: 'fails',
    names: /^GitHub's primary rate limit for GraphQL \(points\) is spent \(POST \/graphql\)/,
    arm: (sim, n) => {
      sim.world.config.graphqlRateLimitError = 'RATE_LIMITED'
      sim.faults.onNth({}, n, () => sim.limits.exhaust('graphql', TOKEN, { resetInSeconds: 3600 }))
    }
  },
  {
    name: 'search incomplete_results',
    on: isSearch,
    outcome: 'retried',
    arm: (sim, n) => void sim.faults.onNth({}, n, () => sim.faults.incompleteResults(1))
  }
]

/** Requests the simulator's fault hooks see: all but GET /rate_limit, which is answered before them. */
const hookable = (entries: LogEntry[]): LogEntry[] => entries.filter((e) => e.route !== '/rate_limit')

interface Lane {
  sim: Sim
  gate: HttpGate
}

let refSim: Sim
const lanes: Lane[] = []
const free: Lane[] = []
const waiting: ((lane: Lane) => void)[] = []
/** Per task: the database before it (a template) and after it, and the requests it made. */
const before = new Map<string, string>()
const after = new Map<string, Record<string, string[]>>()
const requests = new Map<string, LogEntry[]>()
const created: string[] = []
const seen: string[] = []

async function admin<T>(fn: (sql: postgres.Sql) => Promise<T>): Promise<T> {
  const sql = postgres(adminUrl(), { max: 1, onnotice: () => {} })
  try {
    return await fn(sql)
  } finally {
    await sql.end()
  }
}
function urlOf(name: string): string {
  const url = new URL(adminUrl())
  url.pathname = `/${name}`
  return url.toString()
}
let serial = 0
async function createDb(template?: string): Promise<string> {
  const name = `cm_faultm_${process.pid}_${serial++}`
  await admin((sql) =>
    template ? sql`create database ${sql(name)} template ${sql(template)}` : sql`create database ${sql(name)}`
  )
  created.push(name)
  return name
}
async function dump(name: string): Promise<Record<string, string[]>> {
  const sql = postgres(urlOf(name), connectionOptions())
  try {
    return await snapshot(sql)
  } finally {
    await sql.end()
  }
}

async function withLane<T>(fn: (lane: Lane) => Promise<T>): Promise<T> {
  const lane = free.pop() ?? (await new Promise<Lane>((resolve) => waiting.push(resolve)))
  try {
    return await fn(lane)
  } finally {
    lane.sim.faults.clear()
    lane.sim.limits.reset()
    lane.sim.limits.setPrimaryStatus(403)
    lane.sim.world.config.graphqlRateLimitError = 'RATE_LIMIT'
    lane.sim.log.reset()
    const next = waiting.shift()
    if (next) next(lane)
    else free.push(lane)
  }
}

function sync(lane: Lane | { sim: Sim; url: string }, db: string, task: string, kind?: Kind): Promise<FullRun> {
  const apiUrl = 'gate' in lane ? lane.gate.url : lane.url
  const timeout = kind?.requestTimeoutMs
  return runAll(
    lane.sim,
    urlOf(db),
    { mode: task, 'github-token': TOKEN, ...kind?.inputs },
    { apiUrl, ...(timeout ? { requestTimeoutMs: timeout } : {}) }
  )
}

/** The request a kind hits in a task: the middle one of those it applies to (null: the task makes none). */
function target(kind: Kind, task: string): number | null {
  const all = hookable(requests.get(task) ?? [])
  const eligible = all.map((e, i) => ({ e, i })).filter(({ e }) => (kind.on ?? (() => true))(e))
  if (eligible.length === 0) return null
  return eligible[Math.floor((eligible.length - 1) / 2)].i + 1
}

describe.skipIf(SKIP)('every simulated fault against every task', () => {
  beforeAll(async () => {
    refSim = await startSim({ generate: WORLD })
    const host = new URL(refSim.url).host
    for (let i = 0; i < LANES; i++) {
      const sim = await startSim({ world: generateWorld(WORLD) })
      const lane = { sim, gate: await startGate(sim.url, { upstreamHost: host }) }
      lanes.push(lane)
      free.push(lane)
    }
    // The fault-free sequence: migrate, then each task in the order of a full run.
    const ref = await createDb()
    const migrated = await sync({ sim: refSim, url: refSim.url }, ref, 'migrate')
    expect(migrated.report.ok, migrated.report.error).toBe(true)
    for (const task of TASKS) {
      before.set(task, await createDb(ref))
      refSim.log.reset()
      const { report } = await sync({ sim: refSim, url: refSim.url }, ref, task)
      expect(report.ok, `${task}: ${report.error}`).toBe(true)
      requests.set(task, [...refSim.log.entries])
      after.set(task, await dump(ref))
    }
  })
  afterAll(async () => {
    for (const lane of lanes) {
      await lane.gate.close()
      await lane.sim.close()
    }
    await refSim?.close()
    await admin(async (sql) => {
      for (const name of created) await sql`drop database if exists ${sql(name)} with (force)`
    })
    console.log(`fault-matrix:\n${seen.sort().join('\n')}`)
  })

  it('every task makes requests to hit', () => {
    for (const task of TASKS) expect(hookable(requests.get(task) ?? []).length, task).toBeGreaterThan(0)
  })

  const cases = KINDS.flatMap((kind) => TASKS.map((task) => ({ kind, task })))
  it.concurrent.for(cases.map(({ kind, task }) => [kind.name, task] as const))(
    '%s in %s',
    // Cases wait for a lane, so a case's time includes its turn.
    { timeout: 120_000 },
    async ([name, task]) => {
      const kind = KINDS.find((k) => k.name === name)!
      const n = target(kind, task)
      if (n === null) {
        seen.push(`${task}: ${name}: n/a (the task makes no such request)`)
        return
      }
      await withLane(async (lane) => {
        const db = await createDb(before.get(task)!)
        kind.arm(lane.sim, n)
        const faulted = await sync(lane, db, task, kind)
        // The simulator logs a stalled request when it answers it at last, after the
        // client gave up on it: wait for that, or it would be counted in the lane's next case.
        while (kind.requestTimeoutMs && !lane.sim.log.entries.some((e) => e.fault?.startsWith('stall'))) {
          await new Promise((resolve) => setTimeout(resolve, 50))
        }
        const made = hookable(lane.sim.log.entries).length
        const cleanMade = hookable(requests.get(task)!).length
        const what = `${name} on ${task}'s request ${n}`
        const trace = lane.sim.log.entries.map(
          (e) => `${e.method} ${e.path}?${e.query} ${e.status}${e.fault ? ` (${e.fault})` : ''}`
        )
        const printed = everythingPrinted(faulted.io)
        expect(printed, what).not.toContain(TOKEN)
        expect(printed, what).not.toMatch(/\n\s+at .*\(.*:\d+:\d+\)/)
        seen.push(
          `${task}: ${name} (request ${n}): ${faulted.report.ok ? 'completed' : `failed: ${faulted.report.error}`}; ` +
            `${made} requests (fault-free ${cleanMade})`
        )
        if (kind.outcome === 'retried') {
          expect(faulted.report.ok, `${what}: ${faulted.report.error}`).toBe(true)
          // The failed request is asked once more.
          expect(made, `${what}:\n${trace.join('\n')}`).toBe(cleanMade + 1)
        } else {
          expect(faulted.report.ok, what).toBe(false)
          expect(faulted.io.failure, what).toMatch(kind.names!)
          expect(faulted.io.failure, what).not.toContain('\n')
          // The run stopped at the request that failed (after its retries, where it has them).
          expect(made, `${what}:\n${trace.join('\n')}`).toBe(n + (/every attempt/.test(name) ? 3 : 0))
          lane.sim.faults.clear()
          lane.sim.limits.reset()
          lane.sim.limits.setPrimaryStatus(403)
          lane.sim.world.config.graphqlRateLimitError = 'RATE_LIMIT'
          const again = await sync(lane, db, task)
          expect(again.report.ok, `${what}, then again: ${again.report.error}`).toBe(true)
        }
        expect(await dump(db), what).toEqual(after.get(task))
      })
    }
  )
})
