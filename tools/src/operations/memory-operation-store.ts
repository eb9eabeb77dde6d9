import { randomBytes } from 'node:crypto';
import { effectiveState, type OperationRecord, type OperationStore } from './operation-store.ts';

/** 30 s: a runner renews every 10 s, so a live one is never taken for dead. */
export const DEFAULT_OPERATION_LEASE_MS = 30_000;
const MAX_KEPT = 10_000;

export interface MemoryOperationStoreOptions {
  /** Default {@link DEFAULT_OPERATION_LEASE_MS}. */
  leaseMs?: number;
  /** Who the operations are recorded for; default `standalone`. */
  callerId?: string;
  now?: () => Date;
}

export const newOperationId = (): string => `op_${randomBytes(12).toString('hex')}`;

/**
 * Operations kept in this process only: a standalone MCP server (one Airtable identity, no
 * database) still gets idempotency keys and `get_operation` for as long as it runs. Nothing
 * survives a restart; the platform's store does.
 */
export function createMemoryOperationStore(options: MemoryOperationStoreOptions = {}): OperationStore {
  const leaseMs = options.leaseMs ?? DEFAULT_OPERATION_LEASE_MS;
  const now = options.now ?? (() => new Date());
  const byId = new Map<string, OperationRecord>();
  const byKey = new Map<string, string>();
  const copy = (operation: OperationRecord): OperationRecord => structuredClone(operation);
  const touch = (operation: OperationRecord, lease: boolean) => {
    const at = now();
    operation.updatedAt = at.toISOString();
    if (lease) operation.leaseUntil = new Date(at.getTime() + leaseMs).toISOString();
  };
  const must = (id: string) => {
    const operation = byId.get(id);
    if (!operation) throw new Error(`operation ${id} is not recorded`);
    return operation;
  };
  return {
    leaseMs,
    async start(spec) {
      const existingId = spec.idempotencyKey ? byKey.get(spec.idempotencyKey) : undefined;
      const existing = existingId ? byId.get(existingId) : undefined;
      if (existing) return { kind: 'existing', operation: copy(existing) };
      if (byId.size >= MAX_KEPT) {
        const oldest = byId.values().next().value;
        if (oldest) {
          byId.delete(oldest.id);
          if (oldest.idempotencyKey) byKey.delete(oldest.idempotencyKey);
        }
      }
      const at = now().toISOString();
      const operation: OperationRecord = {
        id: newOperationId(),
        tool: spec.tool,
        kind: spec.kind,
        baseId: spec.baseId,
        tableId: spec.tableId,
        ...(spec.idempotencyKey ? { idempotencyKey: spec.idempotencyKey } : {}),
        requestHash: spec.requestHash,
        state: 'running',
        total: spec.total,
        chunks: [],
        callerId: options.callerId ?? 'standalone',
        createdAt: at,
        updatedAt: at,
      };
      touch(operation, true);
      byId.set(operation.id, operation);
      if (spec.idempotencyKey) byKey.set(spec.idempotencyKey, operation.id);
      return { kind: 'started', operation: copy(operation) };
    },
    async claim(id) {
      const operation = byId.get(id);
      if (!operation) return undefined;
      const leased = operation.leaseUntil ? Date.parse(operation.leaseUntil) > now().getTime() : false;
      if (operation.state === 'running' && leased) return undefined;
      operation.state = 'running';
      delete operation.result;
      delete operation.errorCode;
      touch(operation, true);
      return copy(operation);
    },
    async recordPending(id, pending) {
      const operation = must(id);
      operation.pending = structuredClone(pending);
      touch(operation, operation.state === 'running');
    },
    async recordChunk(id, chunk) {
      const operation = must(id);
      operation.chunks = [...operation.chunks.filter((c) => c.chunk !== chunk.chunk), { ...chunk }].sort(
        (a, b) => a.chunk - b.chunk,
      );
      touch(operation, operation.state === 'running' && !chunk.reconciled);
    },
    async heartbeat(id) {
      const operation = must(id);
      if (operation.state === 'running') touch(operation, true);
    },
    async finish(id, end) {
      const operation = must(id);
      operation.state = end.state;
      operation.result = structuredClone(end.result);
      if (end.errorCode) operation.errorCode = end.errorCode;
      delete operation.leaseUntil;
      touch(operation, false);
    },
    async get(ref) {
      const id = 'id' in ref ? ref.id : byKey.get(ref.idempotencyKey);
      const operation = id ? byId.get(id) : undefined;
      return operation ? copy(operation) : undefined;
    },
    async list(query = {}) {
      const limit = Math.min(Math.max(query.limit ?? 20, 1), 100);
      const at = now();
      return [...byId.values()]
        .reverse()
        .filter((o) => !query.state || effectiveState(o, at) === query.state)
        .slice(0, limit)
        .map(copy);
    },
  };
}
