// A query's price, computed from the document before it runs, as GitHub
// documents it (github/docs content/graphql/overview/
// rate-limits-and-query-limits-for-the-graphql-api.md):
//
// - "Add up the number of requests needed to fulfill each unique connection
//   in the call. Assume every request will reach the `first` or `last`
//   argument limits." A connection nested under another counts once per
//   possible parent node: repositories(first:100){issues(first:50){labels(first:60)}}
//   is 1 + 100 + 5,000 = 5,101 requests.
// - "Divide the number by 100 and round the result to the nearest whole
//   number"; "The minimum point value of a call … is 1."
// - Node limit: "Clients must supply a `first` or `last` argument on any
//   connection", "Values of `first` and `last` must be within 1-100",
//   "Individual calls cannot request more than 500,000 total nodes", where
//   nodes are the products of page sizes along each path (50 + 50×10 = 550).
//
// Assumptions where the docs are silent (the costlier reading each time):
// a connection selecting only `totalCount`/`pageInfo` needs no `first` but
// still counts as one request per parent; `nodes(ids:)` multiplies what it
// contains by the number of ids, as if each id were a parent; other lists
// multiply by 1; fields under both `... on Issue` and `... on PullRequest`
// count for both; `@skip`/`@include` are ignored (everything is priced).
import {
  getArgumentValues,
  getLocation,
  getNamedType,
  isInterfaceType,
  isObjectType,
  Kind,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode
} from 'graphql'
import type { GqlErrorJson } from './errors.js'

export const NODE_LIMIT = 500_000
export const PAGE_LIMIT = 100

export interface Price {
  /** Requests needed to fulfil every connection at full page size. */
  requests: number
  /** Nodes the query may return (the node limit's measure). */
  nodes: number
  /** Points: max(1, round(requests / 100)). */
  cost: number
  /** Pagination and node-limit violations, GitHub-shaped; the query must not run when any. */
  errors: GqlErrorJson[]
  /** `rateLimit(dryRun: true)` is selected at the root. */
  dryRun: boolean
}

interface Walk {
  schema: GraphQLSchema
  doc: DocumentNode
  fragments: Map<string, FragmentDefinitionNode>
  variables: Record<string, unknown>
  price: Price
}

const fmt = (n: number): string => n.toLocaleString('en-US')

export function priceQuery(
  schema: GraphQLSchema,
  doc: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>
): Price {
  const fragments = new Map<string, FragmentDefinitionNode>()
  for (const d of doc.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d)
  const price: Price = { requests: 0, nodes: 0, cost: 1, errors: [], dryRun: false }
  const root = operation.operation === 'query' ? schema.getQueryType() : schema.getMutationType()
  if (!root) return price
  const w: Walk = { schema, doc, fragments, variables, price }
  selection(w, [operation.selectionSet], root, 1, [], true)
  price.cost = Math.max(1, Math.round(price.requests / 100))
  if (price.nodes > NODE_LIMIT && !price.errors.length) {
    price.errors.push({
      type: 'MAX_NODE_LIMIT_EXCEEDED',
      // The wording GitHub answers (pyvec/python.cz#250).
      message: `This query requests up to ${fmt(price.nodes)} possible nodes which exceeds the maximum limit of ${fmt(NODE_LIMIT)}.`
    })
  }
  return price
}

/** Fields of a selection set grouped by type condition and response key (fragments expanded). */
function collect(
  w: Walk,
  set: SelectionSetNode,
  type: GraphQLCompositeType,
  into: Map<string, { type: GraphQLCompositeType; nodes: FieldNode[] }>,
  seen: Set<string>
): void {
  for (const s of set.selections) {
    if (s.kind === Kind.FIELD) {
      const key = `${type.name}|${s.alias?.value ?? s.name.value}`
      const g = into.get(key)
      if (g) g.nodes.push(s)
      else into.set(key, { type, nodes: [s] })
    } else if (s.kind === Kind.INLINE_FRAGMENT) {
      const t = s.typeCondition ? (w.schema.getType(s.typeCondition.name.value) as GraphQLCompositeType) : type
      if (t) collect(w, s.selectionSet, t, into, seen)
    } else {
      const f = w.fragments.get(s.name.value)
      if (!f || seen.has(f.name.value)) continue
      const t = w.schema.getType(f.typeCondition.name.value) as GraphQLCompositeType
      if (t) collect(w, f.selectionSet, t, into, new Set([...seen, f.name.value]))
    }
  }
}

