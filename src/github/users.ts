import type { GitHubUser } from './types.js'

/**
 * GitHub's placeholder for deleted accounts. The API renders a deleted
 * author as `user: null` on issues and as this user elsewhere; storing it
 * for both keeps `username` comparable and never crashes a run.
 */
export const GHOST_USER: Readonly<GitHubUser> = Object.freeze({
  login: 'ghost',
  id: 10137,
  node_id: 'MDQ6VXNlcjEwMTM3',
  avatar_url: 'https://avatars.githubusercontent.com/u/10137?v=4',
  gravatar_id: '',
  url: 'https://api.github.com/users/ghost',
  html_url: 'https://github.com/ghost',
  type: 'User',
  site_admin: false
})

export function userOrGhost(user: GitHubUser | null | undefined): GitHubUser {
  return user ?? { ...GHOST_USER }
}

export function loginOf(user: GitHubUser | null | undefined): string {
  return user?.login ?? GHOST_USER.login
}

/** Bots keep their rows; this tells them apart (type Bot, or a `[bot]` login). */
export function isBot(user: GitHubUser | null | undefined): boolean {
  return !!user && (user.type === 'Bot' || user.login.endsWith('[bot]'))
}
