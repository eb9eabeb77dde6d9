import { GatewayError, type GatewayErrorCode } from '../errors.ts';
import type { Fields } from './types.ts';

/** Airtable's most records per create, update, upsert or delete call. */
export const AIRTABLE_BATCH_SIZE = 10;

/** Why a batch was not written: Airtable's rejection (AIRTABLE_*) or the gateway's own code. */
export interface WriteFailure {
  /**
   * AIRTABLE_ERROR when Airtable rejected the batch (see `upstreamStatus`, `airtableType`),
   * AIRTABLE_RATE_LIMITED / AIRTABLE_BILLING_LIMIT for a final 429, or a gateway code such as
   * GATEWAY_QUEUE_FULL. GATEWAY_WRITE_OUTCOME_UNKNOWN means the batch MAY have been applied:
   * read the records back before sending it again. GATEWAY_ABORTED: the caller cancelled.
   */
  code: GatewayErrorCode;
  message: string;
  upstreamStatus?: number;
  airtableType?: string;
}

export interface WrittenRecord {
  /** Position in the input. */
  index: number;
  /** Written (created, updated, upserted) or, for deleteMany, deleted. */
  status: 'written';
  /** 0-based batch: records 0–9 are batch 0. */
  batchIndex: number;
  id: string;
  /** The record's cells as Airtable returned them (absent for deletes). */
  fields?: Fields;
  /** Upserts only: whether this record was created or matched and updated. */
  upsert?: 'created' | 'updated';
}

export interface FailedRecord {
  index: number;
  /** Its batch was rejected: Airtable applies a batch entirely or not at all. */
  status: 'failed';
  batchIndex: number;
  error: WriteFailure;
}

export interface NotAttemptedRecord {
  index: number;
  /** Never sent: an earlier batch failed (or the call was cancelled). */
  status: 'not-attempted';
}

export type RecordWriteOutcome = WrittenRecord | FailedRecord | NotAttemptedRecord;

/** What a multi-record write did, record by record. */
export interface BatchWriteResult {
  /** Every record written. */
  ok: boolean;
  /** Input records. */
  total: number;
  /** Records written. */
  written: number;
  /** Calls made to the gateway (one per batch sent). */
  upstreamCalls: number;
  /** One outcome per input record, in input order (`records[i].index === i`). */
  records: RecordWriteOutcome[];
  /** The failure that stopped the run, with its batch; absent when `ok`. */
  error?: WriteFailure & { batchIndex: number };
}

export interface UpsertResult extends BatchWriteResult {
  /** Records created (no match on the merge fields). */
  created: number;
  /** Records that matched and were updated. */
  updated: number;
}

export interface BatchProgress {
  /** The batch just written (0-based). */
  batchIndex: number;
  batches: number;
  written: number;
  total: number;
}

export interface BatchRunOptions {
  /** Called after each batch is written. */
  onProgress?: (progress: BatchProgress) => void;
  /** Checked before each batch; a batch already sent is awaited to its end. */
  signal?: AbortSignal;
}

/** Airtable's answer to one batch. */
export interface BatchAnswer {
  records?: { id: string; fields?: Fields }[];
  createdRecords?: string[];
  updatedRecords?: string[];
}

function failureOf(error: GatewayError): WriteFailure {
  const failure: WriteFailure = { code: error.code, message: error.message };
  if (error.upstreamStatus !== undefined) failure.upstreamStatus = error.upstreamStatus;
  if (error.airtableType !== undefined) failure.airtableType = error.airtableType;
  return failure;
}

/**
 * Splits `items` into batches of 10 in order and sends them one after the other, stopping at
 * the first batch that fails. Never throws for a rejected batch: the result says, for every
 * input record, whether it was written, failed (with its batch and the reason) or not attempted.
 */
export async function runBatches<T>(
  items: readonly T[],
  sendBatch: (batch: T[]) => Promise<BatchAnswer>,
  options: BatchRunOptions = {},
): Promise<UpsertResult> {
  const records: RecordWriteOutcome[] = items.map((_, index) => ({ index, status: 'not-attempted' }));
  const batches = Math.ceil(items.length / AIRTABLE_BATCH_SIZE);
  const result: UpsertResult = {
    ok: true,
    total: items.length,
    written: 0,
    upstreamCalls: 0,
    records,
    created: 0,
    updated: 0,
  };
  for (let batchIndex = 0; batchIndex < batches; batchIndex++) {
    const start = batchIndex * AIRTABLE_BATCH_SIZE;
    const batch = items.slice(start, start + AIRTABLE_BATCH_SIZE);
    if (options.signal?.aborted) {
      result.error = { ...failureOf(new GatewayError('GATEWAY_ABORTED')), batchIndex };
      break;
    }
    result.upstreamCalls++;
    let answer: BatchAnswer;
    try {
      answer = await sendBatch(batch);
    } catch (error) {
      if (!(error instanceof GatewayError)) throw error;
      const failure = failureOf(error);
      for (let i = 0; i < batch.length; i++)
        records[start + i] = { index: start + i, status: 'failed', batchIndex, error: failure };
      result.error = { ...failure, batchIndex };
      break;
    }
    const created = new Set(answer.createdRecords ?? []);
    const updated = new Set(answer.updatedRecords ?? []);
    for (let i = 0; i < batch.length; i++) {
      const index = start + i;
      const written = answer.records?.[i];
      if (!written) {
        const failure: WriteFailure = {
          code: 'AIRTABLE_ERROR',
          message: "Airtable's answer did not include this record",
        };
        records[index] = { index, status: 'failed', batchIndex, error: failure };
        result.error ??= { ...failure, batchIndex };
        continue;
      }
      const outcome: WrittenRecord = { index, status: 'written', batchIndex, id: written.id };
      if (written.fields !== undefined) outcome.fields = written.fields;
      if (created.has(written.id)) {
        outcome.upsert = 'created';
        result.created++;
      } else if (updated.has(written.id)) {
        outcome.upsert = 'updated';
        result.updated++;
      }
      records[index] = outcome;
      result.written++;
    }
    if (result.error) break;
    options.onProgress?.({ batchIndex, batches, written: result.written, total: items.length });
  }
  result.ok = result.error === undefined;
  return result;
}
