import type { Queryable } from '../db/database.ts';
import { matchesPatterns } from './events/catalogue.ts';

/** Rows read per statement; a reader far behind catches up in pages of this many. */
export const FEED_PAGE_SIZE = 500;
/**
 * How long a hole in `seq` holds back the events after it. A `seq` is taken when a row is
 * inserted, not when its transaction commits: a hole is either a transaction still open (its
 * events will appear below ones already visible) or one rolled back (they never will). Handing
 * out what lies past a hole at once could skip the first kind for good, since the resume point
 * moves past it; so the reader waits for the hole to fill, up to this long after the row past it
 * was written, then treats it as a rollback.
 */
export const FEED_GAP_GRACE_MS = 5_000;

/** An event as stored, for one stream: the envelope text byte for byte. */
export interface FeedEvent {
  seq: bigint;
  type: string;
  payload: string;
}

export interface FeedPage {
  events: FeedEvent[];
  /** The new resume point: every event of the workspace at or below it has been read. */
  cursor: bigint;
  /** A full page was read: read again at once. */
  more: boolean;
  /** Stopped at a hole that may still fill: read again soon. */
  waiting: boolean;
}

export interface EventFeed {
  /** The newest `seq` committed now (0 with no events): "only new events from now". */
  head(): Promise<bigint>;
  /** The workspace's events past `cursor` whose type matches `patterns`, in `seq` order, up to the first open hole. */
  read(cursor: bigint): Promise<FeedPage>;
}

interface FeedRow {
  seq: string;
  mine: boolean;
  type: string;
  payload: string | null;
  /** Written longer than the grace ago: a hole before it has been open too long to be a transaction in flight. */
  settled: boolean;
}

/**
 * One stream's view of `webhook_events`: a workspace, a type filter, and the hole it waits on.
 * Holes are judged on the whole sequence (every workspace's rows), since other workspaces'
 * events fill most of the numbers; only this workspace's payloads are read.
 */
export function createEventFeed(options: {
  db: Queryable;
  workspaceId: string;
  /** Type patterns (`*`, `record.*`, exact types); every type when absent. */
  patterns?: readonly string[];
  pageSize?: number;
  graceMs?: number;
  /** The clock for holes first seen by this feed (specs). */
  nowMs?: () => number;
}): EventFeed {
  const { db, workspaceId } = options;
  const pageSize = options.pageSize ?? FEED_PAGE_SIZE;
  const graceMs = options.graceMs ?? FEED_GAP_GRACE_MS;
  const nowMs = options.nowMs ?? Date.now;
  const patterns = options.patterns ?? ['*'];
  /** The hole this feed stopped at, and since when (this feed's clock): a hole older than the grace is passed. */
  let hole: { at: bigint; since: number } | undefined;

  const holeExpired = (at: bigint): boolean => {
    if (hole?.at !== at) hole = { at, since: nowMs() };
    return nowMs() - hole.since >= graceMs;
  };

  return {
    async head() {
      const [row] = await db.query<{ head: string }>(
        'SELECT coalesce(max(seq), 0)::text AS head FROM webhook_events',
      );
      return BigInt(row?.head ?? '0');
    },
    async read(cursor) {
      // clock_timestamp(), not the platform's clock: created_at is compared with the database's time.
      const rows = await db.query<FeedRow>(
        `SELECT seq::text AS seq, workspace_id = $2 AS mine, type,
                CASE WHEN workspace_id = $2 THEN payload::text END AS payload,
                created_at < clock_timestamp() - make_interval(secs => $4) AS settled
         FROM webhook_events WHERE seq > $1::bigint ORDER BY webhook_events.seq LIMIT $3`,
        [cursor.toString(), workspaceId, pageSize, graceMs / 1000],
      );
      const events: FeedEvent[] = [];
      let frontier = cursor;
      let waiting = false;
      for (const row of rows) {
        const seq = BigInt(row.seq);
        if (seq !== frontier + 1n && !row.settled && !holeExpired(frontier + 1n)) {
          waiting = true;
          break;
        }
        frontier = seq;
        if (row.mine && row.payload !== null && matchesPatterns(row.type, patterns)) {
          events.push({ seq, type: row.type, payload: row.payload });
        }
      }
      return { events, cursor: frontier, more: !waiting && rows.length === pageSize, waiting };
    },
  };
}
