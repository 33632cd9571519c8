// A simulated org for the report tests, built over three months in time
// order on a running simulator and synced into Postgres by the real tasks:
// members at every membership change (so the stored spans are exact), a
// full sync before the transfers and deletions, and one after. It holds the
// scripted cases of issue 12 (draft pull requests, bots, authors replying to
// themselves, a member who left before responding, a transferred issue, new
// contributors across a month boundary, waiting on us with a member reply, a
// bot reply and a transfer) among seeded random items.
import { startSim, World, type Sim } from '../../sim/index.js'
import type { IssueRec } from '../../sim/model.js'
import { mulberry32, pick, randInt, type Rand } from '../../sim/prng.js'
import type { Sql } from '../../src/db/connect.js'
import { runEvents } from '../../src/tasks/events.js'
import { runIssues } from '../../src/tasks/issues.js'
import { runMembers } from '../../src/tasks/members.js'
import { runPulls } from '../../src/tasks/pulls.js'
import { runTransfers } from '../../src/tasks/transfers.js'
import { simDeps, simSettings } from './sync.js'

export const REPORT_ORG = 'acme'
export const MEMBERS = ['dev-1', 'dev-2', 'dev-3', 'dev-4']
const OUTSIDERS = ['user-1', 'user-2', 'user-3', 'user-4', 'user-5', 'user-6']
const BOTS = ['dependabot[bot]', 'github-actions[bot]']
const REPOS = ['app', 'web', 'docs']

/** Where the scripted cases are, for assertions that name them. */
export interface Cases {
  draftPr: Ref
  stillDraft: Ref
  botFirst: Ref
  leftBeforeResponding: Ref
  transferred: Ref
  waitingBotReply: Ref
  memberReplied: Ref
  waitingAfterReply: Ref
}

/** An item as it is addressed now (a transfer moves it). */
export interface Ref {
  repo: string
  number: number
  gone?: boolean
}

const at = (iso: string): number => Date.parse(iso)
const END_OF_ACTIVITY = Date.parse('2025-03-27T00:00:00Z')

interface Action {
  at: number
  order: number
  run: () => void | Promise<void>
}

export interface ReportWorld {
  sim: Sim
  cases: Cases
  /** Runs issues, pulls, events, members and transfers as a scheduled job would. */
  sync(): Promise<void>
}

