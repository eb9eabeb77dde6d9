import {
  type BatchAnswer,
  type BatchRunOptions,
  type BatchWriteResult,
  runBatches,
  type UpsertResult,
} from './batch-runner.ts';
import { callEngine, type EngineCaller } from './engine-call.ts';
import type { Fields } from './types.ts';

export interface NewRecord {
  fields: Fields;
}

export interface RecordUpdate {
  id: string;
  fields: Fields;
}

/** An upsert: matched on the merge fields, or on `id` when given. */
export interface UpsertRecord {
  id?: string;
  fields: Fields;
}

export interface WriteOptions extends BatchRunOptions {
  /** Let Airtable convert strings to the field's type (and create missing select options). */
  typecast?: boolean;
  returnFieldsByFieldId?: boolean;
}

export interface UpdateOptions extends WriteOptions {
  /** PUT instead of PATCH: cells not sent are cleared. */
  replace?: boolean;
}

function withoutUpsertCounts(result: UpsertResult): BatchWriteResult {
  const { created: _created, updated: _updated, ...rest } = result;
  return rest;
}

/** A batch's body; unset options drop out of the JSON. */
function writeBody(records: unknown[], options: WriteOptions, extra: object = {}) {
  return {
    records,
    typecast: options.typecast,
    returnFieldsByFieldId: options.returnFieldsByFieldId,
    ...extra,
  };
}

/*
 * Each record as its write sends it: only what Airtable takes, whatever else the caller's
 * objects carry. Module functions, so a batch maps its records without a closure of its own.
 */
const newRecordBody = (r: NewRecord) => ({ fields: r.fields });
const updateBody = (r: RecordUpdate) => ({ id: r.id, fields: r.fields });
const upsertBody = (r: UpsertRecord) =>
  r.id === undefined ? { fields: r.fields } : { id: r.id, fields: r.fields };

/**
 * The four multi-record writes, each batch one engine call, sent in order. No batch carries the
 * caller's signal: one already sent is awaited to its end (its outcome matters more than a
 * prompt return), and `runBatches` checks the signal before the next.
 */
export function recordWrites(caller: EngineCaller) {
  const send = (baseId: string, table: string, method: 'POST' | 'PATCH' | 'PUT', body: unknown) =>
    callEngine<BatchAnswer>(caller, { method, segments: [baseId, table], body });

  return {
    async createMany(
      baseId: string,
      table: string,
      records: readonly NewRecord[],
      options: WriteOptions = {},
    ): Promise<BatchWriteResult> {
      const result = await runBatches(
        records,
        (batch) => send(baseId, table, 'POST', writeBody(batch.map(newRecordBody), options)),
        options,
      );
      return withoutUpsertCounts(result);
    },

    async updateMany(
      baseId: string,
      table: string,
      records: readonly RecordUpdate[],
      options: UpdateOptions = {},
    ): Promise<BatchWriteResult> {
      const method = options.replace ? 'PUT' : 'PATCH';
      const result = await runBatches(
        records,
        (batch) => send(baseId, table, method, writeBody(batch.map(updateBody), options)),
        options,
      );
      return withoutUpsertCounts(result);
    },

    upsertMany(
      baseId: string,
      table: string,
      records: readonly UpsertRecord[],
      fieldsToMergeOn: readonly string[],
      options: WriteOptions = {},
    ): Promise<UpsertResult> {
      const performUpsert = { fieldsToMergeOn: [...fieldsToMergeOn] };
      return runBatches(
        records,
        (batch) => send(baseId, table, 'PATCH', writeBody(batch.map(upsertBody), options, { performUpsert })),
        options,
      );
    },

    async deleteMany(
      baseId: string,
      table: string,
      recordIds: readonly string[],
      options: BatchRunOptions = {},
    ): Promise<BatchWriteResult> {
      const result = await runBatches(
        recordIds,
        (batch) =>
          callEngine<BatchAnswer>(caller, {
            method: 'DELETE',
            segments: [baseId, table],
            query: { records: batch },
          }),
        options,
      );
      return withoutUpsertCounts(result);
    },
  };
}
