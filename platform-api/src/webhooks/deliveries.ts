import type { Database, Queryable } from '../db/database.ts';
import { PlatformError } from '../errors.ts';
import { actorOf, type WorkspaceAccess } from '../principal.ts';
import type { AuditLog } from '../services/audit-log.ts';
import { requireRole } from '../services/workspaces.ts';
import { type EmittedEvent, type Outbox, WEBHOOK_CHANNEL } from './outbox.ts';

export const DEFAULT_DELIVERY_PAGE = 50;
export const MAX_DELIVERY_PAGE = 100;
/** Health is judged on the attempts of the last day. */
const HEALTH_WINDOW_MS = 24 * 3600_000;

export type MessageState = 'pending' | 'delivered' | 'dead' | 'aborted' | 'cancelled';

/** One event to one endpoint: its `id` is the webhook-id every attempt carries. */
export interface WebhookMessage {
  id: string;
  endpointId: string;
  eventId: string;
  eventType: string;
  state: MessageState;
  attempts: number;
  nextAttemptAt?: string;
  lastStatus?: number;
  lastError?: string;
  createdAt: string;
  finishedAt?: string;
}

export interface WebhookAttemptLog {
  attempt: number;
  at: string;
  durationMs: number;
  status?: number;
  outcome: 'success' | 'retry' | 'disable' | 'abort';
  errorCode?: string;
  responseHeaders?: Record<string, string | string[]>;
  /** The first 4 KiB of the answer. */
  responseBody?: string;
}

export interface EndpointHealth {
  endpointId: string;
  /** Successful attempts over all attempts in the last 24 h; absent when there were none. */
  successRate?: number;
  attemptsLastDay: number;
  /** Messages waiting for an attempt. */
  backlog: number;
  deadLetters: number;
  lastSuccessAt?: string;
  failingSince?: string;
  lastError?: string;
}

export interface MessageQuery {
  state?: MessageState;
  limit?: number;
  /** The `nextCursor` of the page before. */
  cursor?: string;
}

export interface WebhookDeliveries {
  list(
    access: WorkspaceAccess,
    endpointId: string,
    query?: MessageQuery,
  ): Promise<{ messages: WebhookMessage[]; nextCursor?: string }>;
  get(
    access: WorkspaceAccess,
    messageId: string,
  ): Promise<WebhookMessage & { attemptLog: WebhookAttemptLog[] }>;
  health(access: WorkspaceAccess, endpointId: string): Promise<EndpointHealth>;
  /** Due again at once, with the whole retry schedule; any state but pending. */
  replay(access: WorkspaceAccess, messageId: string, requestId?: string): Promise<WebhookMessage>;
  /** Every dead or cancelled message of the endpoint created at or after `since`. */
  replayFailed(
    access: WorkspaceAccess,
    endpointId: string,
    since: Date,
    requestId?: string,
  ): Promise<{ replayed: number }>;
  /** A `webhook.test` event to this endpoint only. */
  sendTest(access: WorkspaceAccess, endpointId: string, requestId?: string): Promise<EmittedEvent>;
}

export interface DeliveriesContext {
  db: Database;
  audit: AuditLog;
  outbox: Outbox;
  now: () => Date;
}

interface MessageRow {
  id: string;
  endpoint_id: string;
  event_id: string;
  event_type: string;
  state: MessageState;
  attempts: number;
  next_attempt_at: Date | string;
  last_status: number | null;
  last_error: string | null;
  created_at: Date | string;
  finished_at: Date | string | null;
}

const iso = (value: Date | string) => new Date(value).toISOString();

function toMessage(row: MessageRow): WebhookMessage {
  return {
    id: row.id,
    endpointId: row.endpoint_id,
    eventId: row.event_id,
    eventType: row.event_type,
    state: row.state,
    attempts: row.attempts,
    ...(row.state === 'pending' ? { nextAttemptAt: iso(row.next_attempt_at) } : {}),
    ...(row.last_status !== null ? { lastStatus: row.last_status } : {}),
    ...(row.last_error ? { lastError: row.last_error } : {}),
    createdAt: iso(row.created_at),
    ...(row.finished_at ? { finishedAt: iso(row.finished_at) } : {}),
  };
}