/** Builds the world on a running simulator and syncs it into `sql` (migrated). */
export async function buildReportWorld(sql: Sql, seed = 7): Promise<ReportWorld> {
  const world = new World({ org: REPORT_ORG, now: '2025-01-01T00:00:00Z' })
  for (const r of REPOS) world.createRepo(r)
  for (const m of MEMBERS) world.addMember(m)
  for (const u of [...OUTSIDERS, 'user-7', 'user-8', 'user-9', 'user-10']) world.addUser(u)
  for (const b of BOTS) world.addUser(b, { type: 'Bot' })
  const sim = await startSim({ world })
  const task = async (fn: typeof runIssues, mode: string): Promise<void> => {
    await fn(simDeps(sim, sql), simSettings(sim, { mode, since: '2024-12-01', 'budget-reserve': '0' }))
  }
  const syncMembers = (): Promise<void> => task(runMembers, 'members')
  const sync = async (): Promise<void> => {
    await task(runIssues, 'issues')
    await task(runPulls, 'pulls')
    await task(runEvents, 'events')
    await task(runMembers, 'members')
    await task(runTransfers, 'transfers')
  }
  await syncMembers()

  const actions: Action[] = []
  let order = 0
  const schedule = (iso: string | number, run: Action['run']): void => {
    actions.push({ at: typeof iso === 'number' ? iso : at(iso), order: order++, run })
  }
  const open = (ref: Ref, iso: string, input: Parameters<World['openIssue']>[1]): void =>
    schedule(iso, () => {
      ref.number = world.openIssue(ref.repo, input).number
    })
  const comment = (ref: Ref, iso: string | number, user: string | null): void =>
    schedule(iso, () => void (ref.gone || world.comment(ref.repo, ref.number, { user, body: `by ${user}` })))
  const newRef = (repo: string): Ref => ({ repo, number: 0 })

  // 1. A draft pull request: a comment while in draft is no response; the
  // author's own comment and a bot's are none either; the first response is
  // user-2's, 4 hours after ready_for_review; dev-1's approval is the first
  // member response and the first review.
  const draftPr = newRef('app')
  open(draftPr, '2025-01-05T10:00:00Z', { title: 'Draft feature', user: 'user-1', isPull: true, draft: true })
  comment(draftPr, '2025-01-05T11:00:00Z', 'dev-1')
  schedule('2025-01-06T10:00:00Z', () => void world.readyForReview('app', draftPr.number, 'user-1'))
  comment(draftPr, '2025-01-06T11:00:00Z', 'user-1')
  comment(draftPr, '2025-01-06T12:00:00Z', 'github-actions[bot]')
  comment(draftPr, '2025-01-06T14:00:00Z', 'user-2')
  schedule('2025-01-07T10:00:00Z', () => void world.review('app', draftPr.number, { user: 'dev-1', state: 'APPROVED' }))
  schedule('2025-01-08T10:00:00Z', () => void world.merge('app', draftPr.number, 'dev-1'))

  // 2. A pull request still in draft: no start, left out of response metrics and of waiting on us.
  const stillDraft = newRef('app')
  open(stillDraft, '2025-01-10T10:00:00Z', { title: 'Work in progress', user: 'user-3', isPull: true, draft: true })
  comment(stillDraft, '2025-01-10T12:00:00Z', 'dev-2')

  // 3. A bot answers first and the author replies to themselves; dev-3 is the first response, after 24 hours.
  const botFirst = newRef('app')
  open(botFirst, '2025-01-12T09:00:00Z', { title: 'Crash on save', user: 'user-2' })
  comment(botFirst, '2025-01-12T09:05:00Z', 'github-actions[bot]')
  comment(botFirst, '2025-01-12T10:00:00Z', 'user-2')
  comment(botFirst, '2025-01-13T09:00:00Z', 'dev-3')

  // 4. A member who left before responding: dev-2's comment is a response but not a member's.
  schedule('2025-02-10T00:00:17Z', async () => {
    world.removeMember('dev-2')
    await syncMembers()
  })
  const leftBeforeResponding = newRef('app')
  open(leftBeforeResponding, '2025-02-11T09:00:00Z', { title: 'Slow start-up', user: 'user-4' })
  comment(leftBeforeResponding, '2025-02-11T12:00:00Z', 'dev-2')
  comment(leftBeforeResponding, '2025-02-12T09:00:00Z', 'dev-1')
  schedule('2025-02-20T00:00:17Z', async () => {
    world.addMember('user-3')
    await syncMembers()
  })
  schedule('2025-03-01T00:00:17Z', async () => {
    world.addMember('dev-2')
    await syncMembers()
  })

  // 5. A transferred issue: answered before it moved, the outsider writes again after: waiting, in docs, once.
  const transferred = newRef('web')
  open(transferred, '2025-02-20T09:00:00Z', { title: 'Moves to docs', user: 'user-5' })
  comment(transferred, '2025-02-21T09:00:00Z', 'dev-3')
  schedule('2025-03-12T08:00:00Z', () => {
    const moved = world.transfer('web', transferred.number, 'docs', 'dev-1')
    transferred.repo = 'docs'
    transferred.number = moved.number
  })
  comment(transferred, '2025-03-13T09:00:00Z', 'user-5')

  // 6. New contributors across a month boundary: user-7 first acts on 31 January, user-8 on 1 February.
  comment(botFirst, '2025-01-31T23:30:00Z', 'user-7')
  comment(botFirst, '2025-02-01T00:30:00Z', 'user-7')
  open(newRef('web'), '2025-02-01T00:10:00Z', { title: 'First issue', user: 'user-8' })

  // 7. Waiting on us: a member replied (not waiting); only a bot replied
  // (waiting since opened); the outsider wrote after a member's reply
  // (waiting since then).
  const memberReplied = newRef('docs')
  open(memberReplied, '2025-03-02T09:00:00Z', { title: 'Question', user: 'user-9' })
  comment(memberReplied, '2025-03-03T09:00:00Z', 'dev-4')
  const waitingBotReply = newRef('docs')
  open(waitingBotReply, '2025-03-04T09:00:00Z', { title: 'Bot answered', user: 'user-9' })
  comment(waitingBotReply, '2025-03-04T09:10:00Z', 'dependabot[bot]')
  const waitingAfterReply = newRef('web')
  open(waitingAfterReply, '2025-03-05T09:00:00Z', { title: 'Follow-up', user: 'user-10' })
  comment(waitingAfterReply, '2025-03-06T09:00:00Z', 'dev-1')
  comment(waitingAfterReply, '2025-03-07T09:00:00Z', 'user-10')

  // 8. A deleted author (ghost) is human and never a member.
  const ghostIssue = newRef('web')
  open(ghostIssue, '2025-01-20T09:00:00Z', { title: 'Anonymous report', user: null })
  comment(ghostIssue, '2025-01-21T09:00:00Z', 'dev-1')

  randomItems(mulberry32(seed), world, schedule, newRef)

  // A user deletes their account (before the first sync, so every stored row already says ghost).
  schedule('2025-03-09T00:00:00Z', () => void world.deleteUser('user-6'))
  schedule('2025-03-10T00:00:00Z', sync)
  // After the first sync: more transfers and a deleted issue.
  schedule('2025-03-11T08:00:00Z', () => {
    const victim = world.repo('web').list.find((i) => isOpenIssue(i) && i.title.startsWith('Random'))
    if (victim) world.deleteIssue('web', victim.number)
  })
  schedule('2025-03-12T09:00:00Z', () => {
    for (const i of world
      .repo('app')
      .list.filter((x) => isOpenIssue(x) && x.title.startsWith('Random'))
      .slice(0, 2)) {
      world.transfer('app', i.number, 'web', 'dev-1')
    }
  })
  schedule('2025-03-20T00:00:17Z', async () => {
    world.removeMember('dev-4')
    await syncMembers()
  })
  schedule('2025-03-28T00:00:00Z', sync)

  actions.sort((a, b) => a.at - b.at || a.order - b.order)
  for (const a of actions) {
    world.setNow(a.at)
    await a.run()
  }
  world.setNow('2025-03-31T00:00:00Z')
  return {
    sim,
    sync,
    cases: {
      draftPr,
      stillDraft,
      botFirst,
      leftBeforeResponding,
      transferred,
      waitingBotReply,
      memberReplied,
      waitingAfterReply
    }
  }
}

