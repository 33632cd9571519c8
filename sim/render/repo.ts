// Repository JSON: `minimal-repository` (org listing), `full-repository`
// (GET /repos/{o}/{r}) and `repository` (nested in pulls and search items).
import type { RepoRec } from '../model.js'
import { HTML, iso, nodeId, type Ctx } from './common.js'

export const ORG_ID = 90_000_001

export function orgOwner(ctx: Ctx): Record<string, unknown> {
  const org = ctx.world.org
  const base = `${ctx.api}/users/${org}`
  return {
    login: org,
    id: ORG_ID,
    node_id: nodeId('O', ORG_ID),
    avatar_url: `https://avatars.githubusercontent.com/u/${ORG_ID}?v=4`,
    gravatar_id: '',
    url: base,
    html_url: `${HTML}/${org}`,
    followers_url: `${base}/followers`,
    following_url: `${base}/following{/other_user}`,
    gists_url: `${base}/gists{/gist_id}`,
    starred_url: `${base}/starred{/owner}{/repo}`,
    subscriptions_url: `${base}/subscriptions`,
    organizations_url: `${base}/orgs`,
    repos_url: `${base}/repos`,
    events_url: `${base}/events{/privacy}`,
    received_events_url: `${base}/received_events`,
    type: 'Organization',
    user_view_type: 'public',
    site_admin: false
  }
}

function openIssuesCount(r: RepoRec): number {
  let n = 0
  for (const i of r.list) if (i.state === 'open' && !i.deleted && !i.movedTo && (r.hasIssues || i.isPull)) n++
  return n
}

/** Fields shared by all three repository shapes. */
function core(ctx: Ctx, r: RepoRec): Record<string, unknown> {
  const full = `${ctx.world.org}/${r.name}`
  const u = `${ctx.api}/repos/${full}`
  return {
    id: r.id,
    node_id: nodeId('R', r.id),
    name: r.name,
    full_name: full,
    private: r.private,
    owner: orgOwner(ctx),
    html_url: `${HTML}/${full}`,
    description: `The ${r.name} repository`,
    fork: false,
    url: u,
    archive_url: `${u}/{archive_format}{/ref}`,
    assignees_url: `${u}/assignees{/user}`,
    blobs_url: `${u}/git/blobs{/sha}`,
    branches_url: `${u}/branches{/branch}`,
    collaborators_url: `${u}/collaborators{/collaborator}`,
    comments_url: `${u}/comments{/number}`,
    commits_url: `${u}/commits{/sha}`,
    compare_url: `${u}/compare/{base}...{head}`,
    contents_url: `${u}/contents/{+path}`,
    contributors_url: `${u}/contributors`,
    deployments_url: `${u}/deployments`,
    downloads_url: `${u}/downloads`,
    events_url: `${u}/events`,
    forks_url: `${u}/forks`,
    git_commits_url: `${u}/git/commits{/sha}`,
    git_refs_url: `${u}/git/refs{/sha}`,
    git_tags_url: `${u}/git/tags{/sha}`,
    git_url: `git://github.com/${full}.git`,
    issue_comment_url: `${u}/issues/comments{/number}`,
    issue_events_url: `${u}/issues/events{/number}`,
    issues_url: `${u}/issues{/number}`,
    keys_url: `${u}/keys{/key_id}`,
    labels_url: `${u}/labels{/name}`,
    languages_url: `${u}/languages`,
    merges_url: `${u}/merges`,
    milestones_url: `${u}/milestones{/number}`,
    notifications_url: `${u}/notifications{?since,all,participating}`,
    pulls_url: `${u}/pulls{/number}`,
    releases_url: `${u}/releases{/id}`,
    ssh_url: `git@github.com:${full}.git`,
    stargazers_url: `${u}/stargazers`,
    statuses_url: `${u}/statuses/{sha}`,
    subscribers_url: `${u}/subscribers`,
    subscription_url: `${u}/subscription`,
    tags_url: `${u}/tags`,
    teams_url: `${u}/teams`,
    trees_url: `${u}/git/trees{/sha}`,
    clone_url: `${HTML}/${full}.git`,
    mirror_url: null,
    hooks_url: `${u}/hooks`,
    svn_url: `${HTML}/${full}`,
    homepage: null,
    language: 'TypeScript',
    forks_count: 0,
    stargazers_count: 0,
    watchers_count: 0,
    size: 1024,
    default_branch: 'main',
    open_issues_count: openIssuesCount(r),
    is_template: false,
    topics: [],
    has_issues: r.hasIssues,
    has_projects: true,
    has_wiki: false,
    has_pages: false,
    has_downloads: true,
    has_discussions: false,
    archived: r.archived,
    disabled: false,
    visibility: r.private ? 'private' : 'public',
    pushed_at: iso(r.pushedAt),
    created_at: iso(r.createdAt),
    updated_at: iso(r.updatedAt),
    permissions: { admin: false, maintain: false, push: false, triage: false, pull: true },
    allow_forking: true,
    web_commit_signoff_required: false,
    license: null,
    forks: 0,
    open_issues: openIssuesCount(r),
    watchers: 0
  }
}

export function minimalRepo(ctx: Ctx, r: RepoRec): Record<string, unknown> {
  return core(ctx, r)
}

export function fullRepo(ctx: Ctx, r: RepoRec): Record<string, unknown> {
  return {
    ...core(ctx, r),
    network_count: 0,
    subscribers_count: 0,
    organization: orgOwner(ctx)
  }
}

const cache = new WeakMap<RepoRec, { key: string; value: Record<string, unknown> }>()

/** The `repository` shape, cached per world version: PR lists nest it twice per item. */
export function repository(ctx: Ctx, r: RepoRec): Record<string, unknown> {
  const key = `${ctx.api}|${ctx.world.version}`
  const hit = cache.get(r)
  if (hit && hit.key === key) return hit.value
  const value = core(ctx, r)
  cache.set(r, { key, value })
  return value
}
