// Route table: URL → template (as logged), bucket and handler. Repository
// routes are shared by `/repos/{owner}/{repo}` and `/repositories/{id}`.
import type { Bucket } from './log.js'
import type { RepoRec } from './model.js'
import { DOCS, HttpError, moved, notFound, type Req, type Result } from './http.js'
import { getIssue, getPull, listIssues, listPulls, listReviews } from './routes/issues.js'
import { getRepo, getUser, orgMember, orgMembers, orgPublicMember, orgRepos } from './routes/org.js'
import { issueComments, issueEvents, repoComments, repoEvents, timeline } from './routes/timeline.js'
import { searchIssues } from './search.js'
import type { World } from './world.js'

type RepoHandler = (req: Req, repo: RepoRec) => Result
type TopHandler = (req: Req) => Result

const REPO_ROUTES: [string, RepoHandler][] = [
  ['', getRepo],
  ['/issues', listIssues],
  ['/issues/events', repoEvents],
  ['/issues/comments', repoComments],
  ['/issues/{issue_number}', getIssue],
  ['/issues/{issue_number}/timeline', timeline],
  ['/issues/{issue_number}/events', issueEvents],
  ['/issues/{issue_number}/comments', issueComments],
  ['/pulls', listPulls],
  ['/pulls/{pull_number}', getPull],
  ['/pulls/{pull_number}/reviews', listReviews]
]

const TOP_ROUTES: [string, TopHandler, Bucket | null][] = [
  ['/orgs/{org}/repos', orgRepos, 'core'],
  ['/orgs/{org}/members', orgMembers, 'core'],
  ['/orgs/{org}/members/{username}', orgMember, 'core'],
  ['/orgs/{org}/public_members/{username}', orgPublicMember, 'core'],
  ['/users/{username}', getUser, 'core'],
  ['/search/issues', searchIssues, 'search'],
  ['/rate_limit', () => ({ status: 200 }), null]
]

interface Compiled<H> {
  template: string
  re: RegExp
  keys: string[]
  handler: H
}

function compile<H>(template: string, handler: H): Compiled<H> {
  const keys: string[] = []
  const src = template.replace(/\{(\w+)\}/g, (_, k: string) => {
    keys.push(k)
    return k.endsWith('_number') ? '(\\d+)' : '([^/]+)'
  })
  return { template, re: new RegExp(`^${src}$`), keys, handler }
}

const repoRoutes = REPO_ROUTES.map(([t, h]) => compile(t, h))
const topRoutes = TOP_ROUTES.map(([t, h, b]) => ({ ...compile(t, h), bucket: b }))

export interface Match {
  /** Template as logged, e.g. '/repos/{owner}/{repo}/issues'. */
  route: string
  bucket: Bucket | null
  params: Record<string, string>
  suffix: string
  /** Runs the handler (resolving the repository first, which may 301/404). */
  run: (req: Req) => Result
}

function bind(c: Compiled<unknown>, m: RegExpExecArray): Record<string, string> {
  const params: Record<string, string> = {}
  c.keys.forEach((k, n) => (params[k] = decodeURIComponent(m[n + 1])))
  return params
}

export function match(world: World, path: string): Match | null {
  const p = path.length > 1 ? path.replace(/\/+$/, '') : path
  const byId = /^\/repositories\/(\d+)(\/.*)?$/.exec(p)
  const byName = byId ? null : /^\/repos\/([^/]+)\/([^/]+)(\/.*)?$/.exec(p)
  if (byId || byName) {
    const suffix = (byId ? byId[2] : byName![3]) ?? ''
    for (const c of repoRoutes) {
      const m = c.re.exec(suffix)
      if (!m) continue
      const prefix = byId ? '/repositories/{id}' : '/repos/{owner}/{repo}'
      return {
        route: prefix + c.template,
        bucket: 'core',
        params: bind(c, m),
        suffix,
        run: (req) => c.handler(req, issuesEnabled(repoFor(req, byId, byName, suffix), suffix))
      }
    }
    return null
  }
  for (const c of topRoutes) {
    const m = c.re.exec(p)
    if (m) return { route: c.template, bucket: c.bucket, params: bind(c, m), suffix: '', run: c.handler }
  }
  return null
}

/**
 * A repository with issues turned off answers every issue route with 410
 * "Issues are disabled for this repo" (ingydotnet/git-hub#72 for the list;
 * sigmavirus24/github3.py#332 for a single issue, a pull request's number
 * included). That the timeline, events and comments routes answer the same
 * is not documented: assumed (the costlier answer). Pull request routes
 * (`/pulls…`) are unaffected.
 */
function issuesEnabled(repo: RepoRec, suffix: string): RepoRec {
  if (!repo.hasIssues && suffix.startsWith('/issues')) {
    throw new HttpError(410, {
      message: 'Issues are disabled for this repo',
      documentation_url: `${DOCS}/issues/issues#list-repository-issues`,
      status: '410'
    })
  }
  return repo
}

/** The repository a URL names; a former name answers 301 to `/repositories/{id}`. */
function repoFor(req: Req, byId: RegExpExecArray | null, byName: RegExpExecArray | null, suffix: string): RepoRec {
  const world = req.ctx.world
  let repo: RepoRec | undefined
  if (byId) {
    repo = world.reposById.get(Number(byId[1]))
  } else {
    const [, owner, name] = byName!
    if (owner.toLowerCase() !== world.org.toLowerCase()) throw notFound()
    repo = world.reposByName.get(name)
    if (!repo) {
      const old = world.repoByOldName(name)
      if (old && req.ctx.canRead(old)) {
        throw moved(
          `${req.ctx.api}/repositories/${old.id}${suffix}${req.url.search}`,
          `${DOCS}/repos/repos#get-a-repository`
        )
      }
    }
  }
  if (!repo || !req.ctx.canRead(repo)) throw notFound()
  return repo
}
