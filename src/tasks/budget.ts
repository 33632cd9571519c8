import type { Settings } from '../inputs.js'
import type { Deps } from './types.js'

/** True when the core budget is down to the reserve: stop cleanly, resume next run. */
export function outOfBudget(deps: Pick<Deps, 'meter'>, settings: Pick<Settings, 'budgetReserve'>): boolean {
  return deps.meter.remaining('core') <= settings.budgetReserve
}
