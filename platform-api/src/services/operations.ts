import {
  DEFAULT_OPERATION_LEASE_MS,
  type NewOperation,
  newOperationId,
  type OperationChunk,
  type OperationQuery,
  type OperationRecord,
  type OperationStart,
  type OperationStore,
  type WriteKind,
} from '@airsuite/tools';
import type { Database } from '../db/database.ts';
import { jsonbSafe } from '../db/jsonb-safe.ts';
import { actorOf, type WorkspaceAccess } from '../principal.ts';
import { recordEventsOf } from '../webhooks/events/record-events.ts';
import type { Outbox } from '../webhooks/outbox.ts';
import type { AuditLog } from './audit-log.ts';
import { OPERATION_COLUMNS, type OperationRow, toOperation } from './operation-rows.ts';

/** Ended operations are kept this long, then pruned. */
export const OPERATION_RETENTION_MS = 30 * 24 * 3600_000;
const MAX_LIST = 100;

export interface OperationLogOptions {
  /** How long a runner's lease lasts (it renews every third of it). Default 30 s. */
  leaseMs?: number;
  /** Where the `record.*` events of landed chunks and `operation.interrupted` are written. */
  outbox?: Outbox;
  now?: () => Date;
}

/** The platform's record of write operations, in the database every process shares. */
export interface OperationLog {
  /** The store a tool call of this caller uses: scoped to its workspace, recording it as the actor. */
  storeFor(access: WorkspaceAccess): OperationStore;
  /**
   * Marks operations whose runner died as interrupted (audited as `operation.interrupted`) and
   * prunes old ended ones. `all`: every running one (at the start of the only process of an
   * embedded database). Returns how many were marked.
   */
  sweep(options?: { all?: boolean }): Promise<number>;
}

/** What the log's operations share: the database, the audit trail, the clock and the lease. */
interface LogContext {
  db: Database;
  audit: AuditLog;
  now: () => Date;
  leaseMs: number;
  outbox: Outbox | undefined;
}

/** A log context scoped to one caller's workspace, recording the caller as the actor. */
interface StoreContext extends LogContext {
  workspaceId: string;
  actor: ReturnType<typeof actorOf>;
}

const leaseFrom = ({ leaseMs }: LogContext, at: Date) => new Date(at.getTime() + leaseMs);

async function read(
  { db, workspaceId }: StoreContext,
  where: string,
  params: unknown[],
): Promise<OperationRecord | undefined> {
  const rows = await db.query<OperationRow>(
    `SELECT ${OPERATION_COLUMNS} FROM operations o WHERE o.workspace_id = $1 AND ${where}`,
    [workspaceId, ...params],
  );
  return rows[0] ? toOperation(rows[0]) : undefined;
}

/** Inserts the operation and audits its start in one transaction; false when its key is taken. */
function insertOperation(ctx: StoreContext, id: string, spec: NewOperation, at: Date): Promise<boolean> {
  const { db, audit, workspaceId, actor } = ctx;
  return db.transaction(async (tx) => {
    const rows = await tx.query<{ id: string }>(
      `INSERT INTO operations (id, workspace_id, actor_type, actor_id, tool, kind, base_id, table_id,
         idempotency_key, request_hash, state, total, arguments, request_id, created_at, updated_at, lease_until)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'running', $11, $12::jsonb, $13, $14, $14, $15)
       ON CONFLICT (workspace_id, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
       RETURNING id`,
      [
        id,
        workspaceId,
        actor.type,
        actor.id,
        spec.tool,
        spec.kind,
        spec.baseId,
        spec.tableId,
        spec.idempotencyKey ?? null,
        spec.requestHash,
        spec.total,
        JSON.stringify(jsonbSafe(spec.argumentsSummary)),
        spec.requestId ?? null,
        at,
        leaseFrom(ctx, at),
      ],
    );
    if (rows.length === 0) return false;
    await audit.record(
      {
        workspaceId,
        actor,
        action: 'operation.started',
        target: { type: 'operation', id },
        outcome: 'success',
        ...(spec.requestId ? { requestId: spec.requestId } : {}),
        details: {
          tool: spec.tool,
          base_id: spec.baseId,
          table_id: spec.tableId,
          total: spec.total,
          idempotency_key: spec.idempotencyKey !== undefined,
          arguments: spec.argumentsSummary,
        },
      },
      tx,
    );
    return true;
  });
}

async function start(ctx: StoreContext, spec: NewOperation): Promise<OperationStart> {
  const at = ctx.now();
  const id = newOperationId();
  if (await insertOperation(ctx, id, spec, at)) {
    const operation = await read(ctx, 'o.id = $2', [id]);
    if (operation) return { kind: 'started', operation };
  }
  const existing = await read(ctx, 'o.idempotency_key = $2', [spec.idempotencyKey]);
  if (!existing) throw new Error('operation vanished between insert and read');
  return { kind: 'existing', operation: existing };
}

