import type { Database } from '../../db/database.ts';
import { PlatformError } from '../../errors.ts';
import { actorOf, type WorkspaceAccess } from '../../principal.ts';
import type { AuditLog } from '../../services/audit-log.ts';
import type { Connections } from '../../services/connections.ts';
import { requireRole } from '../../services/workspaces.ts';
import type { ClientFor } from './capture-access.ts';
import { captureNotFound } from './capture-errors.ts';
import { captureOfBase } from './capture-rows.ts';
import { unregisterWebhook } from './capture-webhook.ts';

export interface DisableCaptureDeps {
  db: Database;
  audit: AuditLog;
  connections: Connections;
  clientFor: ClientFor;
}

/**
 * Stops capturing the base and deletes its Airtable webhook (admin). The row stays while Airtable
 * cannot be reached: dropping it would leave a webhook nobody reads using up one of the base's 10.
 */
export async function disableCapture(
  deps: DisableCaptureDeps,
  access: WorkspaceAccess,
  baseId: string,
  requestId?: string,
): Promise<void> {
  requireRole(access, 'admin', 'turning off change capture');
  const row = await captureOfBase(deps.db, access.workspaceId, baseId);
  if (!row) throw captureNotFound();
  const secret = (await deps.connections.secretsFor(access.workspaceId)).find(
    (s) => s.id === row.connection_id,
  );
  try {
    if (secret)
      await unregisterWebhook(deps.clientFor(secret.token, 'interactive'), baseId, row.airtable_webhook_id);
  } catch {
    throw new PlatformError(
      'CONNECTION_UNREACHABLE',
      'Airtable could not be reached to delete the webhook; try again',
    );
  }
  await deps.db.transaction(async (tx) => {
    await tx.query('DELETE FROM webhook_captures WHERE id = $1', [row.id]);
    await deps.audit.record(
      {
        workspaceId: access.workspaceId,
        actor: actorOf(access.principal),
        action: 'change_capture.disable',
        target: { type: 'change_capture', id: row.id },
        outcome: 'success',
        requestId,
        details: { base_id: baseId, webhook_id: row.airtable_webhook_id },
      },
      tx,
    );
  });
}
