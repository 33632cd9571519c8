import type { Repo } from '../model/repo.js'
import type { Deps } from './types.js'

/**
 * Runs one repository's sync; a repository that vanished or became
 * unreadable since the listing (404, 410 — also "issues are disabled" —,
 * 451) is skipped with a warning instead of failing the whole run.
 */
export async function skipUnreadable<T>(deps: Deps, repo: Repo, fn: () => Promise<T>): Promise<T | undefined> {
  try {
    return await fn()
  } catch (error) {
    const status = (error as { status?: unknown }).status
    if (status === 404 || status === 410 || status === 451) {
      deps.log.warning(`${repo.fullName}: answered ${status} (${(error as Error).message}); skipped this run.`)
      return undefined
    }
    throw error
  }
}
