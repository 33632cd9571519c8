import { describe, expect, it } from 'vitest'
import { parseCliArgs } from '../src/cli-args.js'

describe('parseCliArgs', () => {
  it('takes the action input names as flags, both --name value and --name=value', () => {
    const args = parseCliArgs(['--mode', 'issues,pulls', '--org=acme', '--since', '2024-05-01', '-v'])
    expect([...args.flags]).toEqual([
      ['mode', 'issues,pulls'],
      ['org', 'acme'],
      ['since', '2024-05-01']
    ])
    expect(args.verbose).toBe(true)
    expect(args.help).toBe(false)
    expect(parseCliArgs(['-h']).help).toBe(true)
  })

  it('names the flag that is unknown, misses its value, or is not a flag at all', () => {
    expect(() => parseCliArgs(['--bogus', 'x'])).toThrow("Unknown flag '--bogus'")
    expect(() => parseCliArgs(['--mode'])).toThrow("Flag '--mode' needs a value")
    expect(() => parseCliArgs(['--mode', '--org', 'acme'])).toThrow("Flag '--mode' needs a value")
    expect(() => parseCliArgs(['issues'])).toThrow("Unexpected argument 'issues'")
  })
})
