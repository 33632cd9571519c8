import { storedApiBase } from '../db/issues.js'
import type { Settings } from '../inputs.js'
import type { Deps } from './types.js'

/**
 * The REST API base to rebuild REST-shaped JSON from GraphQL with (user and
 * reaction URLs): the one GitHub's REST answers stored in the database
 * name, else the `api-url` input.
 */
export async function restApiBase(deps: Pick<Deps, 'sql'>, settings: Pick<Settings, 'apiUrl'>): Promise<string> {
  return (await storedApiBase(deps.sql)) ?? settings.apiUrl
}
