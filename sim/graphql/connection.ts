// Relay connections over an array: after/before cursors, first/last/skip,
// and the counts GitHub's connections report.
import { GqlError } from './errors.js'

export interface ConnArgs {
  first?: number | null
  last?: number | null
  after?: string | null
  before?: string | null
  skip?: number | null
}

/** How a connection's items map to cursors and back. */
export interface Cursors<T> {
  encode(item: T, index: number): string
  /** Index of the first item after `cursor`, or null when the cursor is not one of ours. */
  after(items: T[], cursor: string): number | null
  /** Index of the first item not before `cursor` (the end of a `before` range). */
  before(items: T[], cursor: string): number | null
}

export interface PageInfo {
  hasNextPage: boolean
  hasPreviousPage: boolean
  startCursor: string | null
  endCursor: string | null
}

export interface Connection<N> {
  totalCount: number
  /** Items left after `after`/`before` (timeline connections). */
  filteredCount: number
  /** Items on this page (timeline connections). */
  pageCount: number
  pageInfo: PageInfo
  nodes: () => N[]
  edges: () => { cursor: string; node: N }[]
}

/** An unrecognised cursor: assumed wording (no source found for GitHub's). */
export function badCursor(cursor: string): GqlError {
  return new GqlError('INVALID_CURSOR_ARGUMENTS', `\`${cursor}\` does not appear to be a valid cursor.`)
}

export function connection<T, N>(
  items: T[],
  args: ConnArgs,
  cursors: Cursors<T>,
  wrap: (item: T) => N,
  totalCount = items.length
): Connection<N> {
  let lo = 0
  let hi = items.length
  if (args.after) {
    const at = cursors.after(items, args.after)
    if (at === null) throw badCursor(args.after)
    lo = at
  }
  if (args.before) {
    const at = cursors.before(items, args.before)
    if (at === null) throw badCursor(args.before)
    hi = Math.max(lo, at)
  }
  const filteredCount = hi - lo
  let start = Math.min(hi, lo + Math.max(0, args.skip ?? 0))
  let end = hi
  if (args.first !== undefined && args.first !== null) end = Math.min(end, start + Math.max(0, args.first))
  if (args.last !== undefined && args.last !== null) start = Math.max(start, end - Math.max(0, args.last))
  const slice = items.slice(start, end)
  const cursorAt = (k: number): string => cursors.encode(slice[k], start + k)
  let wrapped: N[] | null = null
  const nodes = (): N[] => (wrapped ??= slice.map(wrap))
  return {
    totalCount,
    filteredCount,
    pageCount: slice.length,
    pageInfo: {
      hasNextPage: end < items.length,
      hasPreviousPage: start > 0,
      startCursor: slice.length ? cursorAt(0) : null,
      endCursor: slice.length ? cursorAt(slice.length - 1) : null
    },
    nodes,
    edges: () => nodes().map((node, k) => ({ cursor: cursorAt(k), node }))
  }
}

const enc = (s: string): string => Buffer.from(s).toString('base64')
const dec = (s: string): string => Buffer.from(s, 'base64').toString()

/** Offset cursors (`cursor:N`, as GitHub's search cursors decode): positions, so they shift when items do. */
export function offsetCursors<T>(): Cursors<T> {
  const parse = (c: string): number | null => {
    const m = /^cursor:(\d+)$/.exec(dec(c))
    return m ? Number(m[1]) : null
  }
  return {
    encode: (_t, index) => enc(`cursor:${index + 1}`),
    after: (items, c) => {
      const n = parse(c)
      return n === null ? null : Math.min(items.length, n)
    },
    before: (items, c) => {
      const n = parse(c)
      return n === null ? null : Math.min(items.length, Math.max(0, n - 1))
    }
  }
}

/**
 * Keyset cursors over a list sorted ascending by `key` (negate keys for a
 * descending order): a cursor names a position between keys, so it stays
 * valid while items are added, removed or reordered around it.
 */
export function keysetCursors<T>(key: (t: T) => number[]): Cursors<T> {
  const parse = (c: string): number[] | null => {
    const m = /^cursor:v2:(-?\d+(?::-?\d+)*)$/.exec(dec(c))
    return m ? m[1].split(':').map(Number) : null
  }
  const cmp = (a: number[], b: number[]): number => {
    for (let k = 0; k < Math.min(a.length, b.length); k++) if (a[k] !== b[k]) return a[k] - b[k]
    return a.length - b.length
  }
  const find = (items: T[], c: string, strict: boolean): number | null => {
    const at = parse(c)
    if (!at) return null
    const k = items.findIndex((t) => (strict ? cmp(key(t), at) > 0 : cmp(key(t), at) >= 0))
    return k < 0 ? items.length : k
  }
  return {
    encode: (t) => enc(`cursor:v2:${key(t).join(':')}`),
    after: (items, c) => find(items, c, true),
    before: (items, c) => find(items, c, false)
  }
}
