// An independent computation of every report metric from the simulated
// GitHub's own records (sim.world), never from our tables: the definitions
// of the README's "Metrics", written again in TypeScript over IssueRec and
// Item, to compare with what the metrics views compute from the synced rows.
import type { IssueRec, Item } from '../../sim/model.js'
import type { World } from '../../sim/world.js'
import type {
  ByKind,
  DurationStats,
  MonthMetrics,
  PeopleMetrics,
  RepoMetrics,
  ScopeMetrics,
  WaitingItem
} from '../../src/model/report.js'

const HOUR = 3_600_000
const sec = (t: number): number => Math.floor(t / 1000) * 1000

interface Actor {
  login: string
  human: boolean
}

interface Act {
  item: OItem
  kind: 'opened' | 'commented' | 'reviewed'
  at: number
  login: string
  human: boolean
  member: boolean
  state: string | null
}

interface OItem {
  rec: IssueRec
  kind: 'issue' | 'pull_request'
  repo: string
  author: Actor
  created: number
  start: number | null
  state: 'open' | 'closed'
  closedAt: number | null
  mergedAt: number | null
  draft: boolean
  reopened: boolean
  acts: Act[]
}

/** Membership as the members task observed it, when it ran at every change: [added, removed) per login. */
export type MemberOracle = (login: string, at: number) => boolean

/** Membership intervals straight from the world's history (the test syncs members at each change). */
export function membershipFromHistory(world: World): MemberOracle {
  const spans = new Map<string, [number, number][]>()
  for (const h of world.memberHistory) {
    const login = h.login.toLowerCase()
    const list = spans.get(login) ?? []
    if (h.action === 'added') list.push([sec(h.at), Infinity])
    else if (list.length) list[list.length - 1][1] = sec(h.at)
    spans.set(login, list)
  }
  return (login, at) => login !== 'ghost' && (spans.get(login.toLowerCase()) ?? []).some(([a, b]) => a <= at && at < b)
}

export class Oracle {
  readonly items: OItem[] = []

  constructor(
    readonly world: World,
    readonly isMember: MemberOracle
  ) {
    for (const r of world.repos) {
      for (const rec of r.list) {
        if (rec.deleted || rec.movedTo) continue
        this.items.push(this.item(rec))
      }
    }
  }

  private actor(id: number): Actor {
    const u = this.world.users.get(id)
    if (!u || u.deleted) return { login: 'ghost', human: true }
    return { login: u.login, human: u.type !== 'Bot' && !u.login.endsWith('[bot]') }
  }

  private item(rec: IssueRec): OItem {
    const author = this.actor(rec.user)
    const tl = rec.timeline
    let start: number | null = sec(rec.createdAt)
    if (rec.isPull) {
      const toggles = tl.filter((t) => t.kind === 'ready_for_review' || t.kind === 'convert_to_draft')
      const firstReady = toggles.find((t) => t.kind === 'ready_for_review')
      if (toggles.length ? toggles[0].kind === 'ready_for_review' : rec.draft) {
        start = firstReady ? sec(firstReady.at) : null
      }
    }
    const item: OItem = {
      rec,
      kind: rec.isPull ? 'pull_request' : 'issue',
      repo: rec.repo.name,
      author,
      created: sec(rec.createdAt),
      start,
      state: rec.state,
      closedAt: rec.state === 'closed' ? sec(rec.closedAt) : null,
      mergedAt: rec.mergedAt ? sec(rec.mergedAt) : null,
      draft: rec.isPull && rec.draft,
      reopened: rec.stateReason === 'reopened' || tl.some((t) => t.kind === 'reopened'),
      acts: []
    }
    const act = (kind: Act['kind'], at: number, who: Actor, state: string | null): Act => ({
      item,
      kind,
      at,
      login: who.login,
      human: who.human,
      member: who.human && this.isMember(who.login, at),
      state
    })
    item.acts.push(act('opened', item.created, author, null))
    for (const t of tl as Item[]) {
      if (t.kind === 'commented') item.acts.push(act('commented', sec(t.at), this.actor(t.actor), null))
      else if (t.kind === 'reviewed' && String(t.arg).toUpperCase() !== 'PENDING')
        item.acts.push(act('reviewed', sec(t.at), this.actor(t.actor), String(t.arg).toLowerCase()))
    }
    return item
  }

