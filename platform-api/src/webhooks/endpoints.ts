import { newId } from '../crypto/opaque-token.ts';
import type { SecretBox } from '../crypto/secret-box.ts';
import type { Database, Queryable } from '../db/database.ts';
import { PlatformError } from '../errors.ts';
import { actorOf, type WorkspaceAccess } from '../principal.ts';
import type { AuditLog } from '../services/audit-log.ts';
import { requireRole } from '../services/workspaces.ts';
import { cancelPending } from './disable-endpoint.ts';
import { checkCustomHeaders } from './endpoint-headers.ts';
import { type EndpointRow, secretAad, toEndpoint, type WebhookEndpoint } from './endpoint-rows.ts';
import { unknownEventPatterns } from './events/catalogue.ts';

export const DEFAULT_ROTATION_OVERLAP_SECONDS = 24 * 3600;
export const MAX_ENDPOINTS_PER_WORKSPACE = 50;

export interface EndpointInput {
  url: string;
  eventTypes: string[];
  description?: string;
  headers?: Record<string, string>;
}

export interface WebhookEndpoints {
  /** The `whsec_…` secret is in this answer only. */
  create(
    access: WorkspaceAccess,
    input: EndpointInput,
    requestId?: string,
  ): Promise<{ endpoint: WebhookEndpoint; secret: string }>;
  list(access: WorkspaceAccess): Promise<WebhookEndpoint[]>;
  get(access: WorkspaceAccess, id: string): Promise<WebhookEndpoint>;
  update(
    access: WorkspaceAccess,
    id: string,
    patch: Partial<EndpointInput> & { enabled?: boolean },
    requestId?: string,
  ): Promise<WebhookEndpoint>;
  remove(access: WorkspaceAccess, id: string, requestId?: string): Promise<void>;
  /** A new secret (shown once); the old one keeps signing, beside it, for `overlapSeconds`. */
  rotateSecret(
    access: WorkspaceAccess,
    id: string,
    overlapSeconds?: number,
    requestId?: string,
  ): Promise<{ endpoint: WebhookEndpoint; secret: string }>;
}

export interface EndpointsContext {
  db: Database;
  audit: AuditLog;
  secretBox: SecretBox;
  /** A fresh `whsec_…` signing secret. */
  newSecret: () => string;
  /** Refuses a URL deliveries may not go to (scheme, private addresses unless allow-listed). */
  checkUrl: (url: string) => Promise<void>;
  now: () => Date;
}

function invalid(field: string, message: string): PlatformError {
  return new PlatformError('VALIDATION_FAILED', `${field} ${message}`, { errors: [{ field, message }] });
}

function checkEventTypes(eventTypes: readonly string[]): void {
  if (eventTypes.length === 0) throw invalid('event_types', 'must name at least one event type (or "*")');
  const unknown = unknownEventPatterns(eventTypes);
  if (unknown.length > 0) {
    throw new PlatformError(
      'WEBHOOK_EVENT_TYPE_UNKNOWN',
      `unknown event type ${unknown.map((t) => `"${t}"`).join(', ')}; GET /v1/webhooks/event-types lists them`,
      { unknown },
    );
  }
}

async function findRow(tx: Queryable, workspaceId: string, id: string, lock = false): Promise<EndpointRow> {
  const [row] = await tx.query<EndpointRow>(
    `SELECT * FROM webhook_endpoints WHERE workspace_id = $1 AND id = $2${lock ? ' FOR UPDATE' : ''}`,
    [workspaceId, id],
  );
  if (!row)
    throw new PlatformError('WEBHOOK_NOT_FOUND', 'no webhook endpoint with this id in this workspace');
  return row;
}

function sealHeaders(
  ctx: EndpointsContext,
  row: Pick<EndpointRow, 'workspace_id' | 'id'>,
  headers?: Record<string, string>,
) {
  if (!headers || Object.keys(headers).length === 0) return null;
  return ctx.secretBox.seal(JSON.stringify(headers), secretAad(row, 'headers'));
}

async function audit(
  ctx: EndpointsContext,
  tx: Queryable,
  access: WorkspaceAccess,
  action: string,
  id: string,
  requestId?: string,
  details?: Record<string, unknown>,
) {
  await ctx.audit.record(
    {
      workspaceId: access.workspaceId,
      actor: actorOf(access.principal),
      action,
      target: { type: 'webhook', id },
      outcome: 'success',
      requestId,
      ...(details ? { details } : {}),
    },
    tx,
  );
}

async function create(
  ctx: EndpointsContext,
  access: WorkspaceAccess,
  input: EndpointInput,
  requestId?: string,
) {
  requireRole(access, 'admin', 'managing webhooks');
  checkEventTypes(input.eventTypes);
  checkCustomHeaders(input.headers);
  await ctx.checkUrl(input.url);
  const secret = ctx.newSecret();
  const at = ctx.now();
  return ctx.db.transaction(async (tx) => {
    const [count] = await tx.query<{ n: string | number }>(
      'SELECT count(*) AS n FROM webhook_endpoints WHERE workspace_id = $1',
      [access.workspaceId],
    );
    if (Number(count?.n ?? 0) >= MAX_ENDPOINTS_PER_WORKSPACE) {
      throw new PlatformError(
        'WEBHOOK_LIMIT_REACHED',
        `a workspace has at most ${MAX_ENDPOINTS_PER_WORKSPACE} webhook endpoints; delete one first`,
      );
    }
    const key = { workspace_id: access.workspaceId, id: newId('whk') };
    const [row] = await tx.query<EndpointRow>(
      `INSERT INTO webhook_endpoints (id, workspace_id, url, description, event_types, headers_sealed, secret_sealed,
         created_by, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING *`,
      [
        key.id,
        key.workspace_id,
        input.url,
        input.description ?? '',
        input.eventTypes,
        sealHeaders(ctx, key, input.headers),
        ctx.secretBox.seal(secret, secretAad(key, 'secret')),
        actorOf(access.principal).id,
        at,
      ],
    );
    await audit(ctx, tx, access, 'webhook.create', key.id, requestId, {
      url: input.url,
      event_types: input.eventTypes,
    });
    return { endpoint: toEndpoint(ctx.secretBox, row as EndpointRow, at), secret };
  });
}

