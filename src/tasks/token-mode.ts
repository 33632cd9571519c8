import { noteTokenFingerprint } from '../db/tokens.js'
import type { Octokit } from '../github/client.js'
import { tokenFingerprint } from '../github/token.js'
import type { Deps } from './types.js'

/**
 * Whether ETags stored by earlier runs can answer 304 in this one.
 *
 * GitHub scopes ETags to the token: "It's currently expected for ETags to
 * be auth token specific" (GitHub support, eclipse-csi/otterdog#201); the
 * observed ETag is a SHA-256 over the Accept and Authorization header values
 * and the body (bored-engineer/github-conditional-http-transport). Every
 * Actions job gets a new GITHUB_TOKEN, and actions/create-github-app-token
 * mints a new installation token per job, so in the recommended setup no
 * stored ETag ever matches: conditional requests across runs are answered 200
 * and billed. With one fixed token (a PAT) they do match.
 *
 * - `stable`: an earlier run (within 30 days) used this very token, so
 *   conditional REST requests with stored ETags are free while nothing
 *   changed: the per-repository listings cost 0 on a quiet run. A first
 *   run (no token on record) counts as stable too: it is the full initial
 *   sync either way, and learning its ETags pays off if the token is a PAT.
 * - `rotating`: earlier runs used other tokens; change detection then takes
 *   the paths that are cheap without 304s (one org-wide search, GraphQL
 *   batches).
 */
export type TokenMode = 'stable' | 'rotating'

const modes = new WeakMap<Octokit, Promise<TokenMode>>()

/** This run's token mode, decided once per client (one per run) and recorded for the next run. */
export function tokenMode(deps: Pick<Deps, 'sql' | 'octokit' | 'clock' | 'log'>): Promise<TokenMode> {
  let mode = modes.get(deps.octokit)
  if (!mode) {
    mode = (async () => {
      const history = await noteTokenFingerprint(deps.sql, await tokenFingerprint(deps.octokit), deps.clock())
      const decided: TokenMode = history === 'new' ? 'rotating' : 'stable'
      deps.log.info(
        history === 'same'
          ? 'Token: the same as an earlier run, so stored ETags can answer 304 (free).'
          : history === 'first'
            ? 'Token: the first on record; its ETags are kept in case later runs use it again.'
            : 'Token: new to this database (a per-job token), so stored ETags cannot match; using search and GraphQL batches.'
      )
      return decided
    })()
    modes.set(deps.octokit, mode)
  }
  return mode
}