  /** Responses: comments and reviews by humans other than the author, at or after the start. */
  private responses(i: OItem): Act[] {
    if (i.start === null) return []
    return i.acts
      .filter(
        (a) =>
          a.kind !== 'opened' &&
          a.human &&
          a.at >= (i.start as number) &&
          a.login.toLowerCase() !== i.author.login.toLowerCase()
      )
      .sort((a, b) => a.at - b.at)
  }

  private timings(i: OItem) {
    const rs = this.responses(i)
    const first = (f: (a: Act) => boolean): number | null => rs.find(f)?.at ?? null
    return {
      response: first(() => true),
      member: first((a) => a.member),
      review: first((a) => a.kind === 'reviewed'),
      approval: first((a) => a.kind === 'reviewed' && a.state === 'approved')
    }
  }

  /** [value in hours, or waiting-from] per metric of one item, as metrics.item_durations. */
  private durations(i: OItem): Map<string, { value?: number; waitingFrom?: number }> {
    const t = this.timings(i)
    const h = (a: number, b: number): number => (a - b) / HOUR
    const out = new Map<string, { value?: number; waitingFrom?: number }>()
    const put = (metric: string, value: number | null | undefined, waitingFrom: number | null | undefined) => {
      if (value !== null && value !== undefined) out.set(metric, { value })
      else if (waitingFrom !== null && waitingFrom !== undefined) out.set(metric, { waitingFrom })
    }
    const open = i.state === 'open'
    const pr = i.kind === 'pull_request'
    const s = i.start
    put(
      'time_to_first_response',
      s !== null && t.response !== null ? h(t.response, s) : null,
      s !== null && t.response === null && open ? s : null
    )
    put(
      'time_to_first_member_response',
      s !== null && t.member !== null ? h(t.member, s) : null,
      s !== null && t.member === null && open ? s : null
    )
    if (pr) {
      put(
        'time_to_first_review',
        s !== null && t.review !== null ? h(t.review, s) : null,
        s !== null && t.review === null && open ? s : null
      )
      put(
        'time_to_first_approval',
        s !== null && t.approval !== null ? h(t.approval, s) : null,
        s !== null && t.approval === null && open ? s : null
      )
      put(
        'approval_to_merge',
        i.mergedAt !== null && t.approval !== null && t.approval <= i.mergedAt ? h(i.mergedAt, t.approval) : null,
        open ? t.approval : null
      )
      put('time_to_merge', i.mergedAt !== null ? h(i.mergedAt, i.created) : null, open ? i.created : null)
    } else {
      const closed = i.closedAt !== null ? h(i.closedAt, i.created) : null
      put('time_to_close', closed, open ? i.created : null)
      const reason = i.rec.stateReason
      put('time_to_close_completed', reason === 'completed' ? closed : null, null)
      put('time_to_close_not_planned', reason === 'not_planned' ? closed : null, null)
      put('time_to_close_other', reason !== 'completed' && reason !== 'not_planned' ? closed : null, null)
    }
    return out
  }

  /** Every item waiting on us at asOf, as metrics.waiting_on_us, longest first. */
  waiting(asOf: number): WaitingItem[] {
    const out: WaitingItem[] = []
    for (const i of this.items) {
      if (i.state !== 'open' || i.draft) continue
      const human = i.acts.filter((a) => a.human)
      const lastMember = Math.max(-Infinity, ...human.filter((a) => a.member).map((a) => a.at))
      const after = human.filter((a) => !a.member && a.at > lastMember)
      if (after.length === 0) continue
      const since = Math.min(...after.map((a) => a.at))
      out.push({
        repo: i.repo,
        number: i.rec.number,
        kind: i.kind,
        title: i.rec.title,
        html_url: `https://github.com/${this.world.org}/${i.repo}/${i.kind === 'issue' ? 'issues' : 'pull'}/${i.rec.number}`,
        author: i.author.login,
        waiting_since: new Date(since).toISOString(),
        waited_hours: (asOf - since) / HOUR
      })
    }
    return out.sort(
      (a, b) =>
        Date.parse(a.waiting_since) - Date.parse(b.waiting_since) ||
        (a.repo < b.repo ? -1 : a.repo > b.repo ? 1 : 0) ||
        a.number - b.number
    )
  }

