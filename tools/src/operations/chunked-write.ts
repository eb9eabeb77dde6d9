import type { BatchWriteResult, UpsertResult, WriteFailure } from '@airsuite/airtable-gateway';
import type { ToolContext } from '../core/tool-context.ts';
import { ToolError } from '../core/tool-error.ts';
import { CallResult, CHUNK_SIZE, chunkCount, landedChunks, landedFrom } from './chunk-outcomes.ts';
import type { LandedRecord, OperationStore, WriteKind } from './operation-store.ts';
import { requestHash } from './request-hash.ts';
import { settleUncertainChunk } from './settle-operation.ts';

export interface ChunkedWrite<T> {
  ctx: ToolContext;
  tool: string;
  kind: WriteKind;
  baseId: string;
  tableId: string;
  /** The records to write, in input order (already checked against the table). */
  items: readonly T[];
  /** The call's arguments as given (the idempotency key among them): what the key stands for. */
  args: Record<string, unknown>;
  idempotencyKey?: string | undefined;
  argumentsSummary: Record<string, unknown>;
  /** Writes one chunk of at most 10 records; never throws for Airtable's refusal (see BatchWriteResult). */
  send(chunk: T[]): Promise<BatchWriteResult>;
  /** "Created", "Wrote", "Deleted": progress messages. */
  progressVerb: string;
  /** The field names an item writes (creates and updates), kept with the landed record for its event. */
  writtenFields?(item: T): readonly string[];
}

export interface OperationInfo {
  id: string;
  /** This call finished an earlier, interrupted one with the same key. */
  resumed: boolean;
}

export type WriteRun =
  /** The key's call had already succeeded: its stored output, nothing sent. */
  | { kind: 'replayed'; output: Record<string, unknown> }
  | {
      kind: 'ran';
      result: UpsertResult;
      operation?: OperationInfo;
      finish(output: Record<string, unknown>): Promise<void>;
    };

const OPERATION_LOG_DOWN =
  'the operation log could not be written, so the write stopped to keep its record exact';

/**
 * Writes `items` in chunks of 10, one after another, as an operation: recorded before the
 * first write, each chunk's outcome recorded as it lands. With an idempotency key, a call
 * that was cut short (crash, lost answer, failed chunk) is finished on repetition: chunks
 * that landed are not sent again, and a chunk whose answer was lost is read back from
 * Airtable first, so no record is ever written twice. Without an operation store (a bare
 * test rig) the chunks are simply sent.
 */
export async function runChunkedWrite<T>(write: ChunkedWrite<T>): Promise<WriteRun> {
  return runWrite(await guarded(write));
}

/** The write as the workspace's guards leave it (they may change its records, or refuse it). */
async function guarded<T>(write: ChunkedWrite<T>): Promise<ChunkedWrite<T>> {
  if (!write.ctx.beforeWrite) return write;
  const { records } = await write.ctx.beforeWrite({
    tool: write.tool,
    kind: write.kind,
    baseId: write.baseId,
    tableId: write.tableId,
    records: write.items,
  });
  return records ? { ...write, items: records as T[] } : write;
}

async function runWrite<T>(write: ChunkedWrite<T>): Promise<WriteRun> {
  const store = write.ctx.operations;
  if (!store) {
    const calls = new CallResult(write.items.length);
    await sendChunks(write, calls, new Map());
    return { kind: 'ran', result: calls.result, finish: async () => {} };
  }
  const hash = requestHash(write.tool, write.args);
  const started = await store.start({
    tool: write.tool,
    kind: write.kind,
    baseId: write.baseId,
    tableId: write.tableId,
    ...(write.idempotencyKey ? { idempotencyKey: write.idempotencyKey } : {}),
    requestHash: hash,
    total: write.items.length,
    argumentsSummary: write.argumentsSummary,
    ...(write.ctx.requestId ? { requestId: write.ctx.requestId } : {}),
  });
  let operation = started.operation;
  const resumed = started.kind === 'existing';
  if (resumed) {
    if (operation.tool !== write.tool || operation.requestHash !== hash) {
      throw new ToolError(
        'TOOL_IDEMPOTENCY_KEY_REUSED',
        `idempotency_key "${write.idempotencyKey}" was used for another call (${operation.tool}, operation ${operation.id}); use a new key for a new call.`,
        { operationId: operation.id },
      );
    }
    if (operation.state === 'succeeded' && operation.result)
      return { kind: 'replayed', output: operation.result };
    const claimed = await store.claim(operation.id);
    if (!claimed) {
      const leaseLeft = operation.leaseUntil ? Date.parse(operation.leaseUntil) - Date.now() : store.leaseMs;
      throw new ToolError(
        'TOOL_OPERATION_IN_PROGRESS',
        `the call with this idempotency_key is still running (operation ${operation.id}); ask get_operation, or repeat the call once it has ended.`,
        { operationId: operation.id, retryAfterSeconds: Math.max(1, Math.ceil(leaseLeft / 1000)) },
      );
    }
    operation = claimed;
  }
  const id = operation.id;
  const beat = setInterval(() => void store.heartbeat(id).catch(() => {}), Math.max(1, store.leaseMs / 3));
  beat.unref?.();
  const calls = new CallResult(write.items.length);
  try {
    // A chunk whose answer an earlier runner never heard is read back before anything is sent.
    const settled = resumed ? await settleUncertainChunk(write.ctx, store, operation) : operation;
    await sendChunks(write, calls, landedChunks(settled), store, id);
  } catch (error) {
    clearInterval(beat);
    await endAfterError(store, id, calls, error);
    throw error;
  }
  clearInterval(beat);
  const result = calls.result;
  return {
    kind: 'ran',
    result,
    operation: { id, resumed },
    async finish(output) {
      const state = result.ok ? 'succeeded' : result.written > 0 ? 'partial' : 'failed';
      // Every chunk is recorded already: if the end cannot be, the operation reads interrupted
      // with all its records, and a repetition with the key sends nothing.
      await store
        .finish(id, { state, result: output, ...(result.error ? { errorCode: result.error.code } : {}) })
        .catch(() => {});
    },
  };
}

