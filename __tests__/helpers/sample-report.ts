// Report objects built by hand for the renderer tests: a busy org with
// every kind of value (nulls, zeros, long waits, odd titles) and an empty one.
import type { DurationStats, MonthMetrics, Report, ScopeMetrics } from '../../src/model/report.js'

export function stats(p50: number | null, n = p50 === null ? 0 : 10, censored = 0): DurationStats {
  return {
    n,
    p50,
    p75: p50 === null ? null : p50 * 1.5,
    p90: p50 === null ? null : p50 * 3,
    mean: p50 === null ? null : p50 * 1.2,
    censored,
    censored_age_p50: censored ? 400.5 : null
  }
}

export function scope(scale: number, waiting = 0): ScopeMetrics {
  const s = (h: number | null) => (h === null ? stats(null) : stats(h * scale))
  return {
    time_to_first_response: { issues: s(3.5), pull_requests: s(0.4) },
    time_to_first_member_response: { issues: s(20), pull_requests: stats(null, 0, 3) },
    pull_requests: {
      opened: Math.round(40 * scale),
      closed: 30,
      merged: 24,
      closed_unmerged: 6,
      closed_unmerged_share: 0.2,
      time_to_first_review: s(5),
      time_to_first_approval: s(30),
      approval_to_merge: s(2),
      time_to_merge: s(90)
    },
    issues: {
      opened: 60,
      reopened: 3,
      reopened_share: 0.05,
      time_to_close: { all: s(200), completed: s(150), not_planned: s(20), other: stats(null) }
    },
    flow: {
      opened: Math.round(100 * scale),
      opened_issues: 60,
      opened_pull_requests: 40,
      closed: 80,
      closed_issues: 50,
      closed_pull_requests: 30,
      merged: 24,
      closure_ratio: 0.8 / scale
    },
    people: {
      activity: 500,
      member_activity: 300,
      other_activity: 150,
      bot_activity: 50,
      members_share: 0.6,
      bots_share: 0.1,
      active_contributors: 42,
      new_contributors: 7,
      absence_factor: 5
    },
    waiting_on_us: waiting
  }
}

export function months(count = 12, empty = false): MonthMetrics[] {
  return Array.from({ length: count }, (_, k) => {
    const d = new Date(Date.UTC(2024, 6 + k, 1))
    return {
      month: d.toISOString().slice(0, 7),
      time_to_first_response: empty
        ? { issues: stats(null), pull_requests: stats(null) }
        : { issues: stats(k === 3 ? null : 2 + k * 1.37), pull_requests: stats(0.25 * k) },
      opened: empty ? 0 : 50 + k * 3,
      closed: empty ? 0 : 40 + ((k * 7) % 20),
      merged: empty ? 0 : 10 + k,
      active_contributors: empty ? 0 : 20 + k,
      new_contributors: empty ? 0 : k % 4
    }
  })
}

export function sampleReport(): Report {
  return {
    organization: 'acme',
    as_of: '2025-06-01T00:00:00.000Z',
    period: { since: '2025-05-02T00:00:00.000Z', until: '2025-06-01T00:00:00.000Z' },
    previous_period: { since: '2025-04-02T00:00:00.000Z', until: '2025-05-02T00:00:00.000Z' },
    org: scope(1, 3),
    previous: scope(1.25),
    repositories: [
      { repo: 'api', ...scope(1, 2) },
      { repo: 'web|ui', ...scope(0.5, 1) }
    ],
    monthly: months(),
    waiting_on_us: [
      {
        repo: 'api',
        number: 12,
        kind: 'issue',
        title: 'Crash when <script> | `name` has [brackets] @someone',
        html_url: 'https://github.com/acme/api/issues/12',
        author: 'user-1',
        waiting_since: '2025-01-01T00:00:00.000Z',
        waited_hours: 3624
      },
      {
        repo: 'web|ui',
        number: 7,
        kind: 'pull_request',
        title: 'Add *dark* mode',
        html_url: 'https://github.com/acme/web/pull/7',
        author: 'ghost',
        waiting_since: '2025-05-30T12:00:00.000Z',
        waited_hours: 36
      },
      {
        repo: 'api',
        number: 13,
        kind: 'issue',
        title: 'Third',
        html_url: 'https://github.com/acme/api/issues/13',
        author: 'user-2',
        waiting_since: '2025-05-31T23:30:00.000Z',
        waited_hours: 0.5
      }
    ]
  }
}

/** Nothing stored: every figure empty. */
export function emptyReport(): Report {
  const r = sampleReport()
  const none: ScopeMetrics = {
    ...scope(1),
    time_to_first_response: { issues: stats(null), pull_requests: stats(null) },
    flow: { ...scope(1).flow, opened: 0, closed: 0, merged: 0, closure_ratio: null },
    people: {
      activity: 0,
      member_activity: 0,
      other_activity: 0,
      bot_activity: 0,
      members_share: null,
      bots_share: null,
      active_contributors: 0,
      new_contributors: 0,
      absence_factor: 0
    }
  }
  return {
    ...r,
    organization: null,
    org: none,
    previous: none,
    repositories: [],
    monthly: months(12, true),
    waiting_on_us: []
  }
}
