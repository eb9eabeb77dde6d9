import type { Queryable } from '../db/database.ts';

/** Delivered history is kept this long (Svix keeps 30 to 90 days), then pruned. */
export const WEBHOOK_RETENTION_MS = 30 * 24 * 3600_000;

/**
 * Deletes events older than the retention whose every message has ended (delivered, dead,
 * aborted, cancelled), with their messages and attempt logs (ON DELETE CASCADE). A message
 * still waiting keeps its event, however old: nothing due is ever pruned. Returns how many
 * events went.
 */
export async function pruneWebhookHistory(db: Queryable, now: Date, retentionMs = WEBHOOK_RETENTION_MS) {
  const rows = await db.query<{ id: string }>(
    `DELETE FROM webhook_events ev
     WHERE ev.created_at < $1
       AND NOT EXISTS (SELECT 1 FROM webhook_messages m WHERE m.event_id = ev.id AND m.state = 'pending')
     RETURNING ev.id`,
    [new Date(now.getTime() - retentionMs)],
  );
  return rows.length;
}
