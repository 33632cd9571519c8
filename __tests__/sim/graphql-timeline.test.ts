// One issue's REST timeline and its GraphQL timelineItems describe the same
// items, in the same order: ids and node ids, actors, times, bodies, labels,
// assignees, review states, renames, close reasons, lock reasons, commits and
// cross-references — on a generated org with ghosts, bots, transfers,
// deleted comments, reviews and long timelines.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { generateWorld, startSim, type Sim } from '../../sim/index.js'
import type { IssueRec } from '../../sim/model.js'
import { TIMELINE_TYPES } from '../../sim/graphql/timeline.js'
import { gqlData } from './graphql-helpers.js'
import { get, links, type AnyJson } from './helpers.js'

let sim: Sim

beforeAll(async () => {
  const w = generateWorld({ seed: 5, repos: 4, items: 160, members: 8, timeline: { over100: 1, over1000: 0 } })
  // Kinds the generator does not make on its own.
  const pr = w.repos[0].list.find((i) => i.isPull && i.state === 'open' && !i.draft)!
  w.advance({ minutes: 1 })
  w.convertToDraft(pr.repo.name, pr.number, 'dev-1')
  w.readyForReview(pr.repo.name, pr.number, 'dependabot[bot]')
  const issue = w.repos[0].list.find((i) => !i.isPull && i.state === 'open' && !i.movedTo && !i.deleted)!
  w.lock(issue.repo.name, issue.number, { actor: 'dev-2', reason: 'too heated' })
  w.unlock(issue.repo.name, issue.number, { actor: 'dev-2' })
  const c = w.comment(issue.repo.name, issue.number, { user: 'dev-3', body: 'to be deleted' })
  w.comment(issue.repo.name, issue.number, { user: 'user-1', body: 'stays' })
  w.deleteComment(issue.repo.name, c.id)
  sim = await startSim({ world: w })
})
afterAll(() => sim?.close())

/** Fields of every timeline type; the PR-only ones are left out of an Issue's selection. */
const PR_ONLY = ['PullRequestReview', 'MergedEvent', 'PullRequestCommit', 'ReadyForReviewEvent', 'ConvertToDraftEvent']
const ALL_ITEMS = `
  __typename
  ... on Node { id }
  ... on IssueComment { databaseId body createdAt author { login } }
  ... on PullRequestReview { databaseId state body submittedAt author { login } }
  ... on LabeledEvent { createdAt actor { login } label { name color } }
  ... on UnlabeledEvent { createdAt actor { login } label { name color } }
  ... on AssignedEvent { createdAt actor { login } assignee { ... on User { login } ... on Bot { login } } }
  ... on UnassignedEvent { createdAt actor { login } assignee { ... on User { login } ... on Bot { login } } }
  ... on ClosedEvent { createdAt actor { login } stateReason }
  ... on ReopenedEvent { createdAt actor { login } }
  ... on MergedEvent { createdAt actor { login } mergeCommit: commit { oid } }
  ... on RenamedTitleEvent { createdAt actor { login } previousTitle currentTitle }
  ... on LockedEvent { createdAt actor { login } lockReason }
  ... on UnlockedEvent { createdAt actor { login } }
  ... on TransferredEvent { createdAt actor { login } fromRepository { name } }
  ... on CrossReferencedEvent { createdAt actor { login } isCrossRepository willCloseTarget
        source { ... on Issue { number repository { name } } ... on PullRequest { number repository { name } } } }
  ... on PullRequestCommit { commit { id oid message authoredDate author { name } } }
  ... on ReadyForReviewEvent { createdAt actor { login } }
  ... on ConvertToDraftEvent { createdAt actor { login } }`

const ISSUE_ITEMS = ALL_ITEMS.split('\n')
  .filter((line) => !PR_ONLY.some((t) => line.includes(`on ${t} `)))
  .join('\n')

const TIMELINE = `query($id: ID!, $after: String) { node(id: $id) {
  ... on Issue { timelineItems(first: 100, after: $after) { totalCount pageInfo { hasNextPage endCursor } nodes { ${ISSUE_ITEMS} } } }
  ... on PullRequest { timelineItems(first: 100, after: $after) { totalCount pageInfo { hasNextPage endCursor } nodes { ${ALL_ITEMS} } } } } }`