async function claim(ctx: StoreContext, id: string): Promise<OperationRecord | undefined> {
  const at = ctx.now();
  const rows = await ctx.db.query<{ id: string }>(
    `UPDATE operations SET state = 'running', result = NULL, error_code = NULL, updated_at = $3, lease_until = $4
     WHERE workspace_id = $1 AND id = $2
       AND (state <> 'running' OR lease_until IS NULL OR lease_until < $3)
     RETURNING id`,
    [ctx.workspaceId, id, at, leaseFrom(ctx, at)],
  );
  return rows.length ? read(ctx, 'o.id = $2', [id]) : undefined;
}

async function recordPending(
  ctx: StoreContext,
  id: string,
  pending: Parameters<OperationStore['recordPending']>[1],
): Promise<void> {
  const at = ctx.now();
  await ctx.db.query(
    `UPDATE operations SET pending = $3::jsonb, updated_at = $4, lease_until = $5
     WHERE workspace_id = $1 AND id = $2`,
    [ctx.workspaceId, id, JSON.stringify(jsonbSafe(pending)), at, leaseFrom(ctx, at)],
  );
}

const SAVE_CHUNK = `WITH owned AS (SELECT id FROM operations WHERE workspace_id = $1 AND id = $2),
     saved AS (
       INSERT INTO operation_chunks (operation_id, chunk, state, records, error_code, reconciled, at)
       SELECT id, $3, $4, $5::jsonb, $6, $7, $8 FROM owned
       ON CONFLICT (operation_id, chunk) DO UPDATE SET state = EXCLUDED.state, records = EXCLUDED.records,
         error_code = EXCLUDED.error_code, reconciled = EXCLUDED.reconciled, at = EXCLUDED.at
       RETURNING operation_id)
     UPDATE operations SET updated_at = $8,
       lease_until = CASE WHEN state = 'running' AND NOT $7 THEN $9 ELSE lease_until END
     WHERE id IN (SELECT operation_id FROM saved)`;

function saveChunkParams(ctx: StoreContext, id: string, chunk: OperationChunk, at: Date): unknown[] {
  return [
    ctx.workspaceId,
    id,
    chunk.chunk,
    chunk.state,
    JSON.stringify(jsonbSafe(chunk.records)),
    chunk.errorCode ?? null,
    chunk.reconciled === true,
    at,
    leaseFrom(ctx, at),
  ];
}

/**
 * A chunk's outcome, with the lease renewed; a chunk that landed writes its `record.*` events in
 * the same transaction, once (a chunk recorded landed again, on resumption, emits nothing new).
 * A crash between Airtable's answer and this write leaves the chunk pending: the resumption
 * reads it back and records it then, so its events are neither lost nor invented.
 */
async function recordChunk(ctx: StoreContext, id: string, chunk: OperationChunk): Promise<void> {
  const at = ctx.now();
  const { outbox } = ctx;
  if (!outbox || chunk.state !== 'landed' || chunk.records.length === 0) {
    await ctx.db.query(SAVE_CHUNK, saveChunkParams(ctx, id, chunk, at));
    return;
  }
  await ctx.db.transaction(async (tx) => {
    const [operation] = await tx.query<{
      tool: string;
      kind: WriteKind;
      base_id: string;
      table_id: string;
      request_id: string | null;
      previous: string | null;
    }>(
      `SELECT o.tool, o.kind, o.base_id, o.table_id, o.request_id, c.state AS previous
       FROM operations o LEFT JOIN operation_chunks c ON c.operation_id = o.id AND c.chunk = $3
       WHERE o.workspace_id = $1 AND o.id = $2 FOR UPDATE OF o`,
      [ctx.workspaceId, id, chunk.chunk],
    );
    await tx.query(SAVE_CHUNK, saveChunkParams(ctx, id, chunk, at));
    if (!operation || operation.previous === 'landed') return;
    const source = {
      workspaceId: ctx.workspaceId,
      actor: ctx.actor,
      operation: {
        id,
        tool: operation.tool,
        kind: operation.kind,
        baseId: operation.base_id,
        tableId: operation.table_id,
        ...(operation.request_id ? { requestId: operation.request_id } : {}),
      },
    };
    await outbox.emit(tx, recordEventsOf(source, chunk.records));
  });
}

async function heartbeat(ctx: StoreContext, id: string): Promise<void> {
  const at = ctx.now();
  await ctx.db.query(
    `UPDATE operations SET lease_until = $3 WHERE workspace_id = $1 AND id = $2 AND state = 'running'`,
    [ctx.workspaceId, id, leaseFrom(ctx, at)],
  );
}

