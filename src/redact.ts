/**
 * Replaces the password (and user-info secrets) of a URL-like string with
 * `***`. Up to the last `@`, so a password with an unencoded `@` or `/` is
 * hidden whole; a string without `scheme://` that still has `…@` (a typo such
 * as `postgres//user:pw@host`) loses everything before its last `@`.
 */
export function redactUrl(raw: string): string {
  const query = (s: string): string => s.replace(/([?&](?:ssl)?password=)[^&#]*/gi, '$1***')
  const url = /^([a-z][a-z0-9+.-]*:\/\/[^:/@]*):.*@/is
  if (url.test(raw)) return query(raw.replace(url, '$1:***@'))
  if (/^[a-z][a-z0-9+.-]*:\/\/[^/@]*@/i.test(raw)) return query(raw)
  const at = raw.lastIndexOf('@')
  return query(at >= 0 ? `***${raw.slice(at)}` : raw)
}

/** Message of anything thrown, so a non-Error throw still fails loudly. */
export function getErrorMessage(error: unknown): string {
  if (error instanceof Error) return error.message
  if (typeof error === 'string') return error
  try {
    return JSON.stringify(error)
  } catch {
    return String(error)
  }
}

/** Secrets shorter than this are not searched for in text (they would match ordinary words); Actions still masks them. */
export const MIN_HIDDEN_LENGTH = 4

/**
 * `text` with every secret (the token, the database password as written and
 * decoded) replaced by `***`, longest first. A last line of defence for
 * messages that quote what a server sent back (a proxy echoing the
 * Authorization header): in a terminal nothing else masks them.
 */
export function hideSecrets(text: string, secrets: readonly string[]): string {
  let out = text
  for (const secret of [...secrets].sort((a, b) => b.length - a.length)) {
    if (secret.length >= MIN_HIDDEN_LENGTH && out.includes(secret)) out = out.split(secret).join('***')
  }
  return out
}
