// Deterministic org generator: the same options (seed included) always give
// the same world (see world.fingerprint()). Items are built through the
// public mutation API with the clock moved to each event's time, so
// generated data obeys exactly the rules tests exercise.
import type { IssueRec, ReactionContent } from './model.js'
import { REACTIONS } from './model.js'
import { expo, mulberry32, pick, randInt, type Rand } from './prng.js'
import { World } from './world.js'

export interface GenerateOptions {
  seed: number
  org?: string
  repos: number
  /** Issues and pull requests in total (they share numbers per repo). */
  items: number
  /** Current org members at the start (some leave, some come back). */
  members: number
  timeline?: {
    /** Mean of the (exponential, capped at 100) timeline length of ordinary items (default 10.4, which gives ~10 items per item). */
    mean?: number
    /** How many items get 101–400 timeline items (default 3). */
    over100?: number
    /** How many items get 1,001–1,300 timeline items (default 1). */
    over1000?: number
  }
  /** The world clock at the end of generation (default 2025-06-01T00:00:00Z). */
  now?: Date | string
  /** History length in days (default 730). */
  days?: number
}

const DAY = 86_400_000
const LABELS = [
  'bug',
  'enhancement',
  'documentation',
  'question',
  'good first issue',
  'help wanted',
  'wontfix',
  'duplicate',
  'priority: high',
  'area: api'
]
const REPO_WORDS = [
  'api',
  'web',
  'cli',
  'docs',
  'infra',
  'sdk',
  'mobile',
  'design',
  'data',
  'auth',
  'billing',
  'search',
  'worker',
  'gateway',
  'ui-kit',
  'metrics',
  'deploy',
  'config',
  'scheduler',
  'tools'
]
const VERBS = ['Fix', 'Add', 'Improve', 'Remove', 'Refactor', 'Document', 'Investigate', 'Support', 'Update', 'Handle']
const NOUNS = [
  'login flow',
  'cache layer',
  'pagination',
  'rate limiter',
  'error messages',
  'dark mode',
  'CSV export',
  'webhooks',
  'retry logic',
  'timezone bug',
  'search index',
  'build script'
]
const BOTS = ['dependabot[bot]', 'github-actions[bot]', 'renovate[bot]']

type Kind =
  | 'commented'
  | 'labeled'
  | 'unlabeled'
  | 'assigned'
  | 'unassigned'
  | 'cross-referenced'
  | 'renamed'
  | 'reviewed'
  | 'committed'
const ISSUE_WEIGHTS: [Kind, number][] = [
  ['commented', 60],
  ['labeled', 10],
  ['unlabeled', 3],
  ['assigned', 6],
  ['unassigned', 2],
  ['cross-referenced', 5],
  ['renamed', 2]
]
const PR_WEIGHTS: [Kind, number][] = [...ISSUE_WEIGHTS, ['reviewed', 12], ['committed', 15]]

function weighted<T>(rand: Rand, ws: [T, number][]): T {
  const total = ws.reduce((s, [, w]) => s + w, 0)
  let x = rand() * total
  for (const [v, w] of ws) if ((x -= w) < 0) return v
  return ws[ws.length - 1][0]
}