  private allActs(): Act[] {
    return this.items.flatMap((i) => i.acts)
  }

  /** Metrics of one scope (repo undefined: the org) over [since, until). */
  scope(since: number, until: number, asOf: number, waiting: WaitingItem[], repo?: string): ScopeMetrics {
    const inRepo = (r: string): boolean => repo === undefined || r === repo
    const within = (t: number | null): boolean => t !== null && t >= since && t < until
    const created = this.items.filter((i) => inRepo(i.repo) && within(i.created))
    const dur = (kind: OItem['kind'], metric: string): DurationStats => {
      const values: number[] = []
      const ages: number[] = []
      for (const i of created) {
        if (i.kind !== kind) continue
        const d = this.durations(i).get(metric)
        if (d?.value !== undefined) values.push(d.value)
        else if (d?.waitingFrom !== undefined) ages.push((asOf - d.waitingFrom) / HOUR)
      }
      return summarize(values, ages)
    }
    const byKind = (metric: string): ByKind => ({
      issues: dur('issue', metric),
      pull_requests: dur('pull_request', metric)
    })
    const issues = created.filter((i) => i.kind === 'issue')
    const pulls = created.filter((i) => i.kind === 'pull_request')
    const closedPulls = pulls.filter((i) => i.state === 'closed')
    const unmerged = closedPulls.filter((i) => i.mergedAt === null)
    const reopened = issues.filter((i) => i.reopened)
    const scoped = this.items.filter((i) => inRepo(i.repo))
    const opened = scoped.filter((i) => within(i.created))
    const closed = scoped.filter((i) => within(i.closedAt))
    const merged = scoped.filter((i) => within(i.mergedAt))
    return {
      time_to_first_response: byKind('time_to_first_response'),
      time_to_first_member_response: byKind('time_to_first_member_response'),
      pull_requests: {
        opened: pulls.length,
        closed: closedPulls.length,
        merged: pulls.filter((i) => i.mergedAt !== null).length,
        closed_unmerged: unmerged.length,
        closed_unmerged_share: closedPulls.length ? unmerged.length / closedPulls.length : null,
        time_to_first_review: dur('pull_request', 'time_to_first_review'),
        time_to_first_approval: dur('pull_request', 'time_to_first_approval'),
        approval_to_merge: dur('pull_request', 'approval_to_merge'),
        time_to_merge: dur('pull_request', 'time_to_merge')
      },
      issues: {
        opened: issues.length,
        reopened: reopened.length,
        reopened_share: issues.length ? reopened.length / issues.length : null,
        time_to_close: {
          all: dur('issue', 'time_to_close'),
          completed: dur('issue', 'time_to_close_completed'),
          not_planned: dur('issue', 'time_to_close_not_planned'),
          other: dur('issue', 'time_to_close_other')
        }
      },
      flow: {
        opened: opened.length,
        opened_issues: opened.filter((i) => i.kind === 'issue').length,
        opened_pull_requests: opened.filter((i) => i.kind === 'pull_request').length,
        closed: closed.length,
        closed_issues: closed.filter((i) => i.kind === 'issue').length,
        closed_pull_requests: closed.filter((i) => i.kind === 'pull_request').length,
        merged: merged.length,
        closure_ratio: opened.length ? closed.length / opened.length : null
      },
      people: this.people(since, until, repo),
      waiting_on_us: waiting.filter((w) => inRepo(w.repo)).length
    }
  }

