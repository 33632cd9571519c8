import { describe, expect, it } from 'vitest'
import type { InputName } from '../src/constants.js'
import { InputError, readSettings } from '../src/inputs.js'

const NOW = new Date('2026-06-01T12:00:00Z')
const base: Partial<Record<InputName, string>> = {
  mode: 'issues',
  'github-token': 'ghs_abc',
  org: 'acme',
  'database-url': 'postgres://u:p@db.example.com:5432/metrics'
}
const read = (over: Partial<Record<InputName, string>>, env: NodeJS.ProcessEnv = {}) =>
  readSettings((name) => ({ ...base, ...over })[name] ?? '', env, NOW)

describe('readSettings', () => {
  it('parses a full set of inputs into typed settings', () => {
    const s = read({
      mode: 'migrate, issues,pulls',
      repos: 'docs-*\nacme/api, web',
      since: '2024-01-01',
      until: '2024-02-01T10:00:00+02:00',
      shard: '2/4',
      'include-archived': 'true',
      'lookback-days': '30'
    })
    expect(s.tasks).toEqual(['migrate', 'issues', 'pulls'])
    expect(s.repos).toEqual(['docs-*', 'api', 'web'])
    expect(s.since?.toISOString()).toBe('2024-01-01T00:00:00.000Z')
    expect(s.until?.toISOString()).toBe('2024-02-01T08:00:00.000Z')
    expect(s.shard).toEqual({ index: 2, count: 4 })
    expect(s.includeArchived).toBe(true)
    expect(s.lookbackDays).toBe(30)
    expect(s.closedDays).toBe(7)
    expect(s.apiUrl).toBe('https://api.github.com')
    expect(Object.isFrozen(s)).toBe(true)
  })

  it('treats a date-only until as the end of that day', () => {
    expect(read({ until: '2024-02-01' }).until?.toISOString()).toBe('2024-02-01T23:59:59.999Z')
  })

  it.each([
    [{ mode: '' }, /Input 'mode' is required/],
    [{ mode: 'issues,bogus' }, /Invalid mode 'bogus'/],
    [{ since: 'yesterday' }, /Invalid since 'yesterday'/],
    [{ since: '2024-02-30' }, /Invalid since '2024-02-30'/],
    [{ until: '2024-13-01' }, /Invalid until '2024-13-01'/],
    [{ since: '2024-05-02', until: '2024-05-01' }, /Invalid until '2024-05-01'. It is before since '2024-05-02'/],
    [{ since: '2027-01-01' }, /Invalid since '2027-01-01'. It is in the future/],
    [{ 'database-url': 'mysql://x@y/z' }, /Invalid database-url 'mysql:\/\/x@y\/z'/],
    [{ 'database-url': 'not a url' }, /Invalid database-url 'not a url'/],
    [{ 'database-url': 'postgres://u:p@h/db?sslmode=bogus' }, /Unknown sslmode 'bogus'/],
    [{ 'github-token': '' }, /Input 'github-token' is empty/],
    [{ org: '' }, /Input 'org' is empty/],
    [{ org: 'bad org' }, /Invalid org 'bad org'/],
    [{ 'api-url': 'ftp://x' }, /Invalid api-url 'ftp:\/\/x'/],
    [{ repos: 'other/repo' }, /Invalid repos entry 'other\/repo'/],
    [{ shard: '5/4' }, /Invalid shard '5\/4'/],
    [{ 'closed-days': '-1' }, /Invalid closed-days '-1'/],
    [{ 'include-archived': 'maybe' }, /Invalid include-archived 'maybe'/]
  ])('rejects %o', (over, message) => {
    expect(() => read(over)).toThrow(InputError)
    expect(() => read(over)).toThrow(message)
  })

  it('never quotes a database password in an error', () => {
    expect(() => read({ 'database-url': 'mysql://user:hunter2@host/db' })).toThrow(/user:\*\*\*@host/)
    try {
      read({ 'database-url': 'mysql://user:hunter2@host/db' })
    } catch (error) {
      expect((error as Error).message).not.toContain('hunter2')
    }
  })

  it('needs no token or org for migrate alone', () => {
    const s = read({ mode: 'migrate', 'github-token': '', org: '' })
    expect(s.tasks).toEqual(['migrate'])
  })

  it('takes the token and database URL from the environment in a terminal', () => {
    const s = read(
      { 'github-token': '', 'database-url': '' },
      { GITHUB_TOKEN: 'ghp_env', DATABASE_URL: 'postgres://h/db' }
    )
    expect(s.githubToken).toBe('ghp_env')
    expect(s.database).toEqual({ kind: 'url', url: 'postgres://h/db' })
  })

  it('uses the embedded database outside Actions and refuses it inside', () => {
    expect(read({ 'database-url': '' }).database.kind).toBe('embedded')
    expect(() => read({ 'database-url': '' }, { GITHUB_ACTIONS: 'true' })).toThrow(/Input 'database-url' is empty/)
  })
})