export function generateWorld(opts: GenerateOptions): World {
  const rand = mulberry32(opts.seed)
  const end = new Date(opts.now ?? '2025-06-01T00:00:00Z').getTime()
  const start = end - (opts.days ?? 730) * DAY
  const w = new World({ org: opts.org ?? 'acme', now: start - 30 * DAY })
  const sec = (t: number): number => Math.floor(t / 1000) * 1000
  const at = (t: number): void => void w.setNow(sec(t))

  // People: members, outside contributors (a few later deleted → ghosts), bots.
  const members = Array.from({ length: opts.members }, (_, k) => w.addMember(`dev-${k + 1}`).login)
  const outsiders = Array.from({ length: Math.max(5, opts.members) }, (_, k) => w.addUser(`user-${k + 1}`).login)
  for (const b of BOTS) w.addUser(b, { type: 'Bot' })
  const person = (): string => {
    const x = rand()
    return x < 0.65
      ? pick(rand, members.length ? members : outsiders)
      : x < 0.95
        ? pick(rand, outsiders)
        : pick(rand, BOTS)
  }

  // Repositories, weighted so a few are busy (as in a real org).
  const repoNames: string[] = []
  for (let k = 0; k < opts.repos; k++) {
    const name =
      k < REPO_WORDS.length
        ? REPO_WORDS[k]
        : `${REPO_WORDS[k % REPO_WORDS.length]}-${Math.floor(k / REPO_WORDS.length) + 1}`
    w.createRepo(name, { private: k % 7 === 6, archived: k === opts.repos - 1 && opts.repos > 3 })
    repoNames.push(name)
  }
  const weights = repoNames.map((_, k) => 1 / (k + 1))
  const wsum = weights.reduce((a, b) => a + b, 0)

  // Plan items: repo, creation time and timeline length; then sort by time so numbers grow with age.
  const mean = opts.timeline?.mean ?? 10.4
  const plans = Array.from({ length: opts.items }, () => {
    let x = rand() * wsum
    let r = 0
    while ((x -= weights[r]) >= 0 && r < weights.length - 1) r++
    return {
      repo: r,
      created: sec(start + rand() * (end - start - DAY)),
      len: Math.min(100, Math.floor(expo(rand, mean)))
    }
  })
  plans.sort((a, b) => a.created - b.created)
  const long = (count: number, min: number, max: number): void => {
    for (let k = 0; k < count && plans.length; k++) {
      // Older items, so a long history fits before `now`.
      plans[Math.floor(rand() * plans.length * 0.5)].len = randInt(rand, min, max)
    }
  }
  long(opts.timeline?.over100 ?? 3, 101, 400)
  long(opts.timeline?.over1000 ?? 1, 1001, 1300)

  const created: IssueRec[] = []
  for (const p of plans) {
    const repo = repoNames[p.repo]
    at(p.created)
    const isPull = rand() < 0.4
    const author = isPull && rand() < 0.1 ? 'dependabot[bot]' : person()
    const i = w.openIssue(repo, {
      title: `${pick(rand, VERBS)} ${pick(rand, NOUNS)}`,
      user: author,
      isPull,
      draft: isPull && rand() < 0.08,
      labels: rand() < 0.4 ? [pick(rand, LABELS)] : [],
      assignees: rand() < 0.3 ? [pick(rand, members.length ? members : outsiders)] : [],
      milestone: rand() < 0.15 ? pick(rand, ['v1.0', 'v1.1', 'v2.0']) : undefined
    })
    const x = rand()
    const fate = isPull ? (x < 0.6 ? 'merged' : x < 0.75 ? 'closed' : 'open') : x < 0.65 ? 'closed' : 'open'
    const spanEnd = Math.min(end - 60_000, p.created + 60_000 + expo(rand, 20 * DAY) * (1 + p.len / 20))
    const times = Array.from({ length: p.len }, () =>
      sec(p.created + 60_000 + rand() * (spanEnd - p.created - 60_000))
    ).sort((a, b) => a - b)
    const final = fate === 'open' ? p.len : p.len - 1
    for (let k = 0; k < final; k++) {
      at(times[k])
      // A few closed items were closed and reopened once along the way.
      if (k === Math.floor(final / 2) && final >= 4 && rand() < 0.05) {
        w.close(repo, i.number, { actor: person() })
        w.reopen(repo, i.number, { actor: person() })
        continue
      }
      event(w, rand, repo, i, weighted(rand, isPull ? PR_WEIGHTS : ISSUE_WEIGHTS), person, created)
    }
    if (p.len > 0 && fate !== 'open') {
      at(times[p.len - 1])
      if (fate === 'merged') {
        if (i.draft) w.readyForReview(repo, i.number, person())
        w.merge(repo, i.number, pick(rand, members.length ? members : outsiders))
      } else
        w.close(repo, i.number, {
          actor: person(),
          reason: isPull ? undefined : rand() < 0.8 ? 'completed' : 'not_planned'
        })
      if (rand() < 0.03)
        w.lock(repo, i.number, { actor: pick(rand, members.length ? members : outsiders), reason: 'resolved' })
    }
    if (rand() < 0.2) {
      const n = randInt(rand, 1, 5)
      for (let k = 0; k < n; k++) w.react(repo, i.number, pick(rand, REACTIONS) as ReactionContent, person())
    }
    created.push(i)
  }

  // Org life: a few members leave, some of those come back; a few outsiders delete their accounts.
  const recent = end - 60 * DAY
  const leavers = members.filter(() => rand() < 0.1)
  for (const l of leavers) {
    at(recent + rand() * 20 * DAY)
    w.removeMember(l)
  }
  for (const l of leavers.filter(() => rand() < 0.3)) {
    at(recent + 30 * DAY + rand() * 20 * DAY)
    w.addMember(l)
  }
  for (const o of outsiders.filter(() => rand() < 0.05)) w.deleteUser(o)
  if (!outsiders.some((o) => w.user(o).deleted)) w.deleteUser(outsiders[0])

  // Transfers, a deleted issue and a renamed repository.
  at(end - 2 * DAY)
  if (repoNames.length >= 2) {
    const movable = created
      .filter((i) => !i.isPull && i.state === 'open' && !i.movedTo && i.repo.name !== repoNames[1])
      .slice(-3)
    for (const i of movable) w.transfer(i.repo.name, i.number, repoNames[1], members[0])
  }
  const doomed = created.find((i) => !i.isPull && !i.movedTo && i.repo.name === repoNames[0] && i.state === 'closed')
  if (doomed) w.deleteIssue(doomed.repo.name, doomed.number)
  if (repoNames.length >= 3) w.renameRepo(repoNames[2], `${repoNames[2]}-next`)
  w.setNow(end)
  return w
}