const MESSAGE_COLUMNS = `m.id, m.endpoint_id, m.event_id, ev.type AS event_type, m.state, m.attempts,
  m.next_attempt_at, m.last_status, m.last_error, m.created_at, m.finished_at`;

async function endpointOf(tx: Queryable, access: WorkspaceAccess, endpointId: string) {
  const [row] = await tx.query<{ id: string; enabled: boolean }>(
    'SELECT id, enabled FROM webhook_endpoints WHERE workspace_id = $1 AND id = $2',
    [access.workspaceId, endpointId],
  );
  if (!row)
    throw new PlatformError('WEBHOOK_NOT_FOUND', 'no webhook endpoint with this id in this workspace');
  return row;
}

function requireEnabled(endpoint: { enabled: boolean }, doing: string): void {
  if (!endpoint.enabled) {
    throw new PlatformError(
      'WEBHOOK_DISABLED',
      `the endpoint is disabled: enable it (update with enabled: true) before ${doing}`,
    );
  }
}

async function messageOf(tx: Queryable, access: WorkspaceAccess, messageId: string, lock = false) {
  const [row] = await tx.query<MessageRow & { enabled: boolean }>(
    `SELECT ${MESSAGE_COLUMNS}, e.enabled FROM webhook_messages m
     JOIN webhook_events ev ON ev.id = m.event_id
     JOIN webhook_endpoints e ON e.id = m.endpoint_id
     WHERE m.workspace_id = $1 AND m.id = $2${lock ? ' FOR UPDATE OF m' : ''}`,
    [access.workspaceId, messageId],
  );
  if (!row) {
    throw new PlatformError('WEBHOOK_MESSAGE_NOT_FOUND', 'no webhook message with this id in this workspace');
  }
  return row;
}

/** `created_at|id` of the last row: pages go newest first and never skip or repeat a row. */
const encodeCursor = (row: MessageRow) =>
  Buffer.from(`${iso(row.created_at)}|${row.id}`).toString('base64url');

/**
 * Exactly what `encodeCursor` writes. Anything looser reaches the database as a bad parameter
 * (a NUL in the id, a year PostgreSQL cannot hold) and fails there instead of here.
 */
const CURSOR = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)\|(msg_[A-Za-z0-9]{1,64})$/;

function decodeCursor(cursor: string): { at: Date; id: string } {
  const [, at, id] = CURSOR.exec(Buffer.from(cursor, 'base64url').toString('utf8')) ?? [];
  const date = new Date(at ?? '');
  if (!id || Number.isNaN(date.getTime())) {
    throw new PlatformError('VALIDATION_FAILED', 'cursor is not one this API gave out', {
      errors: [{ field: 'cursor', message: 'not a cursor from a previous page' }],
    });
  }
  return { at: date, id };
}

async function list(
  ctx: DeliveriesContext,
  access: WorkspaceAccess,
  endpointId: string,
  query: MessageQuery,
) {
  requireRole(access, 'admin', 'reading webhook deliveries');
  await endpointOf(ctx.db, access, endpointId);
  const limit = Math.min(Math.max(query.limit ?? DEFAULT_DELIVERY_PAGE, 1), MAX_DELIVERY_PAGE);
  const after = query.cursor ? decodeCursor(query.cursor) : undefined;
  const params: unknown[] = [endpointId, limit + 1];
  const where = ['m.endpoint_id = $1'];
  if (query.state) where.push(`m.state = $${params.push(query.state)}`);
  if (after) {
    where.push(`(m.created_at, m.id) < ($${params.push(after.at)}, $${params.push(after.id)})`);
  }
  const rows = await ctx.db.query<MessageRow>(
    `SELECT ${MESSAGE_COLUMNS} FROM webhook_messages m JOIN webhook_events ev ON ev.id = m.event_id
     WHERE ${where.join(' AND ')} ORDER BY m.created_at DESC, m.id DESC LIMIT $2`,
    params,
  );
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    messages: page.map(toMessage),
    ...(rows.length > limit && last ? { nextCursor: encodeCursor(last) } : {}),
  };
}