/** REST logins as GraphQL has them: the ghost user is null, bots lose `[bot]`. */
const who = (u: AnyJson): string | null => (!u || u.login === 'ghost' ? null : u.login.replace(/\[bot\]$/, ''))
const repoOf = (i: AnyJson): string => i.repository_url.split('/').pop()

/** A REST timeline item as the fields both APIs carry. */
function fromRest(t: AnyJson): Record<string, unknown> {
  switch (t.event) {
    case 'commented':
      return { kind: t.event, id: t.node_id, databaseId: t.id, actor: who(t.actor), at: t.created_at, body: t.body }
    case 'reviewed':
      return {
        kind: t.event,
        id: t.node_id,
        databaseId: t.id,
        actor: who(t.user),
        at: t.submitted_at,
        body: t.body,
        state: t.state
      }
    case 'committed':
      return {
        kind: t.event,
        commitId: t.node_id,
        oid: t.sha,
        message: t.message,
        at: t.author.date,
        name: t.author.name
      }
    case 'cross-referenced':
      return {
        kind: t.event,
        actor: who(t.actor),
        at: t.created_at,
        source: `${repoOf(t.source.issue)}#${t.source.issue.number}`
      }
    default: {
      const out: Record<string, unknown> = { kind: t.event, id: t.node_id, actor: who(t.actor), at: t.created_at }
      if (t.label) out.label = t.label
      if (t.event === 'assigned' || t.event === 'unassigned') out.assignee = who(t.assignee)
      if (t.event === 'closed') out.stateReason = t.state_reason?.toUpperCase() ?? null
      if (t.rename) out.rename = [t.rename.from, t.rename.to]
      if (t.event === 'locked') out.lockReason = t.lock_reason
      if (t.event === 'merged') out.oid = t.commit_id
      return out
    }
  }
}

const KIND = Object.fromEntries(Object.entries(TIMELINE_TYPES).map(([k, v]) => [v.type, k]))
const LOCK: Record<string, string> = {
  OFF_TOPIC: 'off-topic',
  TOO_HEATED: 'too heated',
  RESOLVED: 'resolved',
  SPAM: 'spam'
}

function fromGraphql(n: AnyJson): Record<string, unknown> {
  const kind = KIND[n.__typename]
  switch (kind) {
    case 'commented':
      return { kind, id: n.id, databaseId: n.databaseId, actor: n.author?.login ?? null, at: n.createdAt, body: n.body }
    case 'reviewed':
      return {
        kind,
        id: n.id,
        databaseId: n.databaseId,
        actor: n.author?.login ?? null,
        at: n.submittedAt,
        body: n.body,
        state: n.state
      }
    case 'committed':
      return {
        kind,
        commitId: n.commit.id,
        oid: n.commit.oid,
        message: n.commit.message,
        at: n.commit.authoredDate,
        name: n.commit.author.name
      }
    case 'cross-referenced':
      return {
        kind,
        actor: n.actor?.login ?? null,
        at: n.createdAt,
        source: `${n.source.repository.name}#${n.source.number}`
      }
    default: {
      const out: Record<string, unknown> = { kind, id: n.id, actor: n.actor?.login ?? null, at: n.createdAt }
      if (n.label) out.label = n.label
      if ('assignee' in n) out.assignee = n.assignee?.login ?? null
      if (kind === 'closed') out.stateReason = n.stateReason
      if (kind === 'renamed') out.rename = [n.previousTitle, n.currentTitle]
      if (kind === 'locked') out.lockReason = n.lockReason ? LOCK[n.lockReason] : null
      if (kind === 'merged') out.oid = n.mergeCommit.oid
      return out
    }
  }
}

async function restTimeline(i: IssueRec): Promise<AnyJson[]> {
  const out: AnyJson[] = []
  let url: string | undefined = `/repos/acme/${i.repo.name}/issues/${i.number}/timeline?per_page=100`
  while (url) {
    const r = await get(sim, url)
    expect(r.status).toBe(200)
    out.push(...r.json)
    url = links(r.headers.link).next
  }
  return out
}

async function graphqlTimeline(nodeId: string): Promise<{ items: AnyJson[]; totalCount: number }> {
  const items: AnyJson[] = []
  let after: string | null = null
  let totalCount = 0
  for (;;) {
    const d: AnyJson = await gqlData(sim, TIMELINE, { id: nodeId, after })
    const c = d.node.timelineItems
    totalCount = c.totalCount
    items.push(...c.nodes)
    if (!c.pageInfo.hasNextPage) return { items, totalCount }
    after = c.pageInfo.endCursor
  }
}

