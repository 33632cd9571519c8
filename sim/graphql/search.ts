// `search(query, type: ISSUE, first, after…)`: the REST search's qualifiers,
// order, index lag and 1,000-result cap (sim/search.ts), as a connection
// with offset cursors (GitHub's decode to `cursor:N`). Other search types
// answer empty.
import { HttpError } from '../http.js'
import { searchHits } from '../search.js'
import { connection, offsetCursors, type ConnArgs } from './connection.js'
import type { Args, GqlCtx } from './context.js'
import { GqlError } from './errors.js'
import { IssueNode } from './issue.js'

export function search(c: GqlCtx, a: Args): object {
  const counts = { codeCount: 0, discussionCount: 0, repositoryCount: 0, userCount: 0, wikiCount: 0 }
  if (a.type !== 'ISSUE')
    return { ...connection([], a as ConnArgs, offsetCursors(), () => null), issueCount: 0, ...counts }
  let hits
  try {
    hits = searchHits(c.rest, String(a.query))
  } catch (e) {
    // An unsupported qualifier: REST answers 422; here a field error (assumed shape).
    if (!(e instanceof HttpError)) throw e
    const errs = (e.body as { errors?: { message?: string }[] }).errors
    throw new GqlError(undefined, errs?.[0]?.message ?? e.message)
  }
  // `issueCount` counts every match; only the first 1,000 can be paged to (schema: SearchResultItemConnection).
  const conn = connection(hits.slice(0, 1000), a as ConnArgs, offsetCursors(), (i) => new IssueNode(i), hits.length)
  return {
    ...conn,
    issueCount: hits.length,
    ...counts,
    edges: () => conn.edges().map((e) => ({ ...e, textMatches: null }))
  }
}