async function health(
  ctx: DeliveriesContext,
  access: WorkspaceAccess,
  endpointId: string,
): Promise<EndpointHealth> {
  requireRole(access, 'admin', 'reading webhook deliveries');
  await endpointOf(ctx.db, access, endpointId);
  const since = new Date(ctx.now().getTime() - HEALTH_WINDOW_MS);
  const [row] = await ctx.db.query<{
    attempts: string | number;
    successes: string | number;
    last_success: Date | string | null;
    backlog: string | number;
    dead: string | number;
    failing_since: Date | string | null;
    last_error: string | null;
  }>(
    `SELECT
       (SELECT count(*) FROM webhook_attempts a JOIN webhook_messages m ON m.id = a.message_id
        WHERE m.endpoint_id = $1 AND a.at >= $2) AS attempts,
       (SELECT count(*) FROM webhook_attempts a JOIN webhook_messages m ON m.id = a.message_id
        WHERE m.endpoint_id = $1 AND a.at >= $2 AND a.outcome = 'success') AS successes,
       (SELECT max(a.at) FROM webhook_attempts a JOIN webhook_messages m ON m.id = a.message_id
        WHERE m.endpoint_id = $1 AND a.outcome = 'success') AS last_success,
       (SELECT count(*) FROM webhook_messages WHERE endpoint_id = $1 AND state = 'pending') AS backlog,
       (SELECT count(*) FROM webhook_messages WHERE endpoint_id = $1 AND state = 'dead') AS dead,
       e.failing_since, e.last_error
     FROM webhook_endpoints e WHERE e.id = $1`,
    [endpointId, since],
  );
  const attempts = Number(row?.attempts ?? 0);
  return {
    endpointId,
    ...(attempts > 0 ? { successRate: Number(row?.successes ?? 0) / attempts } : {}),
    attemptsLastDay: attempts,
    backlog: Number(row?.backlog ?? 0),
    deadLetters: Number(row?.dead ?? 0),
    ...(row?.last_success ? { lastSuccessAt: iso(row.last_success) } : {}),
    ...(row?.failing_since ? { failingSince: iso(row.failing_since) } : {}),
    ...(row?.last_error ? { lastError: row.last_error } : {}),
  };
}

async function attemptsOf(db: Queryable, messageId: string): Promise<WebhookAttemptLog[]> {
  const rows = await db.query<{
    attempt: number;
    at: Date | string;
    duration_ms: number;
    status: number | null;
    outcome: WebhookAttemptLog['outcome'];
    error_code: string | null;
    response_headers: Record<string, string | string[]> | null;
    response_body: string | null;
  }>('SELECT * FROM webhook_attempts WHERE message_id = $1 ORDER BY attempt', [messageId]);
  return rows.map((row) => ({
    attempt: row.attempt,
    at: iso(row.at),
    durationMs: row.duration_ms,
    ...(row.status !== null ? { status: row.status } : {}),
    outcome: row.outcome,
    ...(row.error_code ? { errorCode: row.error_code } : {}),
    ...(row.response_headers ? { responseHeaders: row.response_headers } : {}),
    ...(row.response_body !== null ? { responseBody: row.response_body } : {}),
  }));
}

async function auditReplay(
  ctx: DeliveriesContext,
  tx: Queryable,
  access: WorkspaceAccess,
  target: { type: string; id: string },
  requestId: string | undefined,
  details: Record<string, unknown>,
) {
  await ctx.audit.record(
    {
      workspaceId: access.workspaceId,
      actor: actorOf(access.principal),
      action: 'webhook.replay',
      target,
      outcome: 'success',
      requestId,
      details,
    },
    tx,
  );
}

