// The report's data: what the `report` task reads from the metrics views and
// writes as JSON (field names in snake_case, durations in hours). Types only.

/** A duration metric over a set of items. Hours; null when no item has a value. */
export interface DurationStats {
  /** Items that have a value. */
  readonly n: number
  readonly p50: number | null
  readonly p75: number | null
  readonly p90: number | null
  /** Arithmetic mean (JSON only; the summary shows percentiles). */
  readonly mean: number | null
  /** Open items still waiting (no value yet). */
  readonly censored: number
  /** Median current age of the censored items, in hours. */
  readonly censored_age_p50: number | null
}

/** A metric split into issues and pull requests. */
export interface ByKind {
  readonly issues: DurationStats
  readonly pull_requests: DurationStats
}

export interface PullRequestMetrics {
  /** Pull requests created in the period. */
  readonly opened: number
  readonly closed: number
  readonly merged: number
  readonly closed_unmerged: number
  /** closed_unmerged / closed; null when none closed. */
  readonly closed_unmerged_share: number | null
  readonly time_to_first_review: DurationStats
  readonly time_to_first_approval: DurationStats
  readonly approval_to_merge: DurationStats
  readonly time_to_merge: DurationStats
}

export interface IssueMetrics {
  /** Issues created in the period. */
  readonly opened: number
  readonly reopened: number
  /** reopened / opened; null when none opened. */
  readonly reopened_share: number | null
  readonly time_to_close: {
    readonly all: DurationStats
    readonly completed: DurationStats
    readonly not_planned: DurationStats
    readonly other: DurationStats
  }
}

/** Activity in the period (not only on items created in it). */
export interface FlowMetrics {
  readonly opened: number
  readonly opened_issues: number
  readonly opened_pull_requests: number
  readonly closed: number
  readonly closed_issues: number
  readonly closed_pull_requests: number
  readonly merged: number
  /** closed / opened; null when nothing was opened. */
  readonly closure_ratio: number | null
}

export interface PeopleMetrics {
  /** Items opened, comments and reviews in the period, by anyone. */
  readonly activity: number
  readonly member_activity: number
  /** Humans who were not members at the time. */
  readonly other_activity: number
  readonly bot_activity: number
  readonly members_share: number | null
  readonly bots_share: number | null
  readonly active_contributors: number
  readonly new_contributors: number
  /** The fewest humans who account for half of the human activity. */
  readonly absence_factor: number
}

/** Every metric of one scope (the org, or one repository) over one period. */
export interface ScopeMetrics {
  readonly time_to_first_response: ByKind
  readonly time_to_first_member_response: ByKind
  readonly pull_requests: PullRequestMetrics
  readonly issues: IssueMetrics
  readonly flow: FlowMetrics
  readonly people: PeopleMetrics
  /** Items waiting on us now (not period-bound). */
  readonly waiting_on_us: number
}

export interface RepoMetrics extends ScopeMetrics {
  readonly repo: string
}

/** An open item waiting on a member's answer. */
export interface WaitingItem {
  readonly repo: string
  readonly number: number
  readonly kind: 'issue' | 'pull_request'
  readonly title: string
  readonly html_url: string
  readonly author: string
  /** First human activity after the last member activity (ISO-8601). */
  readonly waiting_since: string
  readonly waited_hours: number
}

/** One calendar month of the org, for the charts. */
export interface MonthMetrics {
  /** YYYY-MM */
  readonly month: string
  readonly time_to_first_response: ByKind
  readonly opened: number
  readonly closed: number
  readonly merged: number
  readonly active_contributors: number
  readonly new_contributors: number
}

export interface Period {
  /** Inclusive start (ISO-8601). */
  readonly since: string
  /** Exclusive end (ISO-8601). */
  readonly until: string
}

/** The whole report, as written to report-file. */
export interface Report {
  /** Organisation the report covers, or null for every stored one. */
  readonly organization: string | null
  /** When the report was computed; ages of waiting items are counted to here. */
  readonly as_of: string
  readonly period: Period
  /** The period of equal length just before, for the changes. */
  readonly previous_period: Period
  /** The whole org in the period. */
  readonly org: ScopeMetrics
  /** The whole org in the previous period. */
  readonly previous: ScopeMetrics
  /** Each repository in the period, most active first. */
  readonly repositories: RepoMetrics[]
  /** The org per calendar month, oldest first, the last 12 months to the period's end. */
  readonly monthly: MonthMetrics[]
  /** Every item waiting on us, longest-waiting first. */
  readonly waiting_on_us: WaitingItem[]
}
