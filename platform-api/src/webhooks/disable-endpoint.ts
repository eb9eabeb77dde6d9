import type { Queryable } from '../db/database.ts';
import type { AuditLog } from '../services/audit-log.ts';
import type { DisabledReason } from './endpoint-rows.ts';
import type { Outbox } from './outbox.ts';

/** The actor of what delivery itself decides (a 410, five days of failures). */
export const DELIVERY_ACTOR = { type: 'system', id: 'webhook-delivery', label: 'webhook delivery' } as const;

/**
 * An endpoint that is off receives nothing: its pending messages are cancelled (visible in the
 * delivery log, and replayable once it is on again), so turning it back on never floods the
 * receiver with a backlog it did not ask for.
 */
export async function cancelPending(tx: Queryable, endpointId: string, at: Date): Promise<number> {
  const rows = await tx.query<{ id: string }>(
    `UPDATE webhook_messages SET state = 'cancelled', finished_at = $2, last_error = 'WEBHOOK_ENDPOINT_DISABLED'
     WHERE endpoint_id = $1 AND state = 'pending' RETURNING id`,
    [endpointId, at],
  );
  return rows.length;
}

export interface AutomaticDisable {
  endpointId: string;
  reason: Exclude<DisabledReason, 'manual'>;
  message: string;
  at: Date;
}

/**
 * Delivery turns an endpoint off (410 Gone, failing for days, a URL now refused): in `tx`,
 * with its `webhook.disabled` event (to the workspace's other endpoints: this one is already
 * off) and an audit row. False when it was already off.
 */
export async function disableAutomatically(
  tx: Queryable,
  deps: { outbox: Outbox; audit: AuditLog },
  disable: AutomaticDisable,
): Promise<boolean> {
  const [row] = await tx.query<{ workspace_id: string }>(
    `UPDATE webhook_endpoints SET enabled = false, disabled_reason = $2, last_error = $3, updated_at = $4
     WHERE id = $1 AND enabled RETURNING workspace_id`,
    [disable.endpointId, disable.reason, disable.message, disable.at],
  );
  if (!row) return false;
  const cancelled = await cancelPending(tx, disable.endpointId, disable.at);
  await deps.outbox.emit(tx, [
    {
      workspaceId: row.workspace_id,
      type: 'webhook.disabled',
      actor: DELIVERY_ACTOR,
      data: { endpoint_id: disable.endpointId, reason: disable.reason, message: disable.message },
    },
  ]);
  await deps.audit.record(
    {
      workspaceId: row.workspace_id,
      actor: DELIVERY_ACTOR,
      action: 'webhook.disable',
      target: { type: 'webhook', id: disable.endpointId },
      outcome: 'success',
      details: { reason: disable.reason, message: disable.message, cancelled_messages: cancelled },
    },
    tx,
  );
  return true;
}
