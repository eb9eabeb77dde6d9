import { randomBytes } from 'node:crypto';
import { createOperationTable, type OperationTable } from './memory-operation-table.ts';
import {
  effectiveState,
  type NewOperation,
  type OperationRecord,
  type OperationStart,
  type OperationStore,
} from './operation-store.ts';

/** 30 s: a runner renews every 10 s, so a live one is never taken for dead. */
export const DEFAULT_OPERATION_LEASE_MS = 30_000;

export interface MemoryOperationStoreOptions {
  /** Default {@link DEFAULT_OPERATION_LEASE_MS}. */
  leaseMs?: number;
  /** Who the operations are recorded for; default `standalone`. */
  callerId?: string;
  now?: () => Date;
}

export const newOperationId = (): string => `op_${randomBytes(12).toString('hex')}`;

/** Callers get copies: what they change stays theirs, as with a database row. */
const copy = (operation: OperationRecord): OperationRecord => structuredClone(operation);

function start(table: OperationTable, spec: NewOperation, callerId: string): OperationStart {
  const existing = spec.idempotencyKey ? table.getByKey(spec.idempotencyKey) : undefined;
  if (existing) return { kind: 'existing', operation: copy(existing) };
  const at = table.now().toISOString();
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
    callerId,
    createdAt: at,
    updatedAt: at,
  };
  table.touch(operation, true);
  table.add(operation);
  return { kind: 'started', operation: copy(operation) };
}

function claim(table: OperationTable, id: string): OperationRecord | undefined {
  const operation = table.get(id);
  if (!operation) return undefined;
  const leased = operation.leaseUntil ? Date.parse(operation.leaseUntil) > table.now().getTime() : false;
  if (operation.state === 'running' && leased) return undefined;
  operation.state = 'running';
  delete operation.result;
  delete operation.errorCode;
  table.touch(operation, true);
  return copy(operation);
}

/**
 * Operations kept in this process only: a standalone MCP server (one Airtable identity, no
 * database) still gets idempotency keys and `get_operation` for as long as it runs. Nothing
 * survives a restart; the platform's store does.
 */
export function createMemoryOperationStore(options: MemoryOperationStoreOptions = {}): OperationStore {
  const leaseMs = options.leaseMs ?? DEFAULT_OPERATION_LEASE_MS;
  const now = options.now ?? (() => new Date());
  const table = createOperationTable(leaseMs, now);
  return {
    leaseMs,
    start: async (spec) => start(table, spec, options.callerId ?? 'standalone'),
    claim: async (id) => claim(table, id),
    async recordPending(id, pending) {
      const operation = table.must(id);
      operation.pending = structuredClone(pending);
      table.touch(operation, operation.state === 'running');
    },
    async recordChunk(id, chunk) {
      const operation = table.must(id);
      operation.chunks = [...operation.chunks.filter((c) => c.chunk !== chunk.chunk), { ...chunk }].sort(
        (a, b) => a.chunk - b.chunk,
      );
      table.touch(operation, operation.state === 'running' && !chunk.reconciled);
    },
    async heartbeat(id) {
      const operation = table.must(id);
      if (operation.state === 'running') table.touch(operation, true);
    },
    async finish(id, end) {
      const operation = table.must(id);
      operation.state = end.state;
      operation.result = structuredClone(end.result);
      if (end.errorCode) operation.errorCode = end.errorCode;
      delete operation.leaseUntil;
      table.touch(operation, false);
    },
    async get(ref) {
      const operation = 'id' in ref ? table.get(ref.id) : table.getByKey(ref.idempotencyKey);
      return operation ? copy(operation) : undefined;
    },
    async list(query = {}) {
      const limit = Math.min(Math.max(query.limit ?? 20, 1), 100);
      const at = now();
      return table
        .newestFirst()
        .filter((o) => !query.state || effectiveState(o, at) === query.state)
        .slice(0, limit)
        .map(copy);
    },
  };
}
