import { RequestError } from '@octokit/request-error'
import { getCursor, setCursor } from '../db/cursors.js'
import { getEtag } from '../db/etags.js'
import { countActiveMembers, currentMembersNotListed, storeMembership } from '../db/members.js'
import { etagKey, getPage } from '../github/conditional.js'
import { restUser } from '../github/graphql-user.js'
import { mapMember } from '../github/map-member.js'
import { checkMembership } from '../github/membership.js'
import { accountType } from '../github/repos.js'
import type { GitHubMember } from '../github/types.js'
import type { Settings } from '../inputs.js'
import { CURSORS } from '../model/cursor.js'
import type { MemberPage, MemberRow } from '../model/member.js'
import { outOfBudget } from './budget.js'
import { runSnapshot } from './org-snapshot.js'
import { orgInputError } from './repositories.js'
import { tokenMode } from './token-mode.js'
import { restApiBase } from './api-base.js'
import type { Deps, TaskResult } from './types.js'

const ROUTE = 'GET /orgs/{org}/members'
const PER_PAGE = 100
/** Guard against a server that never returns a short page. */
const MAX_PAGES = 2000

/** Most members missing from one listing that one run asks about (one request each); the rest wait. */
const MAX_CONFIRMATIONS = 200

/** What the cursor remembers of one organisation between runs. */
export interface OrgMembersState {
  /** Member ids of each page as last answered 200, so a 304 page needs no body. */
  pages?: number[][]
  /** When a listing last succeeded (ISO): the lower bound of a join or leave seen next. */
  checkedAt?: string
}

/**
 * The cursor (sync_cursors task 'members', repo 0): per organisation (lower
 * case), since one database may hold several. Older runs kept one
 * organisation's state at the top level (`org`, `pages`, `checkedAt`).
 */
export interface MembersState {
  orgs?: Record<string, OrgMembersState>
  org?: string
  pages?: number[][]
  checkedAt?: string
}

function orgState(state: MembersState, orgKey: string): OrgMembersState {
  if (state.orgs?.[orgKey]) return state.orgs[orgKey]
  if (state.org === orgKey) return { pages: state.pages, checkedAt: state.checkedAt }
  return {}
}

/** The token cannot read org membership: say which token can, and that nothing changed. */
export class MembersAccessError extends Error {
  constructor(org: string, status: number, detail: string) {
    super(
      `Cannot list the members of '${org}': GitHub answered ${status} (${detail}). The 'members' task needs a ` +
        'token that can read organisation membership: a GitHub App installation token with the ' +
        "Organization 'Members: read' permission (e.g. from actions/create-github-app-token), or a PAT " +
        "(classic with 'read:org', fine-grained with 'Members: read'). The workflow's GITHUB_TOKEN cannot " +
        'read org membership. No member was marked inactive.'
    )
    this.name = 'MembersAccessError'
  }
}

/**
 * Org members with join/leave history. Every page of GET /orgs/{org}/members
 * is requested conditionally with its stored ETag, and the member ids of each
 * page are kept in the cursor, so an unchanged list costs 0 billable requests
 * and a changed page costs exactly one. Rows, ETags and the cursor are written
 * in one transaction; a failed or empty listing writes nothing, so it can
 * never mark anyone inactive.
 */