async function sendChunks<T>(
  write: ChunkedWrite<T>,
  calls: CallResult,
  landed: ReadonlyMap<number, LandedRecord[]>,
  store?: OperationStore,
  id?: string,
): Promise<void> {
  const total = write.items.length;
  for (let chunk = 0; chunk < chunkCount(total); chunk++) {
    const first = chunk * CHUNK_SIZE;
    const known = landed.get(chunk);
    if (known) {
      calls.landed(chunk, known);
      continue;
    }
    if (!calls.result.ok) continue;
    if (write.ctx.signal.aborted) {
      calls.stopped(chunk, { code: 'GATEWAY_ABORTED', message: 'the call was cancelled' });
      continue;
    }
    const items = write.items.slice(first, first + CHUNK_SIZE);
    if (store && id) {
      await store.recordPending(id, { chunk, items, at: new Date().toISOString() }).catch(() => {
        throw logDown(calls, id);
      });
    }
    const answer = await write.send(items);
    calls.result.upstreamCalls += answer.upstreamCalls;
    const writtenOf = write.writtenFields;
    const records = landedFrom(
      answer,
      first,
      writtenOf ? (index) => (items[index] === undefined ? undefined : writtenOf(items[index])) : undefined,
    );
    const failure: WriteFailure | undefined = answer.ok ? undefined : answer.error;
    if (records.length > 0 || !failure) calls.landed(chunk, records);
    if (failure) calls.failed(chunk, first + records.length, items.length - records.length, failure);
    if (store && id) {
      await store
        .recordChunk(id, {
          chunk,
          state: failure ? 'failed' : 'landed',
          records,
          ...(failure ? { errorCode: failure.code } : {}),
          at: new Date().toISOString(),
        })
        .catch(() => {
          throw logDown(calls, id);
        });
    }
    write.ctx.progress({
      progress: calls.result.written,
      total,
      message: `${write.progressVerb} ${calls.result.written} of ${total} records`,
    });
  }
}

/** The operation log failed mid-run: stop, and tell the caller exactly what was written. */
function logDown(calls: CallResult, id: string): ToolError {
  calls.logDown = true;
  const ids = calls.result.records.flatMap((r) => (r.status === 'written' ? [r.id] : []));
  return new ToolError(
    'TOOL_UNAVAILABLE',
    `${OPERATION_LOG_DOWN}: ${ids.length} of ${calls.result.total} records were written (${ids.join(', ') || 'none'}); repeat the call with the same idempotency_key to finish it.`,
    { operationId: id, written: ids.length },
  );
}

/** A run that threw: its record says it stopped (a later call with the key resumes it). */
async function endAfterError(
  store: OperationStore,
  id: string,
  calls: CallResult,
  error: unknown,
): Promise<void> {
  // Left running: its lease runs out and it reads interrupted, its unrecorded chunk checked on resumption.
  if (calls.logDown) return;
  const code = error instanceof ToolError ? error.code : 'TOOL_INTERNAL_ERROR';
  await store
    .finish(id, {
      state: calls.result.written > 0 ? 'partial' : 'failed',
      result: { ok: false, error_code: code },
      errorCode: code,
    })
    .catch(() => {});
}
