import { newId } from '../../crypto/opaque-token.ts';
import type { SecretBox } from '../../crypto/secret-box.ts';
import type { Database } from '../../db/database.ts';
import { PlatformError } from '../../errors.ts';
import { actorOf, type WorkspaceAccess } from '../../principal.ts';
import type { AuditLog } from '../../services/audit-log.ts';
import { type ConnectionRoute, routeForBase } from '../../services/connection-router.ts';
import type { Connections } from '../../services/connections.ts';
import { requireRole } from '../../services/workspaces.ts';
import type { ClientFor } from './capture-access.ts';
import { captureNotFound } from './capture-errors.ts';
import { type CaptureStatus, captureOfBase, insertCapture, toStatus } from './capture-rows.ts';
import { notificationUrlFor, registerWebhook, unregisterWebhook } from './capture-webhook.ts';

export interface EnableCaptureDeps {
  db: Database;
  audit: AuditLog;
  secretBox: SecretBox;
  connections: Connections;
  clientFor: ClientFor;
  publicUrl: string | undefined;
  now: () => Date;
  onError: (error: unknown) => void;
}

/** The workspace's connection that reaches the base, by the same rule its tool calls are routed. */
async function connectionForBase(
  deps: Pick<EnableCaptureDeps, 'connections' | 'clientFor'>,
  workspaceId: string,
  baseId: string,
): Promise<ConnectionRoute> {
  const secrets = await deps.connections.secretsFor(workspaceId);
  if (secrets.length === 0)
    throw new PlatformError('CONNECTION_REQUIRED', 'add an Airtable connection that reaches this base first');
  const routes = secrets.map((secret) => ({
    id: secret.id,
    client: deps.clientFor(secret.token, 'interactive'),
    ...(secret.bases ? { bases: secret.bases } : {}),
  }));
  const reachable = async (route: (typeof routes)[number]) =>
    new Set((await route.client.listBases()).map((base) => base.id));
  return routeForBase({ routes, reachable }, baseId);
}

/** Registers the base's webhook (admin); idempotent per base: `created` says whether it is new. */
export async function enableCapture(
  deps: EnableCaptureDeps,
  access: WorkspaceAccess,
  baseId: string,
  requestId?: string,
): Promise<{ capture: CaptureStatus; created: boolean }> {
  requireRole(access, 'admin', 'turning on change capture');
  const existing = await captureOfBase(deps.db, access.workspaceId, baseId);
  if (existing) return { capture: toStatus(existing), created: false };
  const route = await connectionForBase(deps, access.workspaceId, baseId);
  const id = newId('cap');
  const notificationUrl = notificationUrlFor(deps.publicUrl, id);
  const hook = await registerWebhook(route.client, deps.secretBox, {
    id,
    workspaceId: access.workspaceId,
    baseId,
    notificationUrl,
  });
  const at = deps.now();
  const row = await deps.db.transaction(async (tx) => {
    const inserted = await insertCapture(tx, {
      id,
      workspaceId: access.workspaceId,
      baseId,
      connectionId: route.id,
      hook,
      notificationUrl,
      createdBy: access.principal.kind === 'user' ? access.principal.userId : access.principal.keyId,
      at,
    });
    if (!inserted) return undefined;
    await deps.audit.record(
      {
        workspaceId: access.workspaceId,
        actor: actorOf(access.principal),
        action: 'change_capture.enable',
        target: { type: 'change_capture', id },
        outcome: 'success',
        requestId,
        details: {
          base_id: baseId,
          connection_id: route.id,
          webhook_id: hook.id,
          pings: Boolean(notificationUrl),
        },
      },
      tx,
    );
    return inserted;
  });
  if (row) return { capture: toStatus(row), created: true };
  // Someone enabled it meanwhile: theirs stays, ours goes.
  await unregisterWebhook(route.client, baseId, hook.id).catch(deps.onError);
  const winner = await captureOfBase(deps.db, access.workspaceId, baseId);
  if (!winner) throw captureNotFound();
  return { capture: toStatus(winner), created: false };
}