export async function runMembers(deps: Deps, settings: Settings): Promise<TaskResult> {
  const { sql, octokit, log, clock } = deps
  const org = settings.org
  if (settings.shard.index !== 1) {
    // Membership is org-wide: in a sharded matrix only shard 1 lists it, so
    // the jobs never race on the same rows.
    log.info(`members: org-wide, left to shard 1/${settings.shard.count}.`)
    return { counts: { members: 0, skipped_shard: 1 } }
  }
  const orgKey = org.toLowerCase()
  const cursor = await getCursor(sql, CURSORS.members, 0)
  const state = orgState(cursor.state as MembersState, orgKey)
  const storedPages = state.pages ?? []

  const pages: MemberPage[] = []
  const rotating = (await tokenMode(deps)) === 'rotating'
  if (rotating) {
    // No stored page ETag can match: the run's GraphQL snapshot lists every
    // member (100 a connection) at no extra point.
    const run = await runSnapshot(deps, settings).catch((e: unknown) => {
      throw explain(e, org)
    })
    if (run.membersError) throw new MembersAccessError(org, 403, run.membersError)
    const members = run.snapshot.members ?? []
    const base = await restApiBase(deps, settings)
    const rows = members.map((m) => mapMember(restUser(m, base) as unknown as GitHubMember))
    pages.push({ key: '', ids: rows.map((r) => r.id), rows })
  }
  for (let n = 1; n <= MAX_PAGES && !rotating; n++) {
    const params = { org, per_page: PER_PAGE, page: n }
    const key = etagKey(ROUTE, params)
    const known = storedPages[n - 1]
    // Only a page whose ids we kept can be answered by a 304.
    const etag = known ? await getEtag(sql, key) : undefined
    const page = await getPage<GitHubMember[]>(octokit, ROUTE, params, etag).catch(async (e: unknown) => {
      // 404 on the first page: a user account named as `org`, or no organisation the token sees.
      if (n === 1 && e instanceof RequestError && e.status === 404)
        throw orgInputError(org, await accountType(octokit, org))
      throw explain(e, org)
    })
    if (page.notModified) {
      pages.push({ key, ids: known as number[] })
    } else {
      if (!Array.isArray(page.data)) throw new Error(`GET /orgs/${org}/members page ${n} did not answer a list.`)
      const rows: MemberRow[] = page.data.map(mapMember)
      pages.push({ key, ids: rows.map((r) => r.id), rows, etag: page.etag })
    }
    log.debug(`members page ${n}: ${page.notModified ? '304 (unchanged)' : `${pages[n - 1].ids.length} members`}`)
    // A full page may be followed by more, even when it answered 304.
    if (pages[n - 1].ids.length < PER_PAGE) break
  }

  const listed = new Set(pages.flatMap((p) => p.ids))
  const viaGraphql = pages.length === 1 && pages[0].key === ''
  const now = clock()
  if (listed.size === 0) {
    const active = await countActiveMembers(sql, org)
    if (active > 0) {
      log.warning(
        `GET /orgs/${org}/members listed nobody, but ${active} members are active in the database. ` +
          'Treating this as a failed listing: nobody was marked inactive. Check the token can read membership.'
      )
      return { counts: { members: 0, joined: 0, left: 0, suspicious_empty: 1 } }
    }
  }

  // Who the listing did not show. GitHub pages the list by position, so a
  // member who leaves while it is walked pulls the next one onto a page
  // already read: that one is missing without having left. Each missing
  // member is asked about once (GET /orgs/{org}/members/{username}: 204 a
  // member, 404 not): only a confirmed leave closes a span, so a shifted
  // page never makes a false leave-and-return.
  const missing = await currentMembersNotListed(sql, org, [...listed])
  const leavers: number[] = []
  let stayed = 0
  let unconfirmed = 0
  for (const member of missing) {
    if (leavers.length + stayed + unconfirmed >= MAX_CONFIRMATIONS || outOfBudget(deps, settings)) {
      unconfirmed = missing.length - leavers.length - stayed
      break
    }
    const answer = await checkMembership(octokit, org, member.login).catch((e: unknown) => {
      throw explain(e, org)
    })
    if (answer === 'not-member') leavers.push(member.id)
    else if (answer === 'member') stayed++
    else unconfirmed++
  }
  if (stayed > 0 || unconfirmed > 0) {
    log.info(
      `members of ${org}: ${missing.length} not listed; ${leavers.length} confirmed gone, ${stayed} still members ` +
        `(the list shifted while it was read)` +
        (unconfirmed ? `, ${unconfirmed} not confirmed (kept as members; asked again next run)` : '')
    )
  }

  const changed =
    pages.some((p) => p.rows) || pages.length !== storedPages.length || leavers.length > 0 || missing.length > 0
  const previousCheck = state.checkedAt ? new Date(state.checkedAt) : undefined
  const result = await sql.begin(async (tx) => {
    const counts = changed
      ? await storeMembership(tx, org, pages, leavers, now, previousCheck)
      : { joined: 0, returned: 0, left: 0, inactive: 0, written: 0 }
    // Page ids are kept for REST pages only (a 304 page needs them); a GraphQL listing keeps none.
    const current = (await getCursor(tx, CURSORS.members, 0)).state as MembersState
    const orgs: Record<string, OrgMembersState> = { ...(current.orgs ?? {}) }
    if (current.org && !orgs[current.org]) orgs[current.org] = { pages: current.pages, checkedAt: current.checkedAt }
    orgs[orgKey] = { pages: viaGraphql ? [] : pages.map((p) => p.ids), checkedAt: now.toISOString() }
    await setCursor(tx, CURSORS.members, 0, { state: { orgs } as Record<string, unknown> })
    return counts
  })
  const unchanged = pages.filter((p) => !p.rows).length
  log.info(
    `members of ${org}: ${listed.size} listed over ${pages.length} pages (${unchanged} unchanged); ` +
      `${result.joined} joined (${result.returned} returning), ${result.left} left`
  )
  return {
    counts: {
      members: listed.size,
      joined: result.joined,
      returned: result.returned,
      left: result.left,
      ...(stayed ? { confirmed_members: stayed } : {}),
      ...(unconfirmed ? { unconfirmed } : {})
    }
  }
}

function explain(error: unknown, org: string): unknown {
  if (!(error instanceof RequestError)) return error
  const message = error.message
  if (error.status === 403 && !/rate limit/i.test(message)) return new MembersAccessError(org, 403, message)
  if (error.status === 401) return new MembersAccessError(org, 401, message)
  if (error.status === 404) {
    return new Error(
      `GET /orgs/${org}/members answered 404: '${org}' is not an organisation, or the token cannot see it. ` +
        'No member was marked inactive.'
    )
  }
  return error
}
