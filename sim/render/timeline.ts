// Timeline items, issue events, issue comments and reviews.
// Shapes follow GitHub: `cross-referenced` and `committed` have no id,
// comments and reviews carry their own ids, state events carry commit_id.
import type { IssueRec, Item } from '../model.js'
import {
  HTML,
  authorAssociation,
  iso,
  label,
  nodeId,
  reactions,
  repoApi,
  sha,
  userOrGhost,
  userOrNull,
  type Ctx
} from './common.js'
import { issue } from './issue.js'
import { repository } from './repo.js'

export function commentBody(c: Item): string {
  return c.body ?? `Generated comment ${c.id}.`
}

/** `issue-comment` as listed by the comments endpoints; a deleted author is null. */
export function comment(ctx: Ctx, c: Item): Record<string, unknown> {
  const i = c.issue
  const r = i.repo
  const url = `${repoApi(ctx, r)}/issues/comments/${c.id}`
  return {
    id: c.id,
    node_id: nodeId('IC', c.id),
    url,
    html_url: `${HTML}/${ctx.world.org}/${r.name}/${i.isPull ? 'pull' : 'issues'}/${i.number}#issuecomment-${c.id}`,
    body: commentBody(c),
    user: userOrNull(ctx, c.actor),
    created_at: iso(c.at),
    updated_at: iso(c.updatedAt),
    issue_url: `${repoApi(ctx, r)}/issues/${i.number}`,
    author_association: authorAssociation(ctx, c.actor),
    performed_via_github_app: null,
    reactions: reactions(`${url}/reactions`, c.rx)
  }
}

function reviewLinks(ctx: Ctx, t: Item): { html: string; pr: string } {
  const i = t.issue
  return {
    html: `${HTML}/${ctx.world.org}/${i.repo.name}/pull/${i.number}#pullrequestreview-${t.id}`,
    pr: `${repoApi(ctx, i.repo)}/pulls/${i.number}`
  }
}

/** `pull-request-review` for /pulls/{n}/reviews. */
export function review(ctx: Ctx, t: Item): Record<string, unknown> {
  const l = reviewLinks(ctx, t)
  return {
    id: t.id,
    node_id: nodeId('PRR', t.id),
    user: userOrNull(ctx, t.actor),
    body: t.body ?? '',
    state: t.arg as string,
    html_url: l.html,
    pull_request_url: l.pr,
    _links: { html: { href: l.html }, pull_request: { href: l.pr } },
    submitted_at: iso(t.at),
    commit_id: sha('head', t.issue.id),
    author_association: authorAssociation(ctx, t.actor)
  }
}

/** Fields of every issue event (state changes, labels, assignments, ...). */
function eventBase(ctx: Ctx, t: Item): Record<string, unknown> {
  const i = t.issue
  const commit = t.kind === 'merged' || (t.kind === 'closed' && i.mergedAt) ? sha('merge', i.id) : null
  const out: Record<string, unknown> = {
    id: t.id,
    node_id: nodeId('E', t.id),
    url: `${repoApi(ctx, i.repo)}/issues/events/${t.id}`,
    actor: userOrGhost(ctx, t.actor),
    event: t.kind,
    commit_id: commit,
    commit_url: commit ? `${repoApi(ctx, i.repo)}/commits/${commit}` : null,
    created_at: iso(t.at),
    performed_via_github_app: null
  }
  switch (t.kind) {
    case 'labeled':
    case 'unlabeled': {
      const l = label(ctx, i.repo, t.arg as string)
      out.label = { name: l.name, color: l.color }
      break
    }
    case 'assigned':
    case 'unassigned':
      out.assignee = userOrGhost(ctx, t.arg as number)
      out.assigner = userOrGhost(ctx, t.actor)
      break
    case 'closed':
      out.state_reason = t.arg as string | null
      break
    case 'renamed': {
      const [from, to] = t.arg as [string, string]
      out.rename = { from, to }
      break
    }
    case 'locked':
      out.lock_reason = t.arg as string | null
      break
  }
  return out
}

/** One item of /issues/{n}/events (`issue-event-for-issue`). */
export function issueEvent(ctx: Ctx, t: Item): Record<string, unknown> {
  return eventBase(ctx, t)
}

/** One item of the repo-level /issues/events feed (`issue-event`, with its issue). */
export function repoEvent(ctx: Ctx, t: Item): Record<string, unknown> {
  return { ...eventBase(ctx, t), issue: issue(ctx, t.issue) }
}

function committed(ctx: Ctx, t: Item): Record<string, unknown> {
  const s = sha('commit', t.id)
  const u = ctx.world.users.get(t.actor)
  const who = { name: u?.login ?? 'ghost', email: `${u?.login ?? 'ghost'}@users.noreply.github.com`, date: iso(t.at) }
  const base = repoApi(ctx, t.issue.repo)
  return {
    sha: s,
    node_id: nodeId('C', t.id),
    url: `${base}/git/commits/${s}`,
    html_url: `${HTML}/${ctx.world.org}/${t.issue.repo.name}/commit/${s}`,
    author: who,
    committer: who,
    tree: { sha: sha('tree', t.id), url: `${base}/git/trees/${sha('tree', t.id)}` },
    message: t.arg as string,
    parents: [
      {
        sha: sha('commit', t.id - 1),
        url: `${base}/git/commits/${sha('commit', t.id - 1)}`,
        html_url: `${HTML}/${ctx.world.org}/${t.issue.repo.name}/commit/${sha('commit', t.id - 1)}`
      }
    ],
    verification: { verified: false, reason: 'unsigned', signature: null, payload: null, verified_at: null },
    event: 'committed'
  }
}

/** One item of /issues/{n}/timeline. */
export function timelineItem(ctx: Ctx, t: Item): Record<string, unknown> {
  switch (t.kind) {
    case 'commented':
      return {
        ...comment(ctx, t),
        user: userOrGhost(ctx, t.actor),
        event: 'commented',
        actor: userOrGhost(ctx, t.actor)
      }
    case 'reviewed': {
      const r = review(ctx, t)
      return { ...r, user: userOrGhost(ctx, t.actor), event: 'reviewed' }
    }
    case 'committed':
      return committed(ctx, t)
    case 'cross-referenced': {
      const src = t.arg as IssueRec
      const srcIssue = ctx.world.resolve(src)
      return {
        event: 'cross-referenced',
        actor: userOrGhost(ctx, t.actor),
        created_at: iso(t.at),
        updated_at: iso(t.at),
        source: { type: 'issue', issue: { ...issue(ctx, srcIssue), repository: repository(ctx, srcIssue.repo) } }
      }
    }
    default:
      return eventBase(ctx, t)
  }
}
