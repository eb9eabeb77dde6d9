import { DEFAULT_OPERATION_LEASE_MS, newOperationId, type OperationStore } from '@airsuite/tools';
import type { Database } from '../db/database.ts';
import { jsonbSafe } from '../db/jsonb-safe.ts';
import { actorOf, type WorkspaceAccess } from '../principal.ts';
import type { AuditLog } from './audit-log.ts';
import { OPERATION_COLUMNS, type OperationRow, toOperation } from './operation-rows.ts';

/** Ended operations are kept this long, then pruned. */
export const OPERATION_RETENTION_MS = 30 * 24 * 3600_000;
const MAX_LIST = 100;

export interface OperationLogOptions {
  /** How long a runner's lease lasts (it renews every third of it). Default 30 s. */
  leaseMs?: number;
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

export function createOperationLog(
  db: Database,
  audit: AuditLog,
  options: OperationLogOptions = {},
): OperationLog {
  const leaseMs = options.leaseMs ?? DEFAULT_OPERATION_LEASE_MS;
  const now = options.now ?? (() => new Date());
  const leaseFrom = (at: Date) => new Date(at.getTime() + leaseMs);

  return {
    storeFor(access) {
      const workspaceId = access.workspaceId;
      const actor = actorOf(access.principal);
      const read = async (where: string, params: unknown[]) => {
        const rows = await db.query<OperationRow>(
          `SELECT ${OPERATION_COLUMNS} FROM operations o WHERE o.workspace_id = $1 AND ${where}`,
          [workspaceId, ...params],
        );
        return rows[0] ? toOperation(rows[0]) : undefined;
      };
      return {
        leaseMs,
        async start(spec) {
          const at = now();
          const id = newOperationId();
          const inserted = await db.transaction(async (tx) => {
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
                leaseFrom(at),
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
          if (inserted) {
            const operation = await read('o.id = $2', [id]);
            if (operation) return { kind: 'started', operation };
          }
          const existing = await read('o.idempotency_key = $2', [spec.idempotencyKey]);
          if (!existing) throw new Error('operation vanished between insert and read');
          return { kind: 'existing', operation: existing };
        },
        async claim(id) {
          const at = now();
          const rows = await db.query<{ id: string }>(
            `UPDATE operations SET state = 'running', result = NULL, error_code = NULL, updated_at = $3, lease_until = $4
             WHERE workspace_id = $1 AND id = $2
               AND (state <> 'running' OR lease_until IS NULL OR lease_until < $3)
             RETURNING id`,
            [workspaceId, id, at, leaseFrom(at)],
          );
          return rows.length ? read('o.id = $2', [id]) : undefined;
        },
        async recordPending(id, pending) {
          const at = now();
          await db.query(
            `UPDATE operations SET pending = $3::jsonb, updated_at = $4, lease_until = $5
             WHERE workspace_id = $1 AND id = $2`,
            [workspaceId, id, JSON.stringify(jsonbSafe(pending)), at, leaseFrom(at)],
          );
        },
        async recordChunk(id, chunk) {
          const at = now();
          // One statement: the chunk and the lease renewal land together.
          await db.query(
            `WITH owned AS (SELECT id FROM operations WHERE workspace_id = $1 AND id = $2),
             saved AS (
               INSERT INTO operation_chunks (operation_id, chunk, state, records, error_code, reconciled, at)
               SELECT id, $3, $4, $5::jsonb, $6, $7, $8 FROM owned
               ON CONFLICT (operation_id, chunk) DO UPDATE SET state = EXCLUDED.state, records = EXCLUDED.records,
                 error_code = EXCLUDED.error_code, reconciled = EXCLUDED.reconciled, at = EXCLUDED.at
               RETURNING operation_id)
             UPDATE operations SET updated_at = $8,
               lease_until = CASE WHEN state = 'running' AND NOT $7 THEN $9 ELSE lease_until END
             WHERE id IN (SELECT operation_id FROM saved)`,
            [
              workspaceId,
              id,
              chunk.chunk,
              chunk.state,
              JSON.stringify(chunk.records),
              chunk.errorCode ?? null,
              chunk.reconciled === true,
              at,
              leaseFrom(at),
            ],
          );
        },
        async heartbeat(id) {
          const at = now();
          await db.query(
            `UPDATE operations SET lease_until = $3 WHERE workspace_id = $1 AND id = $2 AND state = 'running'`,
            [workspaceId, id, leaseFrom(at)],
          );
        },
        async finish(id, end) {
          await db.query(
            `UPDATE operations SET state = $3, result = $4::jsonb, error_code = $5, updated_at = $6, lease_until = NULL
             WHERE workspace_id = $1 AND id = $2`,
            [workspaceId, id, end.state, JSON.stringify(jsonbSafe(end.result)), end.errorCode ?? null, now()],
          );
        },
        get: (ref) =>
          'id' in ref ? read('o.id = $2', [ref.id]) : read('o.idempotency_key = $2', [ref.idempotencyKey]),
        async list(query = {}) {
          const limit = Math.min(Math.max(query.limit ?? 20, 1), MAX_LIST);
          const at = now();
          const params: unknown[] = [workspaceId, limit, at];
          const state =
            query.state === 'interrupted'
              ? `AND (o.state = 'interrupted' OR (o.state = 'running' AND (o.lease_until IS NULL OR o.lease_until < $3)))`
              : query.state === 'running'
                ? `AND o.state = 'running' AND o.lease_until >= $3`
                : query.state
                  ? `AND o.state = $4`
                  : '';
          if (query.state && query.state !== 'interrupted' && query.state !== 'running')
            params.push(query.state);
          const rows = await db.query<OperationRow>(
            `SELECT ${OPERATION_COLUMNS} FROM operations o
             WHERE o.workspace_id = $1 AND $3::timestamptz IS NOT NULL ${state}
             ORDER BY o.created_at DESC, o.id DESC LIMIT $2`,
            params,
          );
          return rows.map(toOperation);
        },
      };
    },

    async sweep(sweepOptions = {}) {
      const at = now();
      const marked = await db.transaction(async (tx) => {
        const rows = await tx.query<{
          id: string;
          workspace_id: string;
          tool: string;
          total: number;
          written: number;
        }>(
          `UPDATE operations o SET state = 'interrupted', updated_at = $1, lease_until = NULL
           WHERE o.state = 'running' AND ($2 OR o.lease_until IS NULL OR o.lease_until < $1)
           RETURNING o.id, o.workspace_id, o.tool, o.total,
             (SELECT COALESCE(SUM(jsonb_array_length(c.records)), 0)::int FROM operation_chunks c
              WHERE c.operation_id = o.id AND c.state = 'landed') AS written`,
          [at, sweepOptions.all === true],
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
        return rows.length;
      });
      await db.query(`DELETE FROM operations WHERE state <> 'running' AND updated_at < $1`, [
        new Date(at.getTime() - OPERATION_RETENTION_MS),
      ]);
      return marked;
    },
  };
}
