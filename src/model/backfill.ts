/** How a repository's range is read: the issues listing, or search windows over `created`. */
export type BackfillRoute = 'listing' | 'search'

/**
 * A repository's backfill, resumable: kept in sync_cursors.state and moved
 * only in the transaction that stored the rows it covers.
 */
export interface BackfillState {
  /** Range start (ISO), inclusive. */
  since: string
  /** Range end (ISO), inclusive; fixed when the backfill starts, so a resumed run reads the same range. */
  until: string
  /** Whether timelines are loaded; fixed when the backfill starts, so a continuation keeps it. */
  timelines?: boolean
  /** Chosen once per backfill and kept, so a resumed run continues the same walk. */
  route?: BackfillRoute
  /** listing: the Link URL of the next page to read (absent: the first page). */
  next?: string
  /** search: windows are stored up to this instant (ISO, exclusive). */
  doneTo?: string
  /** Latest created_at stored (ISO), for progress. */
  position?: string
  /** Pages (listing) or windows (search) stored. */
  units: number
  /** Issues and pull requests stored. */
  stored: number
  /** The whole range is stored. */
  done: boolean
  /**
   * `pending` while comments stored by this backfill through GraphQL may
   * still lack their reaction counts (read at the end of a run, 100 a point);
   * a backfill is finished only once they are read.
   */
  reactions?: 'pending'
}