function event(
  w: World,
  rand: Rand,
  repo: string,
  i: IssueRec,
  kind: Kind,
  person: () => string,
  created: IssueRec[]
): void {
  const n = i.number
  switch (kind) {
    case 'commented': {
      const c = w.comment(repo, n, { user: person(), body: null })
      if (rand() < 0.1) w.react(repo, { commentId: c.id }, pick(rand, REACTIONS) as ReactionContent, person())
      if (rand() < 0.05) {
        w.advance(randInt(rand, 1, 3600) * 1000)
        w.editComment(repo, c.id, `Edited comment ${c.id}`)
      }
      return
    }
    case 'labeled':
      return void w.label(repo, n, pick(rand, LABELS), person())
    case 'unlabeled':
      if (i.labels.length) return void w.unlabel(repo, n, i.labels[0], person())
      return void w.label(repo, n, pick(rand, LABELS), person())
    case 'assigned':
      return void w.assign(repo, n, person(), person())
    case 'unassigned': {
      const a = i.assignees[0] !== undefined ? w.users.get(i.assignees[0])?.login : undefined
      if (a) return void w.unassign(repo, n, a, person())
      return void w.assign(repo, n, person(), person())
    }
    case 'cross-referenced': {
      const src = created.length ? created[Math.floor(rand() * created.length)] : i
      const s = w.resolve(src)
      if (s.deleted) return void w.comment(repo, n, { user: person(), body: null })
      return void w.crossReference(repo, n, { actor: person(), source: { repo: s.repo.name, number: s.number } })
    }
    case 'renamed':
      return void w.editIssue(repo, n, { title: `${i.title} (v${i.timeline.length})`, actor: person() })
    case 'reviewed':
      return void w.review(repo, n, {
        user: person(),
        state: pick(rand, ['APPROVED', 'CHANGES_REQUESTED', 'COMMENTED'] as const),
        body: rand() < 0.5 ? '' : 'Looks good overall.'
      })
    case 'committed':
      return void w.commit(repo, n, { message: `Update for #${n}`, actor: person() })
  }
}
