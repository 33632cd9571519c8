/**
 * The README's first command (`npm run demo`): the main job end to end with
 * nothing but Node. Starts the simulated GitHub in-process with a generated
 * org (a few repositories, a few thousand issues and pull requests, ghost
 * users, a renamed repository, transfers, members who left), runs every
 * available sync task through run() into the embedded Postgres in
 * .data/demo (wiped first, so each demo starts fresh), then prints what the
 * tables hold and the requests it took, and ends with the report of the
 * demo org (mode: report, terminal tables). Tables are queried directly, so
 * tasks that land later show up here without editing this file.
 */
import { rmSync } from 'node:fs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import type { InputName, Task } from '../src/constants.js'
import { openDatabase, type Sql } from '../src/db/connect.js'
import { terminalIO } from '../src/io.js'
import { MemoryLog } from '../src/log.js'
import { run, type RunReport } from '../src/main.js'
import { isAvailable } from '../src/tasks/index.js'
import { startSim, type GenerateOptions, type World } from '../sim/index.js'

/** The every-30-minutes job plus the tasks that complete the picture. */
const DEMO_TASKS: Task[] = ['migrate', 'issues', 'pulls', 'unmerged', 'members', 'transfers', 'events']

export interface DemoOptions {
  /** A Postgres URL; default: the embedded database in `dataDir`. */
  databaseUrl?: string
  /** Default .data/demo (wiped first). */
  dataDir?: string
  generate?: GenerateOptions
  /** Where lines go (default stdout). */
  print?: (line: string) => void
}

export async function demo(options: DemoOptions = {}): Promise<RunReport> {
  const print = options.print ?? ((line: string) => console.log(line))
  const dataDir = path.resolve(options.dataDir ?? '.data/demo')
  if (!options.databaseUrl) rmSync(dataDir, { recursive: true, force: true })
  const generate = options.generate ?? { seed: 1, org: 'acme', repos: 5, items: 3000, members: 40 }
  const sim = await startSim({ generate })
  try {
    const tasks = DEMO_TASKS.filter(isAvailable)
    print(
      `Simulated GitHub at ${sim.url}: org '${sim.world.org}', ${generate.repos} repositories, ${generate.items} issues and pull requests.`
    )
    print(`Running: ${tasks.join(',')}\n`)
    const flags = new Map<InputName, string>([
      ['mode', tasks.join(',')],
      ['github-token', 'demo-token'],
      ['api-url', sim.url],
      ['org', sim.world.org],
      options.databaseUrl ? ['database-url', options.databaseUrl] : ['data-dir', dataDir]
    ])
    const first = await run(terminalIO(flags), { clock: () => sim.world.now() })
    if (!first.ok) return first
    const runs: [string, RunReport][] = [['first sync', first]]
    // Half an hour later: the next scheduled run sees only what changed.
    print(`\n30 minutes later: ${describeChanges(sim.world)}\n`)
    flags.set('mode', tasks.filter((t) => t !== 'migrate').join(','))
    const report = await run(terminalIO(flags), { clock: () => sim.world.now() })
    if (!report.ok) return report
    runs.push(['30 min later', report])
    const db = await openDatabase(
      options.databaseUrl ? { kind: 'url', url: options.databaseUrl } : { kind: 'embedded', dataDir },
      new MemoryLog()
    )
    try {
      for (const line of await describeStored(db.sql, runs)) print(line)
    } finally {
      await db.close()
    }
    if (isAvailable('report')) {
      // The report of the demo org: the last 30 days against the 30 before.
      print('\n' + '='.repeat(72) + '\n')
      const io = terminalIO(new Map([...flags, ['mode', 'report'], ['format', 'text']]))
      const printed = await run(
        {
          ...io,
          print: (text) =>
            text
              .replace(/\n$/, '')
              .split('\n')
              .forEach((line) => print(line))
        },
        { clock: () => sim.world.now() }
      )
      if (!printed.ok) return printed
    }
    return report
  } finally {
    await sim.close()
  }
}

