import { DEFAULT_OPERATION_LEASE_MS } from '@airsuite/tools';
import type { Database } from '../db/database.ts';
import type { Outbox } from '../webhooks/outbox.ts';
import type { AuditLog } from './audit-log.ts';
import { createOperationLog, type OperationLog } from './operations.ts';

/**
 * Sweeps the operations a dead runner left. An embedded database has one process: whatever it
 * left running died with it. On PostgreSQL other processes may be mid-write, so only expired
 * leases are swept, here and on the returned timer.
 */
async function startSweeping(
  db: Database,
  operations: OperationLog,
  leaseMs: number,
): Promise<NodeJS.Timeout> {
  await operations.sweep({ all: db.kind === 'pglite' });
  const sweeper = setInterval(() => void operations.sweep().catch(() => {}), leaseMs);
  sweeper.unref();
  return sweeper;
}

/** The operation log, swept once before it is used and then every lease; clear `sweeper` to stop. */
export async function openOperationLog(
  db: Database,
  audit: AuditLog,
  options: { outbox: Outbox; now: () => Date; leaseMs?: number | undefined },
): Promise<{ operations: OperationLog; sweeper: NodeJS.Timeout }> {
  const { outbox, now, leaseMs } = options;
  const operations = createOperationLog(db, audit, { ...(leaseMs ? { leaseMs } : {}), outbox, now });
  const sweeper = await startSweeping(db, operations, leaseMs ?? DEFAULT_OPERATION_LEASE_MS);
  return { operations, sweeper };
}
