import { describe, expect, it } from 'vitest'
import { formatDuration, Progress } from '../src/tasks/backfill/progress.js'
import { newState, planRepository } from '../src/tasks/backfill/plan.js'

const d = (s: string) => new Date(s)

describe('planRepository', () => {
  const now = d('2024-03-01T00:00:00Z')
  const since = d('2024-01-01T00:00:00Z')
  const until = d('2024-01-31T23:59:59.999Z')

  it('starts a backfill with since, fixing until (default now)', () => {
    expect(planRepository(undefined, since, until, now)).toEqual(newState(since, until))
    expect(planRepository(undefined, since, undefined, now)?.until).toBe(now.toISOString())
    expect(planRepository(undefined, since, until, now, false)?.timelines).toBe(false)
  })

  it('continues the stored backfill of the same range, with or without until', () => {
    const stored = { ...newState(since, until), route: 'listing' as const, units: 2, stored: 200 }
    expect(planRepository(stored, since, until, now)).toBe(stored)
    expect(planRepository(stored, since, undefined, now)).toBe(stored)
    expect(planRepository(stored, undefined, undefined, now)).toBe(stored)
  })

  it('starts over for another range, and a run without since ignores finished ones', () => {
    const done = { ...newState(since, until), done: true }
    expect(planRepository(done, d('2023-01-01'), until, now)?.since).toBe('2023-01-01T00:00:00.000Z')
    expect(planRepository(done, undefined, undefined, now)).toBeUndefined()
    expect(planRepository(undefined, undefined, undefined, now)).toBeUndefined()
    expect(planRepository(done, since, until, now)?.done).toBe(true)
  })
})

describe('Progress', () => {
  it('reports percent of the range and a time left from this run’s pace', () => {
    let t = 0
    const p = new Progress(d('2024-01-01'), d('2024-01-11'), d('2024-01-02'), () => t)
    expect(p.describe(d('2024-01-02'))).toBe('10%, time left unknown yet')
    t = 60_000 // one minute for the next 10% → 8 minutes for the remaining 80%
    expect(p.describe(d('2024-01-03'))).toBe('20%, about 8m 0s left')
    expect(p.describe(undefined, true)).toBe('100%, done')
  })

  it('formats durations', () => {
    expect(formatDuration(4_000)).toBe('4s')
    expect(formatDuration(3_725_000)).toBe('1h 2m')
  })
})
