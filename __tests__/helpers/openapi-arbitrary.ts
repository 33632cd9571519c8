// Random GitHub REST payloads from GitHub's own OpenAPI description
// (fixtures/openapi-subset.json): a fast-check arbitrary per component
// schema. It follows $ref, oneOf / anyOf (one branch), allOf (merged),
// OpenAPI 3.0 `nullable`, enums, `required`, arrays, additionalProperties
// and the formats the subset uses (date-time, uri, int64). Every value it
// makes is checked against the same schema with Ajv (sim/helpers.ts's
// validator) by the property tests, so the generator is shown honest.
import fc from 'fast-check'
import { readFileSync } from 'node:fs'

type Schema = {
  $ref?: string
  type?: string
  nullable?: boolean
  enum?: unknown[]
  format?: string
  properties?: Record<string, Schema>
  required?: string[]
  items?: Schema
  additionalProperties?: boolean | Schema
  oneOf?: Schema[]
  anyOf?: Schema[]
  allOf?: Schema[]
  minItems?: number
  maxItems?: number
  minLength?: number
  maxLength?: number
  minimum?: number
  maximum?: number
}

const spec = JSON.parse(readFileSync(new URL('../fixtures/openapi-subset.json', import.meta.url), 'utf8')) as {
  components: { schemas: Record<string, Schema> }
}

/** How nullable fields are filled. */
export interface PayloadOptions {
  /** 'random': null or a value; 'all': every nullable field null and every optional field present. */
  nulls?: 'random' | 'all'
  /** Below this depth optional fields are left out and arrays empty (keeps payloads small; required ones stay). */
  maxDepth?: number
}

/** The component schema `name` (e.g. 'issue', 'simple-user', 'timeline-issue-events'). */
export function componentSchema(name: string): Schema {
  const s = spec.components.schemas[name]
  if (!s) throw new Error(`no component schema '${name}' in openapi-subset.json`)
  return s
}

/** The $ref names a union schema (anyOf / oneOf) lists: e.g. each timeline event kind. */
export function unionBranches(name: string): string[] {
  const s = componentSchema(name)
  return (s.anyOf ?? s.oneOf ?? []).map((b) => refName(b.$ref ?? ''))
}

function refName(ref: string): string {
  const m = /^#\/components\/schemas\/(.+)$/.exec(ref)
  if (!m) throw new Error(`unsupported $ref '${ref}'`)
  return m[1]
}

/** A date-time as GitHub writes it: UTC, whole seconds, `Z`. */
export const dateTime = fc
  .date({ min: new Date('2008-01-01T00:00:00Z'), max: new Date('2035-12-31T23:59:59Z'), noInvalidDate: true })
  .map((d) => d.toISOString().replace(/\.\d{3}Z$/, 'Z'))

/**
 * Strings: anything, bar the literal words 'null' and 'undefined' — so a
 * row's 'null' can only come from the mapper stringifying a null (what the
 * properties look for), never from the payload.
 */
const text = fc.string({ maxLength: 24, unit: 'grapheme' }).filter((s) => s !== 'null' && s !== 'undefined')

const integer = fc.oneof(fc.integer({ min: -1000, max: 1_000_000 }), fc.maxSafeInteger())

/** An arbitrary of payloads valid against component schema `name`. */
export function payload(name: string, options: PayloadOptions = {}): fc.Arbitrary<Record<string, unknown>> {
  const o = { nulls: options.nulls ?? 'random', maxDepth: options.maxDepth ?? 3 }
  return gen({ $ref: `#/components/schemas/${name}` }, 0, o, new Map()) as fc.Arbitrary<Record<string, unknown>>
}

type Resolved = Required<Pick<PayloadOptions, 'nulls' | 'maxDepth'>>

