// GitHub's published GraphQL schema (the SDL of @octokit/graphql-schema),
// built once per process on first use (~0.2 s).
import { buildSchema, type GraphQLSchema } from 'graphql'
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'

let built: GraphQLSchema | null = null

/** The package's exports map hides its files, so find schema.graphql on Node's module search paths. */
function sdlPath(): string {
  const dirs = createRequire(import.meta.url).resolve.paths('@octokit/graphql-schema') ?? []
  for (const d of dirs) {
    const p = path.join(d, '@octokit', 'graphql-schema', 'schema.graphql')
    if (existsSync(p)) return p
  }
  throw new Error('schema.graphql of @octokit/graphql-schema not found; run npm ci')
}

export function githubSchema(): GraphQLSchema {
  // The SDL defines two fields twice, which full SDL validation rejects.
  built ??= buildSchema(readFileSync(sdlPath(), 'utf8'), { assumeValidSDL: true })
  return built
}
