import { RequestError } from '@octokit/request-error'
import type { Octokit } from './client.js'

/** What GitHub says of one user's membership of an organisation. */
export type Membership = 'member' | 'not-member' | 'unknown'

/**
 * `GET /orgs/{org}/members/{username}`: 204 when the user is a member
 * (publicly or privately), 404 when not (github/docs, "Check organization
 * membership for a user"; one billable request). The docs add a 302 to the
 * public-members check when the requester is not itself an organisation
 * member — which GHES was seen to answer with a 404 instead (github/docs#27266)
 * — so redirects are not followed: a 302, or any other answer, says nothing
 * either way ('unknown'), and the caller keeps the membership as it was.
 * Anything else (a 403 without the permission, a spent limit) throws.
 */
export async function checkMembership(octokit: Octokit, org: string, username: string): Promise<Membership> {
  try {
    const response = await octokit.request('GET /orgs/{org}/members/{username}', {
      org,
      username,
      request: { redirect: 'manual' }
    })
    return (response.status as number) === 204 ? 'member' : 'unknown'
  } catch (error) {
    if (error instanceof RequestError && error.status === 404) return 'not-member'
    throw error
  }
}