function isOpenIssue(i: IssueRec): boolean {
  return !i.isPull && i.state === 'open' && !i.deleted && !i.movedTo
}

/** Seeded items between January and mid-March: comments, reviews, drafts, merges, closes, reopens. */
function randomItems(
  rand: Rand,
  world: World,
  schedule: (at: number, run: () => void) => void,
  newRef: (repo: string) => Ref
): void {
  const start = Date.parse('2025-01-02T00:00:00Z')
  const span = Date.parse('2025-03-25T00:00:00Z') - start
  const minute = (t: number): number => Math.floor(t / 60_000) * 60_000
  const live = (): string[] =>
    [...MEMBERS, ...OUTSIDERS, ...BOTS].filter((login) => !world.users.get(world.user(login).id)?.deleted)
  const actor = (): string => pick(rand, live())
  // Items moved by the scheduled transfers are followed through world.resolve.
  const follow = (ref: Ref): IssueRec | undefined => {
    const i = world.repo(ref.repo).issues.get(ref.number)
    if (!i || i.deleted) return undefined
    const now = world.resolve(i)
    if (now.deleted) return undefined
    ref.repo = now.repo.name
    ref.number = now.number
    return now
  }
  for (let k = 0; k < 90; k++) {
    const ref = newRef(pick(rand, ['app', 'app', 'web', 'docs']))
    const opened = minute(start + rand() * span)
    const isPull = rand() < 0.45
    const draft = isPull && rand() < 0.2
    const author = actor()
    schedule(opened, () => {
      const who = live().includes(author) ? author : 'user-1'
      ref.number = world.openIssue(ref.repo, { title: `Random ${k}`, user: who, isPull, draft }).number
    })
    let t = opened
    const steps = randInt(rand, 0, 7)
    for (let s = 0; s < steps; s++) {
      t = minute(t + 60_000 + rand() * rand() * 10 * 86_400_000)
      const x = rand()
      const who = actor()
      // Nothing changes after the last sync (the oracle reads the world as it ends).
      if (t >= END_OF_ACTIVITY) break
      schedule(t, () => {
        const i = follow(ref)
        if (!i) return
        const user = live().includes(who) ? who : 'user-1'
        if (x < 0.55) world.comment(ref.repo, ref.number, { user, body: 'random' })
        else if (x < 0.75 && i.isPull && i.state === 'open')
          world.review(ref.repo, ref.number, {
            user,
            state: pick(rand, ['APPROVED', 'CHANGES_REQUESTED', 'COMMENTED'])
          })
        else if (x < 0.82 && i.isPull && i.draft) world.readyForReview(ref.repo, ref.number, user)
        else if (x < 0.9 && i.state === 'open') {
          if (i.isPull && rand() < 0.7) world.merge(ref.repo, ref.number, pick(rand, MEMBERS))
          else world.close(ref.repo, ref.number, { actor: user, reason: rand() < 0.75 ? 'completed' : 'not_planned' })
        } else if (i.state === 'closed' && !i.mergedAt) world.reopen(ref.repo, ref.number, { actor: user })
        else world.comment(ref.repo, ref.number, { user, body: 'random' })
      })
    }
  }
}