async function replay(
  ctx: DeliveriesContext,
  access: WorkspaceAccess,
  messageId: string,
  requestId?: string,
) {
  requireRole(access, 'admin', 'replaying webhook deliveries');
  const at = ctx.now();
  return ctx.db.transaction(async (tx) => {
    const row = await messageOf(tx, access, messageId, true);
    requireEnabled(row, 'replaying its messages');
    // A pending message is already on its way: replaying it would only move its turn.
    if (row.state !== 'pending') {
      await tx.query(
        `UPDATE webhook_messages SET state = 'pending', next_attempt_at = $2, finished_at = NULL,
           replayed_after = attempts WHERE id = $1`,
        [messageId, at],
      );
      await tx.query('SELECT pg_notify($1, $2)', [WEBHOOK_CHANNEL, '']);
      await auditReplay(ctx, tx, access, { type: 'webhook_message', id: messageId }, requestId, {
        previous_state: row.state,
      });
    }
    return toMessage({ ...(await messageOf(tx, access, messageId)) });
  });
}

async function replayFailed(
  ctx: DeliveriesContext,
  access: WorkspaceAccess,
  endpointId: string,
  since: Date,
  requestId?: string,
) {
  requireRole(access, 'admin', 'replaying webhook deliveries');
  const at = ctx.now();
  return ctx.db.transaction(async (tx) => {
    requireEnabled(await endpointOf(tx, access, endpointId), 'replaying its messages');
    const rows = await tx.query<{ id: string }>(
      `UPDATE webhook_messages SET state = 'pending', next_attempt_at = $3, finished_at = NULL,
         replayed_after = attempts
       WHERE endpoint_id = $1 AND state IN ('dead', 'cancelled') AND created_at >= $2 RETURNING id`,
      [endpointId, since, at],
    );
    if (rows.length > 0) await tx.query('SELECT pg_notify($1, $2)', [WEBHOOK_CHANNEL, '']);
    await auditReplay(ctx, tx, access, { type: 'webhook', id: endpointId }, requestId, {
      since: since.toISOString(),
      replayed: rows.length,
    });
    return { replayed: rows.length };
  });
}

async function sendTest(
  ctx: DeliveriesContext,
  access: WorkspaceAccess,
  endpointId: string,
  requestId?: string,
) {
  requireRole(access, 'admin', 'testing webhooks');
  return ctx.db.transaction(async (tx) => {
    requireEnabled(await endpointOf(tx, access, endpointId), 'sending it a test event');
    const [emitted] = await ctx.outbox.emit(
      tx,
      [
        {
          workspaceId: access.workspaceId,
          type: 'webhook.test',
          actor: actorOf(access.principal),
          ...(requestId ? { cause: { requestId } } : {}),
          data: { message: 'A test event from AirSuite: nothing changed.' },
        },
      ],
      { endpointId },
    );
    if (!emitted) throw new Error('the outbox emitted nothing for one event');
    return emitted;
  });
}

export function createWebhookDeliveries(ctx: DeliveriesContext): WebhookDeliveries {
  return {
    list: (access, endpointId, query = {}) => list(ctx, access, endpointId, query),
    async get(access, messageId) {
      requireRole(access, 'admin', 'reading webhook deliveries');
      const row = await messageOf(ctx.db, access, messageId);
      return { ...toMessage(row), attemptLog: await attemptsOf(ctx.db, messageId) };
    },
    health: (access, endpointId) => health(ctx, access, endpointId),
    replay: (access, messageId, requestId) => replay(ctx, access, messageId, requestId),
    replayFailed: (access, endpointId, since, requestId) =>
      replayFailed(ctx, access, endpointId, since, requestId),
    sendTest: (access, endpointId, requestId) => sendTest(ctx, access, endpointId, requestId),
  };
}
