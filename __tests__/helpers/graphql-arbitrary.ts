// Random answers to one of our GraphQL queries, typed by GitHub's published
// schema (@octokit/graphql-schema): a fast-check arbitrary of the `data` a
// query can get back. It walks the query's selection sets with the schema's
// types — non-null or nullable, lists, enums, scalars (Int within 32 bits,
// DateTime, URI, GitObjectID), objects by response key (aliases kept),
// `__typename`, inline fragments and named fragments; an interface or union
// becomes one of the concrete types the selection names. checkAnswer() then
// executes the query against the schema with the answer as the resolved
// values, so graphql-js itself checks every value completes to its type.
import fc from 'fast-check'
import {
  execute,
  GraphQLEnumType,
  GraphQLList,
  GraphQLNonNull,
  GraphQLObjectType,
  GraphQLScalarType,
  isAbstractType,
  Kind,
  parse,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLOutputType,
  type GraphQLSchema,
  type SelectionSetNode,
  visit
} from 'graphql'
import { dateTime } from './openapi-arbitrary.js'

/** Where a generated object keeps its concrete type when the query does not select `__typename`. */
const TYPE = Symbol('graphql type')

export interface AnswerOptions {
  /** 'random': null or a value; 'all': every nullable field null. */
  nulls?: 'random' | 'all'
  /** Below this depth lists are empty. */
  maxDepth?: number
}

interface Ctx {
  schema: GraphQLSchema
  fragments: Map<string, FragmentDefinitionNode>
  nulls: 'random' | 'all'
  maxDepth: number
}

const text = fc.string({ maxLength: 16, unit: 'grapheme' }).filter((s) => s !== 'null' && s !== 'undefined')

function scalar(name: string): fc.Arbitrary<unknown> {
  switch (name) {
    case 'Int':
      return fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 })
    case 'Float':
      return fc.double({ noNaN: true, noDefaultInfinity: true })
    case 'Boolean':
      return fc.boolean()
    case 'ID':
      return fc.string({ minLength: 1, maxLength: 16 })
    case 'DateTime':
    case 'PreciseDateTime':
      return dateTime
    case 'URI':
      return fc.webUrl()
    case 'GitObjectID':
      return fc.stringMatching(/^[0-9a-f]{40}$/)
    default:
      return text
  }
}

/** An arbitrary of the `data` of `query` (with one operation) against `schema`. */
export function answer(schema: GraphQLSchema, query: string, options: AnswerOptions = {}): fc.Arbitrary<unknown> {
  const doc = parse(query)
  const ctx: Ctx = {
    schema,
    fragments: new Map(
      doc.definitions
        .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
        .map((d) => [d.name.value, d])
    ),
    nulls: options.nulls ?? 'random',
    maxDepth: options.maxDepth ?? 6
  }
  const op = doc.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION)
  if (!op || op.kind !== Kind.OPERATION_DEFINITION) throw new Error('no operation in the query')
  return object(schema.getQueryType()!, op.selectionSet, 0, ctx)
}

/**
 * An arbitrary of one object that `query` selects through fragment `name`
 * (a named fragment, or the first inline fragment `... on name`): e.g. a
 * timeline item of fragment PullItem, or a Repository. Never null itself;
 * its nullable fields follow `options`.
 */
export function fragmentAnswer(
  schema: GraphQLSchema,
  query: string,
  name: string,
  options: AnswerOptions = {}
): fc.Arbitrary<Record<string, unknown>> {
  const doc = parse(query)
  const ctx: Ctx = {
    schema,
    fragments: new Map(
      doc.definitions
        .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
        .map((d) => [d.name.value, d])
    ),
    nulls: options.nulls ?? 'random',
    maxDepth: options.maxDepth ?? 6
  }
  let found: { type: string; set: SelectionSetNode } | undefined
  const named = ctx.fragments.get(name)
  if (named) found = { type: named.typeCondition.name.value, set: named.selectionSet }
  else {
    visit(doc, {
      InlineFragment(node) {
        if (!found && node.typeCondition?.name.value === name) found = { type: name, set: node.selectionSet }
      }
    })
  }
  if (!found) throw new Error(`no fragment ${name} in the query`)
  const type = schema.getType(found.type) as GraphQLOutputType | undefined
  if (!type) throw new Error(`no type ${found.type} in the schema`)
  return nonNull(type, found.set, 0, ctx) as fc.Arbitrary<Record<string, unknown>>
}

function value(
  type: GraphQLOutputType,
  set: SelectionSetNode | undefined,
  depth: number,
  ctx: Ctx
): fc.Arbitrary<unknown> {
  if (type instanceof GraphQLNonNull) return nonNull(type.ofType as GraphQLOutputType, set, depth, ctx)
  if (ctx.nulls === 'all') return fc.constant(null)
  return fc.oneof({ weight: 3, arbitrary: nonNull(type, set, depth, ctx) }, { weight: 1, arbitrary: fc.constant(null) })
}

