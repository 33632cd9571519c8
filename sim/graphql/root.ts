// The Query type's fields the simulator implements.
import { actor, viewer } from './actors.js'
import type { Args, GqlCtx } from './context.js'
import { notFound } from './errors.js'
import { lookupNodes } from './lookup.js'
import { OrgNode, findRepo } from './repository.js'
import { search } from './search.js'

export function rootValue(c: GqlCtx): Record<string, (a: Args) => unknown> {
  const org = c.world.org
  return {
    rateLimit: () => c.rate,
    viewer: () => viewer(c),
    organization: (a) => {
      if (String(a.login).toLowerCase() !== org.toLowerCase())
        throw notFound(`Could not resolve to an Organization with the login of '${a.login}'.`)
      return new OrgNode()
    },
    // The org, or a user account by that login (User implements RepositoryOwner); else null.
    repositoryOwner: (a) => {
      if (String(a.login).toLowerCase() === org.toLowerCase()) return new OrgNode()
      const u = c.world.usersByLogin.get(String(a.login))
      const node = u && !u.deleted && actor(c, u.id)
      return node && node.__typename === 'User' ? node : null
    },
    repository: (a) => findRepo(c, String(a.owner), String(a.name), a.followRenames !== false),
    user: (a) => {
      const u = c.world.usersByLogin.get(String(a.login))
      const node = u && actor(c, u.id)
      if (!node || node.__typename !== 'User')
        throw notFound(`Could not resolve to a User with the login of '${a.login}'.`)
      return node
    },
    node: (a) => {
      const [n] = lookupNodes(c, [String(a.id)])
      if (n instanceof Error) throw n
      return n
    },
    // A missing id is null in its place, with a NOT_FOUND error at ['nodes', index].
    nodes: (a) => lookupNodes(c, (a.ids as string[]) ?? []),
    search: (a) => search(c, a)
  }
}
