import type { OperationRecord } from './operation-store.ts';

/** Past this many, a memory store forgets its oldest operation so a long run stays bounded. */
const MAX_KEPT = 10_000;

/** The operations one memory store keeps, by id and by idempotency key, in the order started. */
export interface OperationTable {
  readonly leaseMs: number;
  now(): Date;
  get(id: string): OperationRecord | undefined;
  getByKey(idempotencyKey: string): OperationRecord | undefined;
  /** An operation its runner holds the id of: missing means the store was misused, not a caller error. */
  must(id: string): OperationRecord;
  /** Keeps a new operation (forgetting the oldest when full). */
  add(operation: OperationRecord): void;
  /** Stamps `updatedAt`, and with `lease` renews the runner's lease from now. */
  touch(operation: OperationRecord, lease: boolean): void;
  newestFirst(): OperationRecord[];
}

export function createOperationTable(leaseMs: number, now: () => Date): OperationTable {
  const byId = new Map<string, OperationRecord>();
  const byKey = new Map<string, string>();
  const forgetOldest = () => {
    const oldest = byId.values().next().value;
    if (!oldest) return;
    byId.delete(oldest.id);
    if (oldest.idempotencyKey) byKey.delete(oldest.idempotencyKey);
  };
  return {
    leaseMs,
    now,
    get: (id) => byId.get(id),
    getByKey(idempotencyKey) {
      const id = byKey.get(idempotencyKey);
      return id ? byId.get(id) : undefined;
    },
    must(id) {
      const operation = byId.get(id);
      if (!operation) throw new Error(`operation ${id} is not recorded`);
      return operation;
    },
    add(operation) {
      if (byId.size >= MAX_KEPT) forgetOldest();
      byId.set(operation.id, operation);
      if (operation.idempotencyKey) byKey.set(operation.idempotencyKey, operation.id);
    },
    touch(operation, lease) {
      const at = now();
      operation.updatedAt = at.toISOString();
      if (lease) operation.leaseUntil = new Date(at.getTime() + leaseMs).toISOString();
    },
    newestFirst: () => [...byId.values()].reverse(),
  };
}
