// Shared helpers for the simulator tests: an Ajv validator built from the
// official OpenAPI subset, and a small fetch wrapper.
import { Ajv, type ValidateFunction } from 'ajv'
import formats from 'ajv-formats'
import { readFileSync } from 'node:fs'
import type { Sim } from '../../sim/index.js'

type Json = Record<string, unknown>

const spec = JSON.parse(readFileSync(new URL('../fixtures/openapi-subset.json', import.meta.url), 'utf8')) as {
  paths: Record<string, Record<string, { responses: Record<string, Json> }>>
  components: { schemas: Json; responses: Record<string, Json> }
}

/** OpenAPI 3.0 `nullable: true` → JSON Schema `null` alternatives. */
export function translate(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(translate)
  if (node === null || typeof node !== 'object') return node
  const out: Json = {}
  for (const [k, v] of Object.entries(node as Json)) {
    if (k === 'nullable' || k === 'example' || k === 'examples' || k === 'discriminator') continue
    out[k] = translate(v)
  }
  if ((node as Json).nullable === true) {
    if (typeof out.type === 'string') {
      out.type = [out.type, 'null']
      if (Array.isArray(out.enum)) out.enum = [...out.enum, null]
      return out
    }
    return { anyOf: [out, { type: 'null' }] }
  }
  return out
}

const ajv = new Ajv({ strict: false, allErrors: true })
// ajv-formats is CommonJS: under NodeNext its default export is the module object.
const addFormats = ((formats as unknown as { default?: typeof formats }).default ?? formats) as unknown as (
  a: Ajv
) => void
addFormats(ajv)
ajv.addSchema({ $id: 'gh', components: { schemas: translate(spec.components.schemas) } })

const cache = new Map<string, ValidateFunction>()

/** Validator for `path` (OpenAPI template) and `status`, or for a named component schema. */
export function validator(path: string, status: number | string): ValidateFunction {
  const key = `${path} ${status}`
  const v = cache.get(key)
  if (v) return v
  let schema: unknown
  if (path.startsWith('#')) {
    schema = { $ref: `gh#/components/schemas/${path.slice(1)}` }
  } else {
    let r = spec.paths[path]?.get?.responses[String(status)] as Json | undefined
    if (!r) throw new Error(`no schema for GET ${path} ${status}`)
    if (typeof r.$ref === 'string') r = spec.components.responses[r.$ref.split('/').pop()!]
    const s = (r.content as Json | undefined)?.['application/json'] as Json | undefined
    if (!s) throw new Error(`no JSON body for GET ${path} ${status}`)
    schema = JSON.parse(JSON.stringify(translate(s.schema)).replaceAll('"#/components/', '"gh#/components/'))
  }
  const compiled = ajv.compile(schema as object)
  cache.set(key, compiled)
  return compiled
}

export function expectValid(path: string, status: number, body: unknown): void {
  const v = validator(path, status)
  if (!v(body)) {
    const errs = (v.errors ?? []).slice(0, 8).map((e) => `${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`)
    throw new Error(`response of GET ${path} (${status}) does not match the schema:\n${errs.join('\n')}`)
  }
}

/** Timeline event names GitHub documents (the schemas accept any string). */
export const TIMELINE_EVENTS = new Set([
  'added_to_project',
  'assigned',
  'automatic_base_change_failed',
  'automatic_base_change_succeeded',
  'base_ref_changed',
  'closed',
  'commented',
  'committed',
  'connected',
  'convert_to_draft',
  'converted_note_to_issue',
  'converted_to_discussion',
  'cross-referenced',
  'demilestoned',
  'deployed',
  'deployment_environment_changed',
  'disconnected',
  'head_ref_deleted',
  'head_ref_restored',
  'head_ref_force_pushed',
  'labeled',
  'locked',
  'mentioned',
  'marked_as_duplicate',
  'merged',
  'milestoned',
  'moved_columns_in_project',
  'pinned',
  'ready_for_review',
  'referenced',
  'removed_from_project',
  'renamed',
  'reopened',
  'review_dismissed',
  'review_requested',
  'review_request_removed',
  'reviewed',
  'subscribed',
  'transferred',
  'unassigned',
  'unlabeled',
  'unlocked',
  'unmarked_as_duplicate',
  'unpinned',
  'unsubscribed',
  'user_blocked'
])

/** Parsed JSON of a simulated response; tests assert on its shape. */
export type AnyJson = any // eslint-disable-line @typescript-eslint/no-explicit-any

export interface Got {
  status: number
  headers: Record<string, string>
  text: string
  json: AnyJson
}

/** GET against the simulator without following redirects. */
export async function get(sim: Sim, path: string, headers: Record<string, string> = {}): Promise<Got> {
  const res = await fetch(path.startsWith('http') ? path : sim.url + path, {
    headers: { authorization: 'token test-token', 'x-github-api-version': '2022-11-28', ...headers },
    redirect: 'manual'
  })
  const text = await res.text()
  let json: unknown = undefined
  try {
    json = text ? JSON.parse(text) : undefined
  } catch {
    json = undefined
  }
  return { status: res.status, headers: Object.fromEntries(res.headers), text, json }
}

/** Parses a `Link` header into rel → URL. */
export function links(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {}
  for (const part of header?.split(',') ?? []) {
    const m = /<([^>]+)>;\s*rel="([^"]+)"/.exec(part)
    if (m) out[m[2]] = m[1]
  }
  return out
}
