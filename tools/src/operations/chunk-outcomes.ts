import type {
  BatchWriteResult,
  RecordWriteOutcome,
  UpsertResult,
  WriteFailure,
} from '@airsuite/airtable-gateway';
import type { LandedRecord, OperationRecord } from './operation-store.ts';

/** Airtable writes at most 10 records per call; an operation records its work in these chunks. */
export const CHUNK_SIZE = 10;

export const chunkCount = (total: number): number => Math.ceil(total / CHUNK_SIZE);

/** The records of landed chunks, by chunk number. */
export function landedChunks(operation: OperationRecord): Map<number, LandedRecord[]> {
  const landed = new Map<number, LandedRecord[]>();
  for (const chunk of operation.chunks) if (chunk.state === 'landed') landed.set(chunk.chunk, chunk.records);
  return landed;
}

/**
 * The one chunk whose fate a dead or cut-off runner may not have learned: the first chunk not
 * known to have landed, if it was sent (a runner records a chunk as pending just before it
 * goes) and is not known to have failed (checked, or refused by Airtable). Chunks are sent
 * one after another, so no later chunk can have been sent.
 */
export function uncertainChunk(operation: OperationRecord): number | undefined {
  const chunks = chunkCount(operation.total);
  const byNumber = new Map(operation.chunks.map((c) => [c.chunk, c]));
  for (let n = 0; n < chunks; n++) {
    const chunk = byNumber.get(n);
    if (chunk?.state === 'landed') continue;
    if (chunk?.state === 'not_landed') return undefined;
    if (chunk?.state === 'failed' && chunk.errorCode !== 'GATEWAY_WRITE_OUTCOME_UNKNOWN') return undefined;
    return operation.pending?.chunk === n ? n : undefined;
  }
  return undefined;
}

/** When the uncertain chunk can have been sent at the earliest: when it was recorded as pending, else after the last chunk that landed. */
export function uncertainSince(operation: OperationRecord, chunk: number): Date {
  if (operation.pending?.chunk === chunk) return new Date(Date.parse(operation.pending.at));
  const times = operation.chunks.filter((c) => c.state === 'landed').map((c) => Date.parse(c.at));
  return new Date(Math.max(Date.parse(operation.createdAt), ...times));
}

/** One chunk's answer (records 0–9 of the chunk) as records of the whole call. */
export function landedFrom(
  answer: BatchWriteResult,
  firstIndex: number,
  /** The field names the chunk's record at `index` (within the chunk) wrote, for creates and updates. */
  writtenOf?: (index: number) => readonly string[] | undefined,
): LandedRecord[] {
  return answer.records.flatMap((r) => {
    if (r.status !== 'written') return [];
    const written = writtenOf?.(r.index);
    const fields = written
      ? Object.fromEntries(
          written.flatMap((name) => (r.fields && name in r.fields ? [[name, r.fields[name]]] : [])),
        )
      : undefined;
    return [
      {
        index: firstIndex + r.index,
        id: r.id,
        ...(r.upsert ? { upsert: r.upsert } : {}),
        ...(written ? { written: [...written], fields } : {}),
      },
    ];
  });
}

/** The result of the whole call, built chunk by chunk (some from the record, some sent now). */
export class CallResult {
  readonly result: UpsertResult;
  /** A chunk's outcome could not be recorded: the run stopped there. */
  logDown = false;
  constructor(total: number) {
    const records: RecordWriteOutcome[] = Array.from({ length: total }, (_, index) => ({
      index,
      status: 'not-attempted',
    }));
    this.result = { ok: true, total, written: 0, upstreamCalls: 0, records, created: 0, updated: 0 };
  }
  landed(chunk: number, records: readonly LandedRecord[]): void {
    for (const r of records) {
      this.result.records[r.index] = {
        index: r.index,
        status: 'written',
        batchIndex: chunk,
        id: r.id,
        ...(r.upsert ? { upsert: r.upsert } : {}),
      };
      this.result.written++;
      if (r.upsert === 'created') this.result.created++;
      if (r.upsert === 'updated') this.result.updated++;
    }
  }
  failed(chunk: number, firstIndex: number, size: number, failure: WriteFailure): void {
    for (let i = firstIndex; i < firstIndex + size; i++)
      this.result.records[i] = { index: i, status: 'failed', batchIndex: chunk, error: failure };
    this.stopped(chunk, failure);
  }
  stopped(chunk: number, failure: WriteFailure): void {
    this.result.error ??= { ...failure, batchIndex: chunk };
    this.result.ok = false;
  }
}
