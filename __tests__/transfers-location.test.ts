import { describe, expect, it } from 'vitest'
import { parseIssueLocation, parseRepositoryUrl } from '../src/github/transfer-location.js'

describe('parseIssueLocation', () => {
  it('reads both Location forms GitHub uses', () => {
    expect(parseIssueLocation('https://api.github.com/repos/acme/docs/issues/42')).toEqual({
      form: 'repos',
      owner: 'acme',
      repo: 'docs',
      number: 42
    })
    expect(parseIssueLocation('https://api.github.com/repositories/1296269/issues/7')).toEqual({
      form: 'repositories',
      repoId: 1296269,
      number: 7
    })
  })

  it('accepts a GHES prefix, a relative URL, a trailing sub-path and a query', () => {
    expect(parseIssueLocation('https://ghe.example.com/api/v3/repos/o/r.js/issues/3')).toMatchObject({
      repo: 'r.js',
      number: 3
    })
    expect(parseIssueLocation('/repositories/5/issues/9?per_page=100')).toEqual({
      form: 'repositories',
      repoId: 5,
      number: 9
    })
    expect(parseIssueLocation('/repos/o/r/issues/3/timeline')).toMatchObject({ form: 'repos', number: 3 })
  })

  it('rejects anything else rather than guessing by position', () => {
    expect(parseIssueLocation(undefined)).toBeUndefined()
    expect(parseIssueLocation('')).toBeUndefined()
    expect(parseIssueLocation('https://api.github.com/repos/o/r/pulls/3')).toBeUndefined()
    expect(parseIssueLocation('https://github.com/o/r/discussions/3')).toBeUndefined()
  })
})

describe('parseRepositoryUrl', () => {
  it('reads repository_url in both forms', () => {
    expect(parseRepositoryUrl('https://api.github.com/repos/acme/app')).toEqual({ owner: 'acme', repo: 'app' })
    expect(parseRepositoryUrl('https://api.github.com/repositories/12')).toEqual({ repoId: 12 })
    expect(parseRepositoryUrl('https://api.github.com/users/x')).toBeUndefined()
  })
})
