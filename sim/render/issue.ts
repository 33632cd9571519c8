// Issue and pull-request JSON: `issue` (issues list/get), the search item,
// `pull-request-simple` (pulls list) and `pull-request` (GET pull).
import type { IssueRec } from '../model.js'
import {
  HTML,
  authorAssociation,
  iso,
  isoOrNull,
  label,
  milestone,
  nodeId,
  reactions,
  repoApi,
  sha,
  simpleUser,
  userOrGhost,
  userOrNull,
  type Ctx
} from './common.js'
import { repository } from './repo.js'

export function issueBody(i: IssueRec): string {
  return i.body ?? `Generated ${i.isPull ? 'pull request' : 'issue'} body for #${i.number}.`
}

function assignees(ctx: Ctx, i: IssueRec): Record<string, unknown>[] {
  return i.assignees.map((id) => userOrNull(ctx, id)).filter((u): u is Record<string, unknown> => u !== null)
}

export function issue(ctx: Ctx, i: IssueRec): Record<string, unknown> {
  const r = i.repo
  const u = `${repoApi(ctx, r)}/issues/${i.number}`
  const html = `${HTML}/${ctx.world.org}/${r.name}/${i.isPull ? 'pull' : 'issues'}/${i.number}`
  const as = assignees(ctx, i)
  const out: Record<string, unknown> = {
    url: u,
    repository_url: repoApi(ctx, r),
    labels_url: `${u}/labels{/name}`,
    comments_url: `${u}/comments`,
    events_url: `${u}/events`,
    html_url: html,
    id: i.id,
    node_id: nodeId(i.isPull ? 'PR' : 'I', i.id),
    number: i.number,
    title: i.title,
    user: userOrNull(ctx, i.user),
    labels: i.labels.map((l) => label(ctx, r, l)),
    state: i.state,
    locked: i.locked,
    assignee: as[0] ?? null,
    assignees: as,
    milestone: milestone(ctx, r, i.milestone),
    comments: i.comments,
    created_at: iso(i.createdAt),
    updated_at: iso(i.updatedAt),
    closed_at: isoOrNull(i.closedAt),
    author_association: authorAssociation(ctx, i.user, i),
    type: null,
    active_lock_reason: i.lockReason,
    sub_issues_summary: { total: 0, completed: 0, percent_completed: 0 },
    issue_dependencies_summary: { blocked_by: 0, total_blocked_by: 0, blocking: 0, total_blocking: 0 }
  }
  if (i.isPull) {
    out.draft = i.draft
    const p = `${repoApi(ctx, r)}/pulls/${i.number}`
    out.pull_request = {
      url: p,
      html_url: html,
      diff_url: `${html}.diff`,
      patch_url: `${html}.patch`,
      merged_at: isoOrNull(i.mergedAt)
    }
  }
  out.body = issueBody(i)
  out.closed_by = i.closedBy ? userOrNull(ctx, i.closedBy) : null
  out.reactions = reactions(`${u}/reactions`, i.rx)
  out.timeline_url = `${u}/timeline`
  out.performed_via_github_app = null
  out.state_reason = i.stateReason
  return out
}

export function searchItem(ctx: Ctx, i: IssueRec): Record<string, unknown> {
  const out = issue(ctx, i)
  delete out.closed_by
  out.score = 1.0
  return out
}

function branch(ctx: Ctx, i: IssueRec, which: 'head' | 'base'): Record<string, unknown> {
  const ref = which === 'head' ? `feature/${i.number}` : 'main'
  return {
    label: `${ctx.world.org}:${ref}`,
    ref,
    sha: sha(which, i.id),
    user: simpleUser(ctx, { id: 90_000_001, login: ctx.world.org, type: 'User', deleted: false }),
    repo: repository(ctx, i.repo)
  }
}

/**
 * A pull request's own id, distinct from its issue id (REST `/pulls` `id`;
 * GraphQL `PullRequest.databaseId`). Above 2^31, as github.com's are now.
 */
export const pullId = (i: IssueRec): number => i.id + 3_000_000_000

export function pullSimple(ctx: Ctx, i: IssueRec): Record<string, unknown> {
  const r = i.repo
  const p = `${repoApi(ctx, r)}/pulls/${i.number}`
  const iu = `${repoApi(ctx, r)}/issues/${i.number}`
  const html = `${HTML}/${ctx.world.org}/${r.name}/pull/${i.number}`
  const as = assignees(ctx, i)
  const statuses = `${repoApi(ctx, r)}/statuses/${sha('head', i.id)}`
  return {
    url: p,
    id: pullId(i),
    node_id: nodeId('PR', i.id),
    html_url: html,
    diff_url: `${html}.diff`,
    patch_url: `${html}.patch`,
    issue_url: iu,
    commits_url: `${p}/commits`,
    review_comments_url: `${p}/comments`,
    review_comment_url: `${repoApi(ctx, r)}/pulls/comments{/number}`,
    comments_url: `${iu}/comments`,
    statuses_url: statuses,
    number: i.number,
    state: i.state,
    locked: i.locked,
    title: i.title,
    user: userOrGhost(ctx, i.user),
    body: issueBody(i),
    labels: i.labels.map((l) => label(ctx, r, l)),
    milestone: milestone(ctx, r, i.milestone),
    active_lock_reason: i.lockReason,
    created_at: iso(i.createdAt),
    updated_at: iso(i.updatedAt),
    closed_at: isoOrNull(i.closedAt),
    merged_at: isoOrNull(i.mergedAt),
    merge_commit_sha: i.mergedAt ? sha('merge', i.id) : null,
    assignee: as[0] ?? null,
    assignees: as,
    requested_reviewers: [],
    requested_teams: [],
    head: branch(ctx, i, 'head'),
    base: branch(ctx, i, 'base'),
    _links: {
      self: { href: p },
      html: { href: html },
      issue: { href: iu },
      comments: { href: `${iu}/comments` },
      review_comments: { href: `${p}/comments` },
      review_comment: { href: `${repoApi(ctx, r)}/pulls/comments{/number}` },
      commits: { href: `${p}/commits` },
      statuses: { href: statuses }
    },
    author_association: authorAssociation(ctx, i.user, i),
    auto_merge: null,
    draft: i.draft
  }
}

/** A pull request's diff size, derived from its id (the world stores no diffs). */
export function diffStats(i: IssueRec): { additions: number; deletions: number; changed_files: number } {
  return { additions: 10 + (i.id % 300), deletions: i.id % 120, changed_files: 1 + (i.id % 9) }
}

export function pull(ctx: Ctx, i: IssueRec): Record<string, unknown> {
  let commits = 0
  let reviews = 0
  for (const t of i.timeline) {
    if (t.kind === 'committed') commits++
    else if (t.kind === 'reviewed') reviews++
  }
  const open = i.state === 'open'
  return {
    ...pullSimple(ctx, i),
    merged: i.mergedAt > 0,
    mergeable: open ? true : null,
    rebaseable: open ? true : null,
    mergeable_state: open ? (i.draft ? 'draft' : 'clean') : 'unknown',
    merged_by: i.mergedBy ? userOrNull(ctx, i.mergedBy) : null,
    comments: i.comments,
    review_comments: reviews,
    maintainer_can_modify: false,
    commits: Math.max(commits, 1),
    ...diffStats(i)
  }
}
