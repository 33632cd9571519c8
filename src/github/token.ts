import { createHash } from 'node:crypto'
import type { Octokit } from './client.js'

/**
 * A short, one-way fingerprint of the token the client sends, so a run can
 * tell whether an earlier run used the same token without storing it. Only
 * 64 bits of a SHA-256 are kept: enough to tell tokens apart, and a token
 * (40+ random characters) cannot be recovered or guessed from it.
 */
export async function tokenFingerprint(octokit: Octokit): Promise<string> {
  const auth = (await octokit.auth()) as { token?: string }
  const token = auth.token ?? ''
  return createHash('sha256').update(`contributor-metrics token:${token}`).digest('hex').slice(0, 16)
}
