// POST /graphql for the simulator tests, and an independent check that every
// answer's `data` has the shape GitHub's schema gives the query: types of
// scalars and enums, no null where the schema says non-null (graphql-js
// bubbles such nulls up, as GitHub does), exactly the selected keys.
import {
  getNamedType,
  isAbstractType,
  isEnumType,
  isInterfaceType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  Kind,
  parse,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLObjectType,
  type GraphQLOutputType,
  type SelectionSetNode
} from 'graphql'
import { expect } from 'vitest'
import type { Sim } from '../../sim/index.js'
import { githubSchema } from '../../sim/graphql/schema.js'
import type { AnyJson } from './helpers.js'

export interface GqlAnswer {
  status: number
  headers: Record<string, string>
  body: AnyJson
  data: AnyJson
  errors: AnyJson[] | undefined
}

/** Runs `query` as `token` (default 't'); checks the answer against the schema. */
export async function gql(
  sim: Sim,
  query: string,
  variables: Record<string, unknown> = {},
  token = 't'
): Promise<GqlAnswer> {
  const res = await fetch(`${sim.url}/graphql`, {
    method: 'POST',
    headers: { authorization: `bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables })
  })
  const text = await res.text()
  const body = text ? JSON.parse(text) : undefined
  if (res.status === 200 && body?.data) expectMatchesSchema(query, body.data)
  return { status: res.status, headers: Object.fromEntries(res.headers), body, data: body?.data, errors: body?.errors }
}

/** `data` of a successful answer; fails the test on any error. */
export async function gqlData(sim: Sim, query: string, variables?: Record<string, unknown>, token?: string) {
  const r = await gql(sim, query, variables, token)
  expect(r.status).toBe(200)
  expect(r.errors, JSON.stringify(r.errors)).toBeUndefined()
  return r.data
}

const SCALARS: Record<string, (v: unknown) => boolean> = {
  Int: (v) => Number.isInteger(v) && Math.abs(v as number) <= 2 ** 31,
  Float: (v) => typeof v === 'number',
  String: (v) => typeof v === 'string',
  Boolean: (v) => typeof v === 'boolean',
  ID: (v) => typeof v === 'string' && v.length > 0,
  DateTime: (v) => typeof v === 'string' && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/.test(v),
  URI: (v) => typeof v === 'string' && /^(https?:\/\/|\/)/.test(v),
  BigInt: (v) => typeof v === 'string' && /^-?\d+$/.test(v),
  GitObjectID: (v) => typeof v === 'string' && /^[0-9a-f]{40}$/.test(v),
  GitTimestamp: (v) => typeof v === 'string' && !Number.isNaN(Date.parse(v))
}

export function expectMatchesSchema(query: string, data: unknown): void {
  const schema = githubSchema()
  const doc: DocumentNode = parse(query)
  const fragments = new Map<string, FragmentDefinitionNode>()
  for (const d of doc.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d)
  const op = doc.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION)
  if (!op || op.kind !== Kind.OPERATION_DEFINITION) throw new Error('no operation')
  const problems: string[] = []

  const applies = (cond: string | undefined, t: GraphQLObjectType): boolean => {
    if (!cond || cond === t.name) return true
    const c = schema.getType(cond)
    return !!c && isAbstractType(c) && schema.isSubType(c, t)
  }
  const fieldsOf = (sets: SelectionSetNode[], t: GraphQLObjectType): Map<string, FieldNode[]> => {
    const out = new Map<string, FieldNode[]>()
    const walk = (set: SelectionSetNode): void => {
      for (const s of set.selections) {
        if (s.kind === Kind.FIELD) {
          const k = s.alias?.value ?? s.name.value
          out.set(k, [...(out.get(k) ?? []), s])
        } else if (s.kind === Kind.INLINE_FRAGMENT) {
          if (applies(s.typeCondition?.name.value, t)) walk(s.selectionSet)
        } else {
          const f = fragments.get(s.name.value)
          if (f && applies(f.typeCondition.name.value, t)) walk(f.selectionSet)
        }
      }
    }
    sets.forEach(walk)
    return out
  }
  const object = (
    t: GraphQLObjectType,
    v: Record<string, unknown>,
    sets: SelectionSetNode[],
    path: string,
    into: string[]
  ): void => {
    const fields = fieldsOf(sets, t)
    for (const k of Object.keys(v)) if (!fields.has(k)) into.push(`${path}.${k}: not selected`)
    for (const [k, nodes] of fields) {
      if (!(k in v)) {
        into.push(`${path}.${k}: missing`)
        continue
      }
      const name = nodes[0].name.value
      if (name === '__typename') {
        if (v[k] !== t.name) into.push(`${path}.${k}: ${String(v[k])} is not ${t.name}`)
        continue
      }
      const def = t.getFields()[name]
      if (!def) {
        into.push(`${path}.${k}: no field ${t.name}.${name}`)
        continue
      }
      value(
        def.type,
        v[k],
        nodes.flatMap((n) => (n.selectionSet ? [n.selectionSet] : [])),
        `${path}.${k}`,
        into
      )
    }
  }
  const value = (type: GraphQLOutputType, v: unknown, sets: SelectionSetNode[], path: string, into: string[]): void => {
    if (isNonNullType(type)) {
      if (v === null || v === undefined) into.push(`${path}: null for non-null ${String(type)}`)
      else value(type.ofType, v, sets, path, into)
      return
    }
    if (v === null) return
    if (isListType(type)) {
      if (!Array.isArray(v)) into.push(`${path}: not a list`)
      else v.forEach((x, k) => value(type.ofType, x, sets, `${path}[${k}]`, into))
      return
    }
    const named = getNamedType(type)
    if (isScalarType(named)) {
      const ok = SCALARS[named.name] ?? ((x: unknown) => typeof x !== 'object')
      if (!ok(v)) into.push(`${path}: ${JSON.stringify(v)} is not a ${named.name}`)
    } else if (isEnumType(named)) {
      if (typeof v !== 'string' || !named.getValue(v)) into.push(`${path}: ${JSON.stringify(v)} is not a ${named.name}`)
    } else if (typeof v !== 'object' || Array.isArray(v)) {
      into.push(`${path}: not an object`)
    } else if (isObjectType(named)) {
      object(named, v as Record<string, unknown>, sets, path, into)
    } else if (isAbstractType(named) || isInterfaceType(named)) {
      // The value must fit one of the possible types (exactly the one __typename names, when selected).
      const rec = v as Record<string, unknown>
      const attempts = schema.getPossibleTypes(named).map((t) => {
        const errs: string[] = []
        object(t, rec, sets, path, errs)
        return errs
      })
      if (!attempts.some((e) => e.length === 0)) into.push(...(attempts.sort((a, b) => a.length - b.length)[0] ?? []))
    }
  }
  value(schema.getQueryType()!, data, [op.selectionSet], 'data', problems)
  expect(problems, problems.slice(0, 10).join('\n')).toEqual([])
}
