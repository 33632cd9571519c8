import { RequestError } from '@octokit/request-error'
import type { Octokit } from './client.js'
import type { IssueLocation } from '../model/transfer.js'
import { parseIssueLocation } from './transfer-location.js'
import type { GitHubIssue } from './types.js'

/** What one request for an issue we hold says about it. */
export type Probe =
  /** 200 with the same id: still where it was (fresh data included). */
  | { kind: 'here'; issue: GitHubIssue }
  /**
   * Moved: a 301 (location parsed), or a 200 with another issue's id (a
   * redirect was followed after all; `issue` is then the new issue).
   */
  | { kind: 'moved'; location: string; target: IssueLocation; issue?: GitHubIssue }
  /** 301 to the same repository id and number: a repository rename, not a transfer. */
  | { kind: 'renamed'; location: string }
  /** 404 from a repository we can read: moved somewhere the token cannot read. */
  | { kind: 'unreadable' }
  /** 410: deleted. */
  | { kind: 'deleted' }
  /** 410 "Issues are disabled for this repo": the repository's issues are turned off, nothing is known of this one. */
  | { kind: 'disabled' }

/** An issue by its repository's current name (the stored URL may carry an old one). */
export interface IssueAddress {
  owner: string
  repo: string
  number: number
}

export interface HeldIssue {
  id: number
  repoId: number | null
  number: number
}

/**
 * One billable GET of an issue URL without following redirects
 * (`redirect: 'manual'` reaches fetch through the client's metered fetch),
 * so a 301 shows where the issue went. Should a redirect be followed anyway,
 * the answer's id differs from ours, and it is reported as a move, never as
 * fresh data for the old row.
 */
export async function probeIssue(octokit: Octokit, at: string | IssueAddress, held: HeldIssue): Promise<Probe> {
  let response: { status: number; url: string; headers: Record<string, string | number | undefined>; data: unknown }
  const url = typeof at === 'string' ? at : `/repos/${at.owner}/${at.repo}/issues/${at.number}`
  try {
    response =
      typeof at === 'string'
        ? await octokit.request({ method: 'GET', url: at, request: { redirect: 'manual' } })
        : await octokit.request('GET /repos/{owner}/{repo}/issues/{issue_number}', {
            owner: at.owner,
            repo: at.repo,
            issue_number: at.number,
            request: { redirect: 'manual' }
          })
  } catch (error) {
    if (error instanceof RequestError && error.status === 404) return { kind: 'unreadable' }
    if (error instanceof RequestError && error.status === 410) {
      // Not a deletion: every issue route of a repository with issues turned off answers 410 so.
      const message = (error.response?.data as { message?: string } | undefined)?.message ?? error.message
      return /issues are disabled/i.test(message) ? { kind: 'disabled' } : { kind: 'deleted' }
    }
    throw error
  }
  if (response.status >= 300 && response.status < 400) {
    const location = String(response.headers.location ?? (response.data as { url?: string } | null)?.url ?? '')
    const target = parseIssueLocation(location)
    if (!target) throw new Error(`GET ${url} answered ${response.status} with an unusable Location '${location}'.`)
    if (target.form === 'repositories' && target.repoId === held.repoId && target.number === held.number) {
      return { kind: 'renamed', location }
    }
    return { kind: 'moved', location, target }
  }
  const issue = response.data as GitHubIssue
  if (issue.id === held.id) return { kind: 'here', issue }
  const target = parseIssueLocation(issue.url) ?? parseIssueLocation(response.url)
  if (!target) throw new Error(`GET ${url} answered another issue (id ${issue.id}) at an unrecognised URL.`)
  return { kind: 'moved', location: issue.url, target, issue }
}
