// /orgs/{org}/repos, /orgs/{org}/members(/{username}), /repos/{o}/{r}.
import type { RepoRec } from '../model.js'
import { DOCS, HttpError, notFound, type Req, type Result } from '../http.js'
import { pageNo, paginate, perPage } from '../paginate.js'
import { iso, simpleUser } from '../render/common.js'
import { fullRepo, minimalRepo, orgOwner } from '../render/repo.js'

function checkOrg(req: Req): void {
  if (req.params.org.toLowerCase() !== req.ctx.world.org.toLowerCase()) throw notFound()
}

export function orgRepos(req: Req): Result {
  checkOrg(req)
  const type = req.q.get('type') ?? 'all'
  const sort = req.q.get('sort') ?? 'created'
  const dir = (req.q.get('direction') ?? (sort === 'full_name' ? 'asc' : 'desc')) === 'asc' ? 1 : -1
  const repos = req.ctx.world.repos.filter(
    (r) => req.ctx.canRead(r) && (type === 'public' ? !r.private : type === 'private' ? r.private : type !== 'forks')
  )
  const key = (r: RepoRec): number | string =>
    sort === 'full_name'
      ? r.name.toLowerCase()
      : sort === 'updated'
        ? r.updatedAt
        : sort === 'pushed'
          ? r.pushedAt
          : r.createdAt
  repos.sort((a, b) => {
    const ka = key(a)
    const kb = key(b)
    return dir * (ka < kb ? -1 : ka > kb ? 1 : a.id - b.id)
  })
  const { page, link } = paginate(repos, { url: req.url, perPage: perPage(req.q), page: pageNo(req.q) })
  return { status: 200, body: page.map((r) => minimalRepo(req.ctx, r)), headers: link ? { link } : {} }
}

export function getRepo(req: Req, repo: RepoRec): Result {
  return { status: 200, body: fullRepo(req.ctx, repo), lastModified: Math.max(repo.updatedAt, repo.pushedAt) }
}

/** GITHUB_TOKEN cannot read org membership; GitHub answers exactly this. */
function checkMembersAccess(req: Req): void {
  if (!req.canReadMembers) {
    throw new HttpError(403, {
      message: 'Resource not accessible by integration',
      documentation_url: `${DOCS}/orgs/members#list-organization-members`,
      status: '403'
    })
  }
}

export function orgMembers(req: Req): Result {
  checkOrg(req)
  checkMembersAccess(req)
  const world = req.ctx.world
  const ids = [...world.members].sort((a, b) => a - b)
  const users = ids.map((id) => world.users.get(id)!).filter((u) => !u.deleted)
  const { page, link } = paginate(users, { url: req.url, perPage: perPage(req.q), page: pageNo(req.q) })
  return { status: 200, body: page.map((u) => simpleUser(req.ctx, u)), headers: link ? { link } : {} }
}

/**
 * 204 a member, 404 not (github/docs, "Check organization membership for a
 * user"); with `membershipCheckRedirect`, the 302 GitHub documents for a
 * requester who is not an organisation member, to the public-members check.
 */
export function orgMember(req: Req): Result {
  checkOrg(req)
  checkMembersAccess(req)
  const world = req.ctx.world
  if (world.config.membershipCheckRedirect) {
    return {
      status: 302,
      headers: {
        location: `${req.ctx.api}/orgs/${world.org}/public_members/${encodeURIComponent(req.params.username)}`
      }
    }
  }
  const u = world.usersByLogin.get(req.params.username)
  return { status: u && world.members.has(u.id) ? 204 : 404 }
}

/** The public-members check: every simulated member is a public one. */
export function orgPublicMember(req: Req): Result {
  checkOrg(req)
  const u = req.ctx.world.usersByLogin.get(req.params.username)
  return { status: u && req.ctx.world.members.has(u.id) ? 204 : 404 }
}

/**
 * GET /users/{username}: an account by login — a user, or the organisation
 * itself (GitHub answers an org login here too, with `type: 'Organization'`).
 * A deleted account or an unknown login is 404.
 */
export function getUser(req: Req): Result {
  const world = req.ctx.world
  const login = req.params.username
  const times = { created_at: iso(0), updated_at: iso(world.nowMs()) }
  if (login.toLowerCase() === world.org.toLowerCase()) {
    return { status: 200, body: { ...orgOwner(req.ctx), name: world.org, public_repos: world.repos.length, ...times } }
  }
  const u = world.usersByLogin.get(login)
  if (!u || u.deleted || u.login === 'ghost') throw notFound(`${DOCS}/users/users#get-a-user`)
  return { status: 200, body: { ...simpleUser(req.ctx, u), name: null, public_repos: 0, ...times } }
}
