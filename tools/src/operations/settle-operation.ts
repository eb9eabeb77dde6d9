import type { Fields } from '@airsuite/airtable-gateway';
import type { ToolContext } from '../core/tool-context.ts';
import type { ChunkCheck } from './chunk-checks.ts';
import { checkCreated, checkDeleted, checkUpdated } from './chunk-checks.ts';
import { CHUNK_SIZE, uncertainChunk, uncertainSince } from './chunk-outcomes.ts';
import type { OperationRecord, OperationStore } from './operation-store.ts';

/**
 * An operation cut short may have a chunk whose answer its runner never heard. Reading it
 * back from Airtable (with the records as they were sent, kept as the pending chunk) turns
 * "may have been written" into an exact list; the finding is recorded. Call it only when no
 * runner is sending (interrupted, ended, or claimed by the caller). Returns the operation as
 * it now stands.
 */
export async function settleUncertainChunk(
  ctx: ToolContext,
  store: OperationStore,
  operation: OperationRecord,
): Promise<OperationRecord> {
  const chunk = uncertainChunk(operation);
  const pending = operation.pending;
  if (chunk === undefined || pending === undefined) return operation;
  const where = { baseId: operation.baseId, tableId: operation.tableId };
  const first = chunk * CHUNK_SIZE;
  const exclude = new Set(operation.chunks.flatMap((c) => c.records.map((r) => r.id)));
  let outcome: ChunkCheck;
  switch (operation.kind) {
    case 'create':
      outcome = await checkCreated(
        ctx,
        where,
        (pending.items as { fields: Fields }[]).map((r) => r.fields),
        first,
        uncertainSince(operation, chunk),
        exclude,
      );
      break;
    case 'update':
      outcome = await checkUpdated(ctx, where, pending.items as { id: string; fields: Fields }[], first);
      break;
    case 'delete':
      outcome = await checkDeleted(ctx, where, pending.items as string[], first);
      break;
    default:
      outcome = 'unknown';
  }
  if (outcome === 'unknown') return operation;
  await store.recordChunk(operation.id, {
    chunk,
    state: outcome === 'not_landed' ? 'not_landed' : 'landed',
    records: outcome === 'not_landed' ? [] : outcome,
    reconciled: true,
    at: new Date().toISOString(),
  });
  return (await store.get({ id: operation.id })) ?? operation;
}