describe('REST timeline vs GraphQL timelineItems', () => {
  it('describe the same items, item for item, for every issue and pull request of a generated org', async () => {
    const w = sim.world
    const live = w.repos.flatMap((r) => r.list).filter((i) => !i.deleted && !i.movedTo)
    const kinds = new Set<string>()
    let ghosts = 0
    let bots = 0
    for (const i of live) {
      const rest = await restTimeline(i)
      const issue = (await get(sim, `/repos/acme/${i.repo.name}/issues/${i.number}`)).json
      const gq = await graphqlTimeline(issue.node_id)
      expect(gq.totalCount, `${i.repo.name}#${i.number}`).toBe(rest.length)
      expect(gq.items.map(fromGraphql), `${i.repo.name}#${i.number}`).toEqual(rest.map(fromRest))
      for (const t of rest) {
        kinds.add(t.event)
        const actor = t.actor ?? t.user
        if (actor?.login === 'ghost') ghosts++
        if (actor?.type === 'Bot') bots++
      }
    }
    // The comparison covered every kind the simulator generates, ghosts and bots.
    expect([...kinds].sort()).toEqual(Object.keys(TIMELINE_TYPES).sort())
    expect(ghosts).toBeGreaterThan(0)
    expect(bots).toBeGreaterThan(0)
    expect(live.some((i) => i.timeline.length > 100)).toBe(true)
  })

  it('a deleted comment is gone from both; a transferred issue keeps its items, with its source repository', async () => {
    const w = sim.world
    const issue = w.repos[0].list.find((i) => i.timeline.some((t) => t.kind === 'unlocked'))!
    const rest = await restTimeline(issue)
    expect(rest.map((t) => t.body).filter(Boolean)).not.toContain('to be deleted')
    const node = (await get(sim, `/repos/acme/${issue.repo.name}/issues/${issue.number}`)).json.node_id
    const gq = await graphqlTimeline(node)
    expect(gq.items.map((n) => n.body).filter(Boolean)).not.toContain('to be deleted')
    const moved = w.repos.flatMap((r) => r.list).find((i) => i.timeline.some((t) => t.kind === 'transferred'))!
    const movedNode = (await get(sim, `/repos/acme/${moved.repo.name}/issues/${moved.number}`)).json.node_id
    const t = (await graphqlTimeline(movedNode)).items.find((n) => n.__typename === 'TransferredEvent')
    expect(t.fromRepository.name).not.toBe(moved.repo.name)
  })

  it('since keeps items created at or after it; itemTypes filters by type; last pages from the end', async () => {
    const i = sim.world.repos.flatMap((r) => r.list).find((x) => x.timeline.length > 100)!
    const node = (await get(sim, `/repos/acme/${i.repo.name}/issues/${i.number}`)).json.node_id
    const mid = i.timeline[50]
    const since = new Date(Math.floor(mid.at / 1000) * 1000).toISOString()
    const d = await gqlData(
      sim,
      `query($id: ID!, $since: DateTime) { node(id: $id) { ... on ${i.isPull ? 'PullRequest' : 'Issue'} {
        all: timelineItems(first: 1) { totalCount }
        later: timelineItems(first: 1, since: $since) { totalCount }
        comments: timelineItems(first: 1, itemTypes: [ISSUE_COMMENT]) { totalCount }
        tail: timelineItems(last: 2) { filteredCount pageCount nodes { ... on Node { id } } } } } }`,
      { id: node, since }
    )
    expect(d.node.all.totalCount).toBe(i.timeline.length)
    expect(d.node.later.totalCount).toBe(
      i.timeline.filter((t) => Math.floor(t.at / 1000) * 1000 >= Date.parse(since)).length
    )
    expect(d.node.comments.totalCount).toBe(i.timeline.filter((t) => t.kind === 'commented').length)
    expect(d.node.tail).toMatchObject({ filteredCount: i.timeline.length, pageCount: 2 })
    const lastTwo = i.timeline.slice(-2).map((t) => t.id)
    expect(
      d.node.tail.nodes.map((n: AnyJson) => Number(Buffer.from(n.id.split('_kwDO')[1], 'base64url').toString()))
    ).toEqual(lastTwo)
  })
})
