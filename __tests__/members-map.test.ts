import { describe, expect, it } from 'vitest'
import { mapMember } from '../src/github/map-member.js'
import { MEMBER_COLUMNS } from '../src/model/member.js'

// GitHub's example simple-user from GET /orgs/{org}/members.
const octocat = {
  login: 'octocat',
  id: 1,
  node_id: 'MDQ6VXNlcjE=',
  avatar_url: 'https://github.com/images/error/octocat_happy.gif',
  gravatar_id: '',
  url: 'https://api.github.com/users/octocat',
  html_url: 'https://github.com/octocat',
  followers_url: 'https://api.github.com/users/octocat/followers',
  following_url: 'https://api.github.com/users/octocat/following{/other_user}',
  gists_url: 'https://api.github.com/users/octocat/gists{/gist_id}',
  starred_url: 'https://api.github.com/users/octocat/starred{/owner}{/repo}',
  subscriptions_url: 'https://api.github.com/users/octocat/subscriptions',
  organizations_url: 'https://api.github.com/users/octocat/orgs',
  repos_url: 'https://api.github.com/users/octocat/repos',
  events_url: 'https://api.github.com/users/octocat/events{/privacy}',
  received_events_url: 'https://api.github.com/users/octocat/received_events',
  type: 'User',
  site_admin: false,
  user_view_type: 'public'
}

describe('mapMember', () => {
  it('fills every seed column GitHub provides, and nothing else', () => {
    const row = mapMember(octocat)
    expect(Object.keys(row).sort()).toEqual([...MEMBER_COLUMNS].sort())
    expect(row).toMatchObject({ id: 1, login: 'octocat', gravatar_id: '', type: 'User', site_admin: false })
    expect(row.following_url).toBe('https://api.github.com/users/octocat/following{/other_user}')
  })

  it('missing optional fields become null; a member without id or login is an error', () => {
    expect(mapMember({ id: 2, login: 'x' })).toMatchObject({ node_id: null, type: null, site_admin: null })
    expect(() => mapMember({ id: Number.NaN, login: 'x' })).toThrow(/Malformed member/)
    expect(() => mapMember({ id: 3, login: '' } as never)).toThrow(/Malformed member/)
  })
})
