// The report as GitHub-flavoured Markdown for the job summary: a headline
// table of both periods, a table per repository, three Mermaid charts each
// followed by its numbers, and the longest-waiting items as links.
import type { DurationStats, Report, ScopeMetrics } from '../model/report.js'
import { formatChange, formatCount, formatHours, formatPeriod, formatShare, formatValue } from './format.js'
import { HEADLINE } from './headline.js'
import { flowChart, peopleChart, responseChart } from './mermaid.js'

/** Repositories listed in the summary's table (the JSON has every one). */
export const SUMMARY_REPOS = 100
/** Waiting items listed in the summary. */
export const SUMMARY_WAITING = 20

/** Text safe in a table cell and inert in Markdown (no links, mentions or HTML from titles). */
export function cell(text: string): string {
  return text
    .replace(/\r?\n/g, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/@/g, '&#64;')
    .replace(/([\\|[\]`*_#])/g, '\\$1')
}

function table(head: string[], rows: string[][], align: ('l' | 'r')[] = []): string[] {
  const sep = head.map((_, i) => ((align[i] ?? (i === 0 ? 'l' : 'r')) === 'r' ? '---:' : '---'))
  return [`| ${head.join(' | ')} |`, `| ${sep.join(' | ')} |`, ...rows.map((r) => `| ${r.join(' | ')} |`)]
}

function durationRow(label: string, d: DurationStats): string[] {
  return [
    label,
    formatCount(d.n),
    formatHours(d.p50),
    formatHours(d.p75),
    formatHours(d.p90),
    formatCount(d.censored),
    formatHours(d.censored_age_p50)
  ]
}

/** Every duration metric of one scope, with n, percentiles and what is still waiting. */
export function durationTable(m: ScopeMetrics): string[] {
  const pr = m.pull_requests
  const close = m.issues.time_to_close
  return table(
    ['duration', 'n', 'p50', 'p75', 'p90', 'still waiting', 'their median age'],
    [
      durationRow('First response, issues', m.time_to_first_response.issues),
      durationRow('First response, pull requests', m.time_to_first_response.pull_requests),
      durationRow('First member response, issues', m.time_to_first_member_response.issues),
      durationRow('First member response, pull requests', m.time_to_first_member_response.pull_requests),
      durationRow('First review', pr.time_to_first_review),
      durationRow('First approval', pr.time_to_first_approval),
      durationRow('Approval to merge', pr.approval_to_merge),
      durationRow('Time to merge', pr.time_to_merge),
      durationRow('Time to close an issue', close.all),
      durationRow('… closed as completed', close.completed),
      durationRow('… closed as not planned', close.not_planned),
      durationRow('… closed otherwise', close.other)
    ]
  )
}

export function renderMarkdown(report: Report): string {
  const out: string[] = []
  const who = report.organization ? ` — ${cell(report.organization)}` : ''
  out.push(`## Contributor metrics${who}`, '')
  out.push(
    `Period **${formatPeriod(report.period)}**, compared with ${formatPeriod(report.previous_period)}. ` +
      'Durations cover the items created in the period; flow and people cover the activity in it. ' +
      `Ages are counted to ${report.as_of.slice(0, 16).replace('T', ' ')} UTC.`,
    ''
  )
  out.push(
    ...table(
      ['', formatPeriod(report.period), formatPeriod(report.previous_period), 'change'],
      HEADLINE.map((f) => {
        const now = f.value(report.org)
        const before = f.current ? null : f.value(report.previous)
        return [
          f.label,
          formatValue(f.kind, now),
          f.current ? '' : formatValue(f.kind, before),
          f.current ? '' : formatChange(f.kind, now, before)
        ]
      })
    ),
    ''
  )

  out.push('### Durations', '', ...durationTable(report.org), '')

  out.push('### Repositories', '')
  const repos = report.repositories.slice(0, SUMMARY_REPOS)
  if (repos.length === 0) out.push('No activity stored for the period.', '')
  else {
    out.push(
      ...table(
        [
          'repository',
          'opened',
          'closed',
          'merged',
          'first response, issues',
          'first response, PRs',
          'time to merge',
          'time to close',
          'active',
          'new',
          "members' share",
          'waiting on us'
        ],
        repos.map((r) => [
          cell(r.repo),
          formatCount(r.flow.opened),
          formatCount(r.flow.closed),
          formatCount(r.flow.merged),
          formatHours(r.time_to_first_response.issues.p50),
          formatHours(r.time_to_first_response.pull_requests.p50),
          formatHours(r.pull_requests.time_to_merge.p50),
          formatHours(r.issues.time_to_close.all.p50),
          formatCount(r.people.active_contributors),
          formatCount(r.people.new_contributors),
          formatShare(r.people.members_share),
          formatCount(r.waiting_on_us)
        ])
      ),
      ''
    )
    if (report.repositories.length > repos.length) {
      out.push(`… and ${report.repositories.length - repos.length} more repositories in the JSON report.`, '')
    }
  }

  const months = report.monthly
  out.push('### Time to first response per month', '', responseChart(months), '')
  out.push(
    ...table(
      ['month', 'issues (median)', 'n', 'pull requests (median)', 'n'],
      months.map((m) => [
        m.month,
        formatHours(m.time_to_first_response.issues.p50),
        formatCount(m.time_to_first_response.issues.n),
        formatHours(m.time_to_first_response.pull_requests.p50),
        formatCount(m.time_to_first_response.pull_requests.n)
      ])
    ),
    ''
  )

  out.push('### Opened and closed per month', '', flowChart(months), '')
  out.push(
    ...table(
      ['month', 'opened', 'closed', 'merged', 'active contributors', 'new contributors'],
      months.map((m) => [
        m.month,
        formatCount(m.opened),
        formatCount(m.closed),
        formatCount(m.merged),
        formatCount(m.active_contributors),
        formatCount(m.new_contributors)
      ])
    ),
    ''
  )

  out.push('### Members and others', '')
  const people = report.org.people
  const pie = peopleChart(people)
  if (pie) out.push(pie, '')
  out.push(
    ...table(
      ['who', 'activity', 'share'],
      [
        ['Members at the time', formatCount(people.member_activity), formatShare(people.members_share)],
        [
          'Other humans',
          formatCount(people.other_activity),
          formatShare(people.activity ? people.other_activity / people.activity : null)
        ],
        ['Bots', formatCount(people.bot_activity), formatShare(people.bots_share)]
      ]
    ),
    ''
  )

  out.push('### Waiting on us', '')
  const waiting = report.waiting_on_us.slice(0, SUMMARY_WAITING)
  if (waiting.length === 0) out.push('Nothing is waiting on a member.', '')
  else {
    out.push(
      `${formatCount(report.waiting_on_us.length)} open items have a non-member's activity last. The longest waits:`,
      ''
    )
    out.push(
      ...table(
        ['item', 'title', 'author', 'waiting since', 'waited'],
        waiting.map((w) => [
          `[${cell(`${w.repo}#${w.number}`)}](${w.html_url.replace(/[()\s]/g, encodeURIComponent)})`,
          cell(w.title),
          cell(w.author),
          w.waiting_since.slice(0, 10),
          formatHours(w.waited_hours)
        ]),
        ['l', 'l', 'l', 'l', 'r']
      ),
      ''
    )
  }
  return out.join('\n')
}
