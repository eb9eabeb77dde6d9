import { z } from 'zod';
import { ranges } from '../write/batch-report.ts';
import { CHUNK_SIZE, uncertainChunk } from './chunk-outcomes.ts';
import { effectiveState, type OperationRecord, type WriteKind } from './operation-store.ts';

const WRITTEN: Record<WriteKind, string> = {
  create: 'created',
  update: 'updated',
  upsert: 'upserted',
  delete: 'deleted',
};

export const operationSummaryOutput = z.object({
  id: z.string(),
  tool: z.string(),
  state: z.enum(['running', 'succeeded', 'partial', 'failed', 'interrupted']),
  base_id: z.string(),
  table_id: z.string(),
  total: z.number(),
  written: z.number(),
  idempotency_key: z.string().optional(),
  error_code: z.string().optional(),
  created_at: z.string(),
  updated_at: z.string(),
});

export const operationOutput = operationSummaryOutput
  .omit({ created_at: true, updated_at: true, table_id: true, base_id: true })
  .extend({
    /** Every record written so far, in input order. */
    records: z.array(z.object({ index: z.number(), id: z.string(), status: z.string() })),
    /** Input positions not written, as ranges ("40–49, 60–99"). */
    not_written: z.string().optional(),
    /** A chunk whose answer was lost and that could not be read back. */
    uncertain: z.string().optional(),
    summary: z.string(),
  });

export type OperationSummaryView = z.output<typeof operationSummaryOutput>;
export type OperationView = z.output<typeof operationOutput>;

const writtenRecords = (operation: OperationRecord) =>
  operation.chunks
    .filter((c) => c.state === 'landed')
    .flatMap((c) => c.records)
    .sort((a, b) => a.index - b.index);

export function summaryView(operation: OperationRecord, now = new Date()): OperationSummaryView {
  return {
    id: operation.id,
    tool: operation.tool,
    state: effectiveState(operation, now),
    base_id: operation.baseId,
    table_id: operation.tableId,
    total: operation.total,
    written: writtenRecords(operation).length,
    ...(operation.idempotencyKey ? { idempotency_key: operation.idempotencyKey } : {}),
    ...(operation.errorCode ? { error_code: operation.errorCode } : {}),
    created_at: operation.createdAt,
    updated_at: operation.updatedAt,
  };
}

/** An operation as a caller reads it: what was written, what was not, and how to finish it. */
export function operationView(operation: OperationRecord, now = new Date()): OperationView {
  const head = summaryView(operation, now);
  const written = writtenRecords(operation);
  const status = WRITTEN[operation.kind];
  const done = new Set(written.map((r) => r.index));
  const missing = Array.from({ length: operation.total }, (_, i) => i).filter((i) => !done.has(i));
  const open = head.state !== 'succeeded' && head.state !== 'running';
  const unsure = open ? uncertainChunk(operation) : undefined;
  const uncertain =
    unsure === undefined
      ? undefined
      : ranges(
          Array.from({ length: CHUNK_SIZE }, (_, i) => unsure * CHUNK_SIZE + i).filter(
            (i) => i < operation.total,
          ),
        );
  let summary = `${operation.tool} ${head.state}: ${written.length} of ${operation.total} records ${status}.`;
  if (missing.length) summary += ` Not written: records ${ranges(missing)}.`;
  if (uncertain) summary += ` Records ${uncertain} may have been written (their answer was lost).`;
  if (open && missing.length) {
    summary += operation.idempotencyKey
      ? ` Repeat the same call with idempotency_key "${operation.idempotencyKey}" to write only what is missing.`
      : ' Send only the records that were not written.';
  }
  return {
    ...head,
    records: written.map((r) => ({ index: r.index, id: r.id, status: r.upsert ?? status })),
    ...(missing.length ? { not_written: ranges(missing) } : {}),
    ...(uncertain ? { uncertain } : {}),
    summary,
  };
}