/** What the tables hold, as plain-text tables. */
export async function describeStored(sql: Sql, runs: [string, RunReport][]): Promise<string[]> {
  const out: string[] = ['', 'What is stored', '']
  const perRepo = await sql<
    { repo: string; issues: number; open_issues: number; prs: number; open: number; merged: number; closed: number }[]
  >`
    with i as (
      select repo, count(*)::int as issues, count(*) filter (where state = 'open')::int as open_issues
      from issues group by repo),
    p as (
      select repo, count(*)::int as prs, count(*) filter (where state = 'open')::int as open,
        count(*) filter (where merged)::int as merged,
        count(*) filter (where state = 'closed' and not merged)::int as closed
      from pull_requests group by repo)
    select coalesce(i.repo, p.repo) as repo, coalesce(issues, 0) as issues, coalesce(open_issues, 0) as open_issues,
      coalesce(prs, 0) as prs, coalesce(open, 0) as open, coalesce(merged, 0) as merged, coalesce(closed, 0) as closed
    from i full join p on p.repo = i.repo order by 1`
  out.push(
    ...table(
      ['repository', 'issues', 'open', 'PRs', 'open', 'merged', 'closed unmerged'],
      perRepo.map((r) => [r.repo, r.issues, r.open_issues, r.prs, r.open, r.merged, r.closed])
    )
  )
  const [ghosts] = await sql<{ n: number }[]>`
    select (select count(*) from issues where username = 'ghost') + (select count(*) from pull_requests where username = 'ghost') as n`
  const renamed = await sql<{ name: string; previous: string }[]>`
    select name, array_to_string(previous_names, ', ') as previous from repositories where cardinality(previous_names) > 0`
  out.push('', `Authored by deleted users (stored as ghost): ${ghosts.n}`)
  for (const r of renamed) out.push(`Renamed repository: ${r.previous} → ${r.name} (one history, keyed by id)`)

  const events = await sql<
    { event: string; n: number }[]
  >`select event, count(*)::int as n from events group by event order by 2 desc, 1`
  out.push(
    '',
    ...(events.length
      ? table(
          ['event', 'count'],
          events.map((e) => [e.event, e.n])
        )
      : [`Events: none stored${unavailable('events')}`])
  )
  const [members] = await sql<{ active: number; inactive: number }[]>`
    select count(*) filter (where not coalesce(inactive, false))::int as active, count(*) filter (where inactive)::int as inactive from members`
  out.push(
    '',
    `Members: ${members.active} active, ${members.inactive} inactive (left the org)${unavailable('members')}`
  )
  const transfers = await sql<{ repo: string; number: number; new_repo: string | null; new_number: number | null }[]>`
    select repo, number, new_repo, new_number from transfers order by repo, number`
  out.push(`Transfers: ${transfers.length}${unavailable('transfers')}`)
  for (const t of transfers) out.push(`  ${t.repo}#${t.number} → ${t.new_repo ?? '?'}#${t.new_number ?? '?'}`)

  const rows = runs.flatMap(([name, r]) => [
    ...r.tasks.map((t) => [
      name,
      t.task,
      t.requests.billable,
      t.requests.points,
      t.requests.notModified,
      t.seconds.toFixed(1)
    ]),
    [name, 'all', r.requests.billable, r.requests.points, r.requests.notModified, '']
  ])
  out.push('', ...table(['run', 'task', 'billable requests', 'GraphQL points', 'answered 304 (free)', 'seconds'], rows))
  const billable = runs.reduce((n, [, r]) => n + r.requests.billable, 0)
  const points = runs.reduce((n, [, r]) => n + r.requests.points, 0)
  const notModified = runs.reduce((n, [, r]) => n + r.requests.notModified, 0)
  const share = billable + notModified === 0 ? 0 : Math.round((100 * notModified) / (billable + notModified))
  out.push(
    '',
    `Spent: ${billable} billable requests (core and search) and ${points} GraphQL points; ` +
      `${notModified} requests answered 304 (free): ${share}% of all REST requests were free.`
  )
  // Timelines: GraphQL queries by default, REST pages with timeline-api: rest.
  const timeline = runs.flatMap(([, r]) => r.tasks.filter((t) => t.task === 'events'))
  const queries = timeline.reduce((n, t) => n + t.requests.graphqlRequests, 0)
  const timelinePoints = timeline.reduce((n, t) => n + t.requests.points, 0)
  const pages = timeline.reduce((n, t) => n + t.requests.billable + t.requests.notModified, 0)
  const free = timeline.reduce((n, t) => n + t.requests.notModified, 0)
  out.push(
    `Timelines (events task): ${queries} GraphQL queries costing ${timelinePoints} points, ` +
      `${pages} REST requests (${free} answered 304).`
  )
  return out
}

/** A note for tables a task not built yet would fill. */
function unavailable(task: Task): string {
  return isAvailable(task) ? '' : ' (task not available yet)'
}

/** A few typical changes, and a rename: what a scheduled run has to pick up. */
function describeChanges(world: World): string {
  const repos = world.repos.filter((r) => !r.archived)
  const busy = repos[0]
  const open = busy.list.filter((i) => !i.deleted && !i.movedTo && i.state === 'open')
  const pull = open.find((i) => i.isPull)
  const issue = open.find((i) => !i.isPull)
  world.advance({ minutes: 30 })
  const created = world.openIssue(busy.name, { title: 'Crash on start-up', user: 'new-contributor', labels: ['bug'] })
  if (issue) {
    world.comment(busy.name, issue.number, { user: 'dev-1', body: 'I can reproduce this.' })
    world.label(busy.name, issue.number, 'confirmed', 'dev-1')
  }
  if (pull) world.merge(busy.name, pull.number, 'dev-1')
  // For the members and transfers tasks: an issue moves, a member leaves.
  const moving = open.find((i) => !i.isPull && i !== issue)
  const target = repos.find((r) => r !== busy && !r.private)
  if (moving && target) world.transfer(busy.name, moving.number, target.name, 'dev-1')
  world.removeMember('dev-2')
  const renamed = repos[repos.length - 1]
  const from = renamed.name
  world.renameRepo(from, `${from}-renamed`)
  world.advance({ minutes: 1 })
  return (
    `${busy.name}#${created.number} opened` +
    (issue ? `, ${busy.name}#${issue.number} commented and labelled` : '') +
    (pull ? `, ${busy.name}#${pull.number} merged` : '') +
    (moving && target ? `, ${busy.name}#${moving.number} transferred to ${target.name}` : '') +
    ', dev-2 left the org' +
    `, ${from} renamed to ${renamed.name}`
  )
}

function table(head: string[], rows: (string | number)[][]): string[] {
  const cells = [head, ...rows.map((r) => r.map(String))]
  const width = head.map((_, c) => Math.max(...cells.map((r) => r[c].length)))
  const line = (r: string[]): string =>
    r.map((v, c) => (c === 0 ? v.padEnd(width[c]) : v.padStart(width[c]))).join('  ')
  return [line(head), width.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)]
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const started = Date.now()
  const report = await demo()
  console.log(
    `\nDemo finished in ${((Date.now() - started) / 1000).toFixed(0)}s. Data: .data/demo (wiped on the next demo).`
  )
  if (!report.ok) process.exitCode = 1
}
