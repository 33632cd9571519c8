// GitHub-shaped GraphQL errors: `{type?, path?, locations?, message}` at the
// top level of each entry (GitHub puts `type` beside `message`, not under
// `extensions`), always with HTTP 200.
import type { GraphQLError, SourceLocation } from 'graphql'

export interface GqlErrorJson {
  type?: string
  code?: string
  path?: (string | number)[]
  locations?: readonly SourceLocation[]
  extensions?: Record<string, unknown>
  message: string
}

/** Thrown by resolvers; graphql-js turns it into a field error at the field's path. */
export class GqlError extends Error {
  constructor(
    public type: string | undefined,
    message: string
  ) {
    super(message)
  }
}

/** `Could not resolve to …` — what GitHub answers, beside a null, for a missing or unreadable object. */
export const notFound = (message: string): GqlError => new GqlError('NOT_FOUND', message)

export function formatError(e: GraphQLError): GqlErrorJson {
  const type = e.originalError instanceof GqlError ? e.originalError.type : undefined
  return {
    ...(type ? { type } : {}),
    ...(e.path ? { path: [...e.path] } : {}),
    ...(e.locations ? { locations: e.locations } : {}),
    message: e.message
  }
}

/**
 * Validation errors in graphql-ruby's words where the simulator knows them
 * (GitHub's GraphQL API runs graphql-ruby): an unknown field reads
 * "Field 'x' doesn't exist on type 'Y'" with `extensions.code: undefinedField`.
 * Other rules keep graphql-js's message.
 */
export function formatValidationError(e: GraphQLError): GqlErrorJson {
  const m = /^Cannot query field "([^"]+)" on type "([^"]+)"\./.exec(e.message)
  if (m) {
    return {
      ...(e.locations ? { locations: e.locations } : {}),
      extensions: { code: 'undefinedField', typeName: m[2], fieldName: m[1] },
      message: `Field '${m[1]}' doesn't exist on type '${m[2]}'`
    }
  }
  return { ...(e.locations ? { locations: e.locations } : {}), message: e.message }
}
