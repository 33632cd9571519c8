// Every GraphQL query the action sends validates against GitHub's published
// schema (@octokit/graphql-schema), independently of the simulator: a type
// GitHub renames or drops fails here, not on a runner.
import { parse, validate } from 'graphql'
import { describe, expect, it } from 'vitest'
import {
  FIRST_PAGES_QUERY,
  nextPagesQuery,
  REACTION_GROUPS_QUERY,
  REACTIONS_QUERY
} from '../src/github/graphql-timeline.js'
import { githubSchema } from '../sim/graphql/schema.js'

const queries: Record<string, string> = {
  FIRST_PAGES_QUERY,
  REACTIONS_QUERY,
  REACTION_GROUPS_QUERY,
  'nextPagesQuery(issue, pull)': nextPagesQuery([{ isPull: false }, { isPull: true }]),
  'nextPagesQuery(issue)': nextPagesQuery([{ isPull: false }]),
  'nextPagesQuery(pull)': nextPagesQuery([{ isPull: true }])
}

describe('GraphQL queries', () => {
  for (const [name, query] of Object.entries(queries)) {
    it(`${name} is valid against GitHub's schema`, () => {
      const errors = validate(githubSchema(), parse(query)).map((e) => e.message)
      expect(errors).toEqual([])
    })
  }
})