function gen(
  schema: Schema,
  depth: number,
  o: Resolved,
  memo: Map<string, fc.Arbitrary<unknown>>
): fc.Arbitrary<unknown> {
  if (schema.$ref) {
    const name = refName(schema.$ref)
    const key = `${name}@${Math.min(depth, o.maxDepth + 1)}`
    let a = memo.get(key)
    if (!a) {
      // Lazy, so a schema that (optionally) refers to itself ends at maxDepth.
      a = fc.constant(null).chain(() => gen(componentSchema(name), depth, o, memo))
      memo.set(key, a)
    }
    return a
  }
  const base = genNonNull(schema, depth, o, memo)
  if (!schema.nullable) return base
  if (o.nulls === 'all') return fc.constant(null)
  return fc.oneof({ arbitrary: base, weight: 3 }, { arbitrary: fc.constant(null), weight: 1 })
}

function genNonNull(
  schema: Schema,
  depth: number,
  o: Resolved,
  memo: Map<string, fc.Arbitrary<unknown>>
): fc.Arbitrary<unknown> {
  if (schema.enum) return fc.constantFrom(...schema.enum.filter((v) => v !== null))
  const union = schema.oneOf ?? schema.anyOf
  if (union) return fc.oneof(...union.map((b) => gen(b, depth, o, memo)))
  if (schema.allOf) return gen(mergeAll(schema.allOf), depth, o, memo)
  const type = schema.type ?? (schema.properties ? 'object' : schema.items ? 'array' : undefined)
  switch (type) {
    case 'string':
      if (schema.format === 'date-time') return dateTime
      if (schema.format === 'uri') return fc.webUrl({ withQueryParameters: true })
      return schema.minLength || schema.maxLength
        ? fc.string({ minLength: schema.minLength ?? 0, maxLength: schema.maxLength ?? 24 })
        : text
    case 'integer':
      return schema.minimum !== undefined || schema.maximum !== undefined
        ? fc.integer({ min: schema.minimum ?? -1000, max: schema.maximum ?? Number.MAX_SAFE_INTEGER })
        : integer
    case 'number':
      return fc.double({ noNaN: true, noDefaultInfinity: true })
    case 'boolean':
      return fc.boolean()
    case 'array': {
      const items = schema.items ? gen(schema.items, depth + 1, o, memo) : fc.jsonValue({ maxDepth: 1 })
      const max = depth >= o.maxDepth ? (schema.minItems ?? 0) : Math.max(schema.minItems ?? 0, 2)
      return fc.array(items, { minLength: schema.minItems ?? 0, maxLength: Math.min(max, schema.maxItems ?? max) })
    }
    case 'object': {
      const props = schema.properties ?? {}
      const names = Object.keys(props)
      const required = new Set(schema.required ?? [])
      if (names.length === 0) {
        if (schema.additionalProperties && typeof schema.additionalProperties === 'object') {
          return fc.dictionary(
            fc.string({ minLength: 1, maxLength: 8 }),
            gen(schema.additionalProperties, depth + 1, o, memo),
            {
              maxKeys: depth >= o.maxDepth ? 0 : 2
            }
          )
        }
        return fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), fc.jsonValue({ maxDepth: 1 }), {
          maxKeys: depth >= o.maxDepth ? 0 : 2
        })
      }
      const deep = depth >= o.maxDepth
      const model: Record<string, fc.Arbitrary<unknown>> = {}
      for (const name of names) if (!deep || required.has(name)) model[name] = gen(props[name], depth + 1, o, memo)
      const requiredKeys = o.nulls === 'all' ? Object.keys(model) : Object.keys(model).filter((k) => required.has(k))
      return fc.record(model, { requiredKeys })
    }
    default:
      return fc.jsonValue({ maxDepth: 1 })
  }
}

function mergeAll(parts: Schema[]): Schema {
  const out: Schema = { type: 'object', properties: {}, required: [] }
  for (const part of parts) {
    const p = part.$ref ? componentSchema(refName(part.$ref)) : part
    Object.assign(out.properties!, p.properties ?? {})
    out.required!.push(...(p.required ?? []))
  }
  return out
}