function nonNull(
  type: GraphQLOutputType,
  set: SelectionSetNode | undefined,
  depth: number,
  ctx: Ctx
): fc.Arbitrary<unknown> {
  if (type instanceof GraphQLList) {
    return fc.array(value(type.ofType as GraphQLOutputType, set, depth + 1, ctx), {
      maxLength: depth >= ctx.maxDepth ? 0 : 3
    })
  }
  if (type instanceof GraphQLEnumType) return fc.constantFrom(...type.getValues().map((v) => v.name))
  if (type instanceof GraphQLScalarType) return scalar(type.name)
  if (!set) throw new Error(`no selection for ${String(type)}`)
  if (isAbstractType(type)) {
    const candidates = ctx.schema
      .getPossibleTypes(type)
      .filter((t) => conditions(set, ctx).some((c) => c === t.name || implementsOrMember(ctx, t, c)))
    const pool = candidates.length > 0 ? candidates : ctx.schema.getPossibleTypes(type).slice(0, 3)
    return fc.oneof(...pool.map((t) => object(t, set, depth, ctx)))
  }
  return object(type as GraphQLObjectType, set, depth, ctx)
}

function implementsOrMember(ctx: Ctx, t: GraphQLObjectType, name: string): boolean {
  const parent = ctx.schema.getType(name)
  return !!parent && isAbstractType(parent) && ctx.schema.isSubType(parent, t)
}

/** The type conditions of the inline fragments and fragment spreads directly in `set`. */
function conditions(set: SelectionSetNode, ctx: Ctx): string[] {
  const out: string[] = []
  for (const s of set.selections) {
    if (s.kind === Kind.INLINE_FRAGMENT && s.typeCondition) out.push(s.typeCondition.name.value)
    if (s.kind === Kind.FRAGMENT_SPREAD) {
      const f = ctx.fragments.get(s.name.value)
      if (f) out.push(f.typeCondition.name.value, ...conditions(f.selectionSet, ctx))
    }
  }
  return out
}

/** The fields `set` selects on concrete type `t`, by response key (fragments that apply to `t` merged). */
function fieldsOn(
  t: GraphQLObjectType,
  set: SelectionSetNode,
  ctx: Ctx,
  out = new Map<string, { name: string; sets: SelectionSetNode[] }>()
) {
  const applies = (cond: string | undefined): boolean => !cond || cond === t.name || implementsOrMember(ctx, t, cond)
  for (const s of set.selections) {
    if (s.kind === Kind.FIELD) {
      const key = s.alias?.value ?? s.name.value
      const entry = out.get(key) ?? { name: s.name.value, sets: [] }
      if (s.selectionSet) entry.sets.push(s.selectionSet)
      out.set(key, entry)
    } else if (s.kind === Kind.INLINE_FRAGMENT) {
      if (applies(s.typeCondition?.name.value)) fieldsOn(t, s.selectionSet, ctx, out)
    } else {
      const f = ctx.fragments.get(s.name.value)
      if (f && applies(f.typeCondition.name.value)) fieldsOn(t, f.selectionSet, ctx, out)
    }
  }
  return out
}

function object(t: GraphQLObjectType, set: SelectionSetNode, depth: number, ctx: Ctx): fc.Arbitrary<unknown> {
  const model: Record<string, fc.Arbitrary<unknown>> = {}
  for (const [key, { name, sets }] of fieldsOn(t, set, ctx)) {
    if (name === '__typename') {
      model[key] = fc.constant(t.name)
      continue
    }
    const field = t.getFields()[name]
    if (!field) throw new Error(`${t.name} has no field ${name}`)
    const merged: SelectionSetNode | undefined =
      sets.length === 0 ? undefined : { kind: Kind.SELECTION_SET, selections: sets.flatMap((s) => s.selections) }
    model[key] = value(field.type, merged, depth + 1, ctx)
  }
  return fc.record(model).map((o) => Object.defineProperty(o, TYPE, { value: t.name, enumerable: false }))
}

/** The concrete type the generator gave an object. */
export function typeOf(o: unknown): string | undefined {
  return (o as Record<symbol, string> | null)?.[TYPE]
}

/**
 * GraphQL errors (empty when none) from executing `query` with `data` as the
 * resolved values: each field resolves to the answer's value at its response
 * key, each abstract type to the generated concrete type.
 */
export function checkAnswer(
  schema: GraphQLSchema,
  query: string | DocumentNode,
  data: unknown,
  variableValues: Record<string, unknown>
): { errors: string[]; data: unknown } {
  const result = execute({
    schema,
    document: typeof query === 'string' ? parse(query) : query,
    rootValue: data,
    variableValues,
    fieldResolver: (source, _args, _ctx, info) => (source as Record<string, unknown>)[String(info.path.key)],
    typeResolver: (v) => (v as Record<string, string>).__typename ?? typeOf(v)
  })
  if (result instanceof Promise) throw new Error('execution was asynchronous')
  return { errors: (result.errors ?? []).map((e) => `${e.path?.join('.')}: ${e.message}`), data: result.data }
}