async function finish(
  ctx: StoreContext,
  id: string,
  end: Parameters<OperationStore['finish']>[1],
): Promise<void> {
  await ctx.db.query(
    `UPDATE operations SET state = $3, result = $4::jsonb, error_code = $5, updated_at = $6, lease_until = NULL
     WHERE workspace_id = $1 AND id = $2`,
    [ctx.workspaceId, id, end.state, JSON.stringify(jsonbSafe(end.result)), end.errorCode ?? null, ctx.now()],
  );
}

async function list(ctx: StoreContext, query: OperationQuery = {}): Promise<OperationRecord[]> {
  const limit = Math.min(Math.max(query.limit ?? 20, 1), MAX_LIST);
  const at = ctx.now();
  const params: unknown[] = [ctx.workspaceId, limit, at];
  const state =
    query.state === 'interrupted'
      ? `AND (o.state = 'interrupted' OR (o.state = 'running' AND (o.lease_until IS NULL OR o.lease_until < $3)))`
      : query.state === 'running'
        ? `AND o.state = 'running' AND o.lease_until >= $3`
        : query.state
          ? `AND o.state = $4`
          : '';
  if (query.state && query.state !== 'interrupted' && query.state !== 'running') params.push(query.state);
  const rows = await ctx.db.query<OperationRow>(
    `SELECT ${OPERATION_COLUMNS} FROM operations o
     WHERE o.workspace_id = $1 AND $3::timestamptz IS NOT NULL ${state}
     ORDER BY o.created_at DESC, o.id DESC LIMIT $2`,
    params,
  );
  return rows.map(toOperation);
}

function storeFor(log: LogContext, access: WorkspaceAccess): OperationStore {
  const ctx: StoreContext = { ...log, workspaceId: access.workspaceId, actor: actorOf(access.principal) };
  return {
    leaseMs: ctx.leaseMs,
    start: (spec) => start(ctx, spec),
    claim: (id) => claim(ctx, id),
    recordPending: (id, pending) => recordPending(ctx, id, pending),
    recordChunk: (id, chunk) => recordChunk(ctx, id, chunk),
    heartbeat: (id) => heartbeat(ctx, id),
    finish: (id, end) => finish(ctx, id, end),
    get: (ref) =>
      'id' in ref
        ? read(ctx, 'o.id = $2', [ref.id])
        : read(ctx, 'o.idempotency_key = $2', [ref.idempotencyKey]),
    list: (query) => list(ctx, query),
  };
}

async function sweep(
  { db, audit, now, outbox }: LogContext,
  options: { all?: boolean } = {},
): Promise<number> {
  const at = now();
  const marked = await db.transaction(async (tx) => {
    const rows = await tx.query<{
      id: string;
      workspace_id: string;
      tool: string;
      base_id: string;
      table_id: string;
      total: number;
      written: number;
    }>(
      `UPDATE operations o SET state = 'interrupted', updated_at = $1, lease_until = NULL
       WHERE o.state = 'running' AND ($2 OR o.lease_until IS NULL OR o.lease_until < $1)
       RETURNING o.id, o.workspace_id, o.tool, o.base_id, o.table_id, o.total,
         (SELECT COALESCE(SUM(jsonb_array_length(c.records)), 0)::int FROM operation_chunks c
          WHERE c.operation_id = o.id AND c.state = 'landed') AS written`,
      [at, options.all === true],
    );
    for (const row of rows) {
      await audit.record(
        {
          workspaceId: row.workspace_id,
          actor: { type: 'system', id: 'operations' },
          action: 'operation.interrupted',
          target: { type: 'operation', id: row.id },
          outcome: 'failure',
          errorCode: 'OPERATION_INTERRUPTED',
          details: { tool: row.tool, total: row.total, written: row.written },
        },
        tx,
      );
    }
    await outbox?.emit(
      tx,
      rows.map((row) => ({
        workspaceId: row.workspace_id,
        type: 'operation.interrupted' as const,
        actor: { type: 'system' as const, id: 'operations' },
        cause: { tool: row.tool, operationId: row.id },
        data: {
          operation_id: row.id,
          tool: row.tool,
          base_id: row.base_id,
          table_id: row.table_id,
          total: row.total,
          landed: row.written,
        },
      })),
    );
    return rows.length;
  });
  await db.query(`DELETE FROM operations WHERE state <> 'running' AND updated_at < $1`, [
    new Date(at.getTime() - OPERATION_RETENTION_MS),
  ]);
  return marked;
}

export function createOperationLog(
  db: Database,
  audit: AuditLog,
  options: OperationLogOptions = {},
): OperationLog {
  const log: LogContext = {
    db,
    audit,
    now: options.now ?? (() => new Date()),
    leaseMs: options.leaseMs ?? DEFAULT_OPERATION_LEASE_MS,
    outbox: options.outbox,
  };
  return {
    storeFor: (access) => storeFor(log, access),
    sweep: (sweepOptions) => sweep(log, sweepOptions),
  };
}
