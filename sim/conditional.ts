// Conditional requests as github.com answers them: ETags scoped to the
// request's credentials, and Last-Modified dates that are not.
import { createHash } from 'node:crypto'

/**
 * 'token': GitHub's ETag is a SHA-256 over the values of the request's
 * `Accept`, `Authorization` and `Cookie` headers (those present, each
 * followed by `:`) and then the uncompressed body — observed on github.com
 * in Feb 2025 (bored-engineer/github-conditional-http-transport README,
 * "Reverse Engineering the GitHub ETag algorithm"); GitHub support:
 * "It's currently expected for ETags to be auth token specific"
 * (eclipse-csi/otterdog#201). So an ETag stored under one token never
 * matches under another, and every Actions job has a new token.
 * 'body': the body alone — what the simulator did before, kept for comparison.
 */
export type EtagScope = 'token' | 'body'

export interface CredentialHeaders {
  accept?: string
  authorization?: string
  cookie?: string
}

export function etagOf(body: string, scope: EtagScope = 'body', h: CredentialHeaders = {}): string {
  const hash = createHash('sha256')
  if (scope === 'token') {
    for (const v of [h.accept, h.authorization, h.cookie]) if (v !== undefined) hash.update(`${v}:`)
  }
  return `W/"${hash.update(body).digest('hex')}"`
}

/** `If-None-Match`: weak or strong form, several tags, or `*`. */
export function etagMatches(header: string | undefined, etag: string): boolean {
  if (!header) return false
  const norm = (s: string): string => s.trim().replace(/^W\//, '')
  return header.split(',').some((t) => t.trim() === '*' || norm(t) === norm(etag))
}

/** An HTTP-date (RFC 9110 IMF-fixdate), second precision. */
export function httpDate(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toUTCString()
}

/**
 * `If-Modified-Since` against a resource's last modification: unchanged when
 * the resource's time, truncated to the second, is not after the date given.
 * As RFC 9110 §13.1.3 says, the header is ignored when `If-None-Match` is
 * present (so a stale ETag from an earlier token wins over a good date) or
 * does not parse.
 */
export function notModifiedSince(
  ifModifiedSince: string | undefined,
  ifNoneMatch: string | undefined,
  lastModifiedMs: number
): boolean {
  if (!ifModifiedSince || ifNoneMatch) return false
  const since = Date.parse(ifModifiedSince)
  if (Number.isNaN(since)) return false
  return Math.floor(lastModifiedMs / 1000) * 1000 <= since
}
