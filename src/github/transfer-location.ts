import type { IssueLocation } from '../model/transfer.js'

// GitHub uses either form; a GHES API prefix (`/api/v3`) may precede both.

const REPOS = /\/repos\/([^/?#]+)\/([^/?#]+)\/issues\/(\d+)(?:[/?#]|$)/
const REPOSITORIES = /\/repositories\/(\d+)\/issues\/(\d+)(?:[/?#]|$)/

/** Parses an issue API URL in either form; undefined when it is neither. */
export function parseIssueLocation(location: string | undefined | null): IssueLocation | undefined {
  if (!location) return undefined
  let path: string
  try {
    path = new URL(location, 'http://relative.invalid').pathname
  } catch {
    return undefined
  }
  const byId = REPOSITORIES.exec(path)
  if (byId) return { form: 'repositories', repoId: Number(byId[1]), number: Number(byId[2]) }
  const byName = REPOS.exec(path)
  if (byName) {
    return {
      form: 'repos',
      owner: decodeURIComponent(byName[1]),
      repo: decodeURIComponent(byName[2]),
      number: Number(byName[3])
    }
  }
  return undefined
}

/** The repository part of an API URL (`…/repos/{o}/{r}` or `…/repositories/{id}`). */
export function parseRepositoryUrl(
  url: string | undefined | null
): { owner: string; repo: string } | { repoId: number } | undefined {
  if (!url) return undefined
  let path: string
  try {
    path = new URL(url, 'http://relative.invalid').pathname
  } catch {
    return undefined
  }
  const byId = /\/repositories\/(\d+)\/?$/.exec(path)
  if (byId) return { repoId: Number(byId[1]) }
  const byName = /\/repos\/([^/]+)\/([^/]+)\/?$/.exec(path)
  if (byName) return { owner: decodeURIComponent(byName[1]), repo: decodeURIComponent(byName[2]) }
  return undefined
}