  people(since: number, until: number, repo?: string): PeopleMetrics {
    const acts = this.allActs().filter(
      (a) => a.at >= since && a.at < until && (repo === undefined || a.item.repo === repo)
    )
    const human = acts.filter((a) => a.human)
    const member = acts.filter((a) => a.member).length
    const bots = acts.length - human.length
    const perLogin = new Map<string, number>()
    for (const a of human) perLogin.set(a.login.toLowerCase(), (perLogin.get(a.login.toLowerCase()) ?? 0) + 1)
    const counts = [...perLogin.values()].sort((a, b) => b - a)
    let before = 0
    let factor = 0
    for (const n of counts) {
      if (before * 2 < human.length) factor++
      before += n
    }
    // First activity of each human anywhere in the org; ties by repository name, as the view orders.
    const firsts = new Map<string, Act>()
    for (const a of this.allActs().filter((x) => x.human)) {
      const k = a.login.toLowerCase()
      const f = firsts.get(k)
      if (!f || a.at < f.at || (a.at === f.at && a.item.repo < f.item.repo)) firsts.set(k, a)
    }
    const newcomers = [...firsts.values()].filter(
      (f) => !f.member && f.at >= since && f.at < until && (repo === undefined || f.item.repo === repo)
    )
    return {
      activity: acts.length,
      member_activity: member,
      other_activity: human.length - member,
      bot_activity: bots,
      members_share: acts.length ? member / acts.length : null,
      bots_share: acts.length ? bots / acts.length : null,
      active_contributors: perLogin.size,
      new_contributors: newcomers.length,
      absence_factor: factor
    }
  }

  /** Repositories with anything in the period, most active first (as the report lists them). */
  repositories(since: number, until: number, asOf: number, waiting: WaitingItem[]): RepoMetrics[] {
    const within = (t: number | null): boolean => t !== null && t >= since && t < until
    const names = new Set<string>()
    for (const i of this.items) {
      if ([i.created, i.closedAt, i.mergedAt].some(within) || i.acts.some((a) => within(a.at))) names.add(i.repo)
    }
    for (const w of waiting) names.add(w.repo)
    return [...names]
      .map((repo) => ({ repo, ...this.scope(since, until, asOf, waiting, repo) }))
      .sort((a, b) => b.people.activity - a.people.activity || a.repo.localeCompare(b.repo))
  }

  monthly(since: number, until: number, asOf: number): MonthMetrics[] {
    const out: MonthMetrics[] = []
    const d = new Date(since)
    while (d.getTime() < until) {
      const start = d.getTime()
      const next = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1)).getTime()
      const end = Math.min(next, until)
      const m = this.scope(start, end, asOf, [])
      out.push({
        month: d.toISOString().slice(0, 7),
        time_to_first_response: m.time_to_first_response,
        opened: m.flow.opened,
        closed: m.flow.closed,
        merged: m.flow.merged,
        active_contributors: m.people.active_contributors,
        new_contributors: m.people.new_contributors
      })
      d.setTime(next)
    }
    return out
  }
}

/** n, numpy-style (linear) percentiles, mean; censored count and their median age. */
export function summarize(values: number[], ages: number[]): DurationStats {
  return {
    n: values.length,
    p50: percentile(values, 0.5),
    p75: percentile(values, 0.75),
    p90: percentile(values, 0.9),
    mean: values.length ? values.reduce((a, b) => a + b, 0) / values.length : null,
    censored: ages.length,
    censored_age_p50: percentile(ages, 0.5)
  }
}

/** numpy.percentile's default (linear interpolation between closest ranks). */
export function percentile(values: number[], p: number): number | null {
  if (values.length === 0) return null
  const x = [...values].sort((a, b) => a - b)
  const h = (x.length - 1) * p
  const lo = Math.floor(h)
  const hi = Math.min(lo + 1, x.length - 1)
  return x[lo] + (h - lo) * (x[hi] - x[lo])
}
