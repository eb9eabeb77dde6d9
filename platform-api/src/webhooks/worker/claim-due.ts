import type { Queryable } from '../../db/database.ts';
import type { EndpointRow } from '../endpoint-rows.ts';

/** A message a worker holds for one attempt: everything the attempt needs, read in the claim. */
export interface ClaimedMessage {
  id: string;
  /** The number of this attempt, from 1; the write of its result is fenced by it. */
  attempt: number;
  /** Attempts made before the last replay: the retry schedule counts from there. */
  replayedAfter: number;
  workspaceId: string;
  eventId: string;
  eventType: string;
  /** When the event was committed: the start of its delivery lag. */
  eventCreatedAt: Date;
  /** The envelope's JSON text, as stored: signed and sent byte for byte. */
  body: string;
  endpoint: EndpointRow;
}

interface ClaimRow {
  message_id: string;
  attempt: number;
  replayed_after: number;
  event_id: string;
  event_type: string;
  event_created_at: Date | string;
  body: string;
  [column: string]: unknown;
}

/**
 * Claims up to `limit` due messages of enabled endpoints, in one statement: SKIP LOCKED lets
 * any number of workers claim side by side without waiting on each other or taking the same
 * message, and the claim itself counts the attempt and moves `next_attempt_at` a lease ahead.
 * A worker that dies mid-attempt leaves the message due again when the lease runs out; one
 * that comes back late cannot overwrite a newer attempt (the result write is fenced by
 * `attempts`). The lease must outlast an attempt (15 s) with room to record it.
 */
export async function claimDue(
  db: Queryable,
  options: { limit: number; leaseMs: number; now: Date },
): Promise<ClaimedMessage[]> {
  const rows = await db.query<ClaimRow>(
    `WITH due AS (
       SELECT m.id FROM webhook_messages m
       JOIN webhook_endpoints e ON e.id = m.endpoint_id AND e.enabled
       WHERE m.state = 'pending' AND m.next_attempt_at <= $1
       ORDER BY m.next_attempt_at
       LIMIT $2
       FOR UPDATE OF m SKIP LOCKED
     ), claimed AS (
       UPDATE webhook_messages m
       SET attempts = m.attempts + 1, next_attempt_at = $1::timestamptz + make_interval(secs => $3::double precision / 1000)
       FROM due WHERE m.id = due.id
       RETURNING m.id, m.attempts, m.replayed_after, m.endpoint_id, m.event_id
     )
     SELECT c.id AS message_id, c.attempts AS attempt, c.replayed_after, c.event_id, ev.type AS event_type,
            ev.created_at AS event_created_at, ev.payload::text AS body, e.*
     FROM claimed c
     JOIN webhook_events ev ON ev.id = c.event_id
     JOIN webhook_endpoints e ON e.id = c.endpoint_id`,
    [options.now, options.limit, options.leaseMs],
  );
  return rows.map(
    ({ message_id, attempt, replayed_after, event_id, event_type, event_created_at, body, ...endpoint }) => ({
      id: message_id,
      attempt,
      replayedAfter: replayed_after,
      workspaceId: endpoint.workspace_id as string,
      eventId: event_id,
      eventType: event_type,
      eventCreatedAt: new Date(event_created_at),
      body,
      endpoint: endpoint as unknown as EndpointRow,
    }),
  );
}