function fieldOf(type: GraphQLCompositeType, name: string): GraphQLField<unknown, unknown> | undefined {
  return isObjectType(type) || isInterfaceType(type) ? type.getFields()[name] : undefined
}

/** Whether a connection's selection asks for its items (`nodes` or `edges`), not just counts. */
function wantsItems(w: Walk, nodes: FieldNode[], type: GraphQLCompositeType): boolean {
  const fields = new Map<string, { type: GraphQLCompositeType; nodes: FieldNode[] }>()
  for (const n of nodes) if (n.selectionSet) collect(w, n.selectionSet, type, fields, new Set())
  for (const g of fields.values()) {
    const name = g.nodes[0].name.value
    if (name === 'nodes' || name === 'edges') return true
  }
  return false
}

/** Prices the fields of `sets` (merged, as execution merges them) under `parents` possible parent nodes. */
function selection(
  w: Walk,
  sets: SelectionSetNode[],
  type: GraphQLCompositeType,
  parents: number,
  path: string[],
  atRoot = false
): void {
  const fields = new Map<string, { type: GraphQLCompositeType; nodes: FieldNode[] }>()
  for (const set of sets) collect(w, set, type, fields, new Set())
  for (const g of fields.values()) {
    const node = g.nodes[0]
    const name = node.name.value
    if (name.startsWith('__')) continue
    const def = fieldOf(g.type, name)
    if (!def) continue
    let args: Record<string, unknown> = {}
    try {
      args = getArgumentValues(def, node, w.variables)
    } catch {
      // Invalid arguments are reported by execution.
    }
    if (atRoot && name === 'rateLimit' && args.dryRun === true) w.price.dryRun = true
    const here = [...path, node.alias?.value ?? name]
    const named = getNamedType(def.type)
    const sub = g.nodes.filter((n) => n.selectionSet)
    if (!sub.length || !(isObjectType(named) || isInterfaceType(named) || 'getTypes' in named)) continue
    const child = named as GraphQLCompositeType
    let each = parents
    if (isObjectType(named) && named.name.endsWith('Connection') && 'pageInfo' in named.getFields()) {
      const first = typeof args.first === 'number' ? args.first : null
      const last = typeof args.last === 'number' ? args.last : null
      const where = { path: here, locations: node.loc ? [getLocation(node.loc.source, node.loc.start)] : undefined }
      if (first === null && last === null && wantsItems(w, sub, child)) {
        w.price.errors.push({
          type: 'MISSING_PAGINATION_BOUNDARIES',
          ...where,
          message: `You must provide a \`first\` or \`last\` value to properly paginate the \`${name}\` connection.`
        })
        continue
      }
      const over = [
        ['first', first],
        ['last', last]
      ].find(([, v]) => typeof v === 'number' && v > PAGE_LIMIT)
      if (over) {
        // The wording GitHub answers (as captured in a public test fixture of GitHub answers).
        w.price.errors.push({
          type: 'EXCESSIVE_PAGINATION',
          ...where,
          message: `Requesting ${over[1]} records on the \`${name}\` connection exceeds the \`${over[0]}\` limit of ${PAGE_LIMIT} records.`
        })
        continue
      }
      const size = Math.max(0, first ?? 0, last ?? 0)
      w.price.requests += parents
      w.price.nodes += parents * size
      each = parents * size
    } else if (atRoot && name === 'nodes' && Array.isArray(args.ids)) {
      each = parents * args.ids.length
    }
    selection(
      w,
      sub.map((n) => n.selectionSet!),
      child,
      each,
      here
    )
  }
}