async function update(
  ctx: EndpointsContext,
  access: WorkspaceAccess,
  id: string,
  patch: Partial<EndpointInput> & { enabled?: boolean },
  requestId?: string,
) {
  requireRole(access, 'admin', 'managing webhooks');
  if (patch.eventTypes) checkEventTypes(patch.eventTypes);
  checkCustomHeaders(patch.headers);
  if (patch.url !== undefined) await ctx.checkUrl(patch.url);
  const at = ctx.now();
  return ctx.db.transaction(async (tx) => {
    const current = await findRow(tx, access.workspaceId, id, true);
    const enabled = patch.enabled ?? current.enabled;
    // Turning an endpoint back on forgets why it was off and how long it had been failing.
    const reenabled = enabled && !current.enabled;
    const [row] = await tx.query<EndpointRow>(
      `UPDATE webhook_endpoints SET url = $3, description = $4, event_types = $5, headers_sealed = $6,
         enabled = $7, disabled_reason = $8, failing_since = $9, updated_at = $10
       WHERE workspace_id = $1 AND id = $2 RETURNING *`,
      [
        access.workspaceId,
        id,
        patch.url ?? current.url,
        patch.description ?? current.description,
        patch.eventTypes ?? current.event_types,
        patch.headers ? sealHeaders(ctx, current, patch.headers) : current.headers_sealed,
        enabled,
        enabled ? null : patch.enabled === false ? 'manual' : current.disabled_reason,
        reenabled ? null : current.failing_since,
        at,
      ],
    );
    if (!enabled && current.enabled) await cancelPending(tx, id, at);
    const changed = Object.keys(patch).filter((key) => key !== 'headers');
    await audit(ctx, tx, access, 'webhook.update', id, requestId, {
      changed: patch.headers ? [...changed, 'headers'] : changed,
      enabled,
    });
    return toEndpoint(ctx.secretBox, row as EndpointRow, at);
  });
}

async function rotateSecret(
  ctx: EndpointsContext,
  access: WorkspaceAccess,
  id: string,
  overlapSeconds = DEFAULT_ROTATION_OVERLAP_SECONDS,
  requestId?: string,
) {
  requireRole(access, 'admin', 'rotating webhook secrets');
  const secret = ctx.newSecret();
  const at = ctx.now();
  return ctx.db.transaction(async (tx) => {
    const current = await findRow(tx, access.workspaceId, id, true);
    const [row] = await tx.query<EndpointRow>(
      `UPDATE webhook_endpoints SET previous_secret_sealed = secret_sealed, previous_secret_expires_at = $3,
         secret_sealed = $4, updated_at = $5
       WHERE workspace_id = $1 AND id = $2 RETURNING *`,
      [
        access.workspaceId,
        id,
        new Date(at.getTime() + overlapSeconds * 1000),
        ctx.secretBox.seal(secret, secretAad(current, 'secret')),
        at,
      ],
    );
    await audit(ctx, tx, access, 'webhook.rotate_secret', id, requestId, { overlap_seconds: overlapSeconds });
    return { endpoint: toEndpoint(ctx.secretBox, row as EndpointRow, at), secret };
  });
}

export function createWebhookEndpoints(ctx: EndpointsContext): WebhookEndpoints {
  return {
    create: (access, input, requestId) => create(ctx, access, input, requestId),
    async list(access) {
      requireRole(access, 'admin', 'managing webhooks');
      const rows = await ctx.db.query<EndpointRow>(
        'SELECT * FROM webhook_endpoints WHERE workspace_id = $1 ORDER BY created_at, id',
        [access.workspaceId],
      );
      const at = ctx.now();
      return rows.map((row) => toEndpoint(ctx.secretBox, row, at));
    },
    async get(access, id) {
      requireRole(access, 'admin', 'managing webhooks');
      return toEndpoint(ctx.secretBox, await findRow(ctx.db, access.workspaceId, id), ctx.now());
    },
    update: (access, id, patch, requestId) => update(ctx, access, id, patch, requestId),
    async remove(access, id, requestId) {
      requireRole(access, 'admin', 'managing webhooks');
      await ctx.db.transaction(async (tx) => {
        await findRow(tx, access.workspaceId, id, true);
        await tx.query('DELETE FROM webhook_endpoints WHERE workspace_id = $1 AND id = $2', [
          access.workspaceId,
          id,
        ]);
        await audit(ctx, tx, access, 'webhook.delete', id, requestId);
      });
    },
    rotateSecret: (access, id, overlapSeconds, requestId) =>
      rotateSecret(ctx, access, id, overlapSeconds, requestId),
  };
}
