import type { EmulatorContext } from '../context.ts';
import { createWriteContext } from '../fields/write-context.ts';
import { errors } from '../http/errors.ts';
import { type BaseData, findField, tableRecords } from '../model/store.ts';
import type { FieldDef, RecordData, TableDef } from '../model/types.ts';
import {
  applyChanges,
  buildChanges,
  type CellChanges,
  commitTypecastEffects,
  newRecord,
  unlinkEverywhere,
} from './cells.ts';

export const MAX_RECORDS_PER_REQUEST = 10;

export interface WriteOptions {
  typecast: boolean;
  /** PUT: clear every field the request leaves out. */
  replace: boolean;
}

/**
 * Every write validates the whole request first and changes nothing until all of it is
 * valid: a bad record in a batch of ten leaves the base exactly as it was.
 */
export function createRecords(
  ctx: EmulatorContext,
  base: BaseData,
  table: TableDef,
  inputs: unknown[],
  typecast: boolean,
): RecordData[] {
  const wctx = createWriteContext(base, typecast, ctx.ids);
  const planned = inputs.map((input) => buildChanges(table, fieldsOf(input), wctx, undefined, false));
  commitTypecastEffects(ctx, wctx);
  const records = tableRecords(base, table.id);
  const created = planned.map((changes) => {
    const record = newRecord(ctx, base, table);
    records.set(record.id, record);
    applyChanges(ctx, base, table, record, changes);
    return record;
  });
  ctx.store.touch();
  return created;
}

export function updateRecords(
  ctx: EmulatorContext,
  base: BaseData,
  table: TableDef,
  inputs: { id: string; fields: unknown }[],
  options: WriteOptions,
): RecordData[] {
  const records = tableRecords(base, table.id);
  const wctx = createWriteContext(base, options.typecast, ctx.ids);
  const planned = inputs.map(({ id, fields }) => {
    const record = records.get(id);
    if (!record) throw errors.rowDoesNotExist(id);
    return { record, changes: buildChanges(table, fields, wctx, record, options.replace) };
  });
  commitTypecastEffects(ctx, wctx);
  for (const { record, changes } of planned) applyChanges(ctx, base, table, record, changes);
  ctx.store.touch();
  return planned.map((p) => p.record);
}

const MERGEABLE_TYPES = new Set([
  'singleLineText',
  'multilineText',
  'email',
  'url',
  'phoneNumber',
  'number',
  'percent',
  'currency',
  'singleSelect',
  'multipleSelects',
  'date',
  'dateTime',
]);

export interface UpsertResult {
  records: RecordData[];
  createdRecords: string[];
  updatedRecords: string[];
}

function mergeKey(changes: CellChanges, record: RecordData | undefined, mergeFields: FieldDef[]): string {
  return JSON.stringify(mergeFields.map((f) => (record ? record.cells[f.id] : changes.get(f.id)) ?? null));
}

export function upsertRecords(
  ctx: EmulatorContext,
  base: BaseData,
  table: TableDef,
  inputs: { id?: string; fields: unknown }[],
  fieldsToMergeOn: unknown,
  options: WriteOptions,
): UpsertResult {
  if (!Array.isArray(fieldsToMergeOn) || fieldsToMergeOn.length < 1 || fieldsToMergeOn.length > 3) {
    throw errors.invalidRequest(
      'performUpsert.fieldsToMergeOn must be an array of 1 to 3 field names or ids',
    );
  }
  const mergeFields = fieldsToMergeOn.map((name) => {
    if (typeof name !== 'string')
      throw errors.invalidRequest('performUpsert.fieldsToMergeOn must contain strings');
    const field = findField(table, name);
    if (!MERGEABLE_TYPES.has(field.type)) {
      throw errors.invalidRequest(
        `Field "${field.name}" of type ${field.type} cannot be used in fieldsToMergeOn`,
      );
    }
    return field;
  });
  const records = tableRecords(base, table.id);
  const index = new Map<string, RecordData[]>();
  for (const record of records.values()) {
    const key = mergeKey(new Map(), record, mergeFields);
    index.set(key, [...(index.get(key) ?? []), record]);
  }
  const wctx = createWriteContext(base, options.typecast, ctx.ids);
  const newKeys = new Set<string>();
  const planned = inputs.map(({ id, fields }) => {
    if (id !== undefined) {
      const record = records.get(id);
      if (!record) throw errors.rowDoesNotExist(id);
      return { record, changes: buildChanges(table, fields, wctx, record, options.replace) };
    }
    const changes = buildChanges(table, fields, wctx, undefined, false);
    const missing = mergeFields.find((f) => changes.get(f.id) === undefined);
    if (missing) {
      throw errors.invalidRecords(
        `Each record without an "id" needs a value for "${missing.name}", a field of fieldsToMergeOn`,
      );
    }
    const key = mergeKey(changes, undefined, mergeFields);
    const matches = index.get(key) ?? [];
    if (matches.length > 1) throw errors.upsertMultipleMatches(matches.length);
    const match = matches[0];
    if (!match) {
      // Two new records with the same merge values would make the next upsert ambiguous.
      if (newKeys.has(key))
        throw errors.invalidRecords('Two records in this request have the same fieldsToMergeOn values');
      newKeys.add(key);
    }
    if (match && options.replace)
      return { record: match, changes: buildChanges(table, fields, wctx, match, true) };
    return { record: match, changes };
  });
  commitTypecastEffects(ctx, wctx);
  const result: UpsertResult = { records: [], createdRecords: [], updatedRecords: [] };
  for (const plan of planned) {
    let record = plan.record;
    if (record) result.updatedRecords.push(record.id);
    else {
      record = newRecord(ctx, base, table);
      records.set(record.id, record);
      result.createdRecords.push(record.id);
    }
    applyChanges(ctx, base, table, record, plan.changes);
    result.records.push(record);
  }
  ctx.store.touch();
  return result;
}

export function deleteRecords(
  ctx: EmulatorContext,
  base: BaseData,
  table: TableDef,
  ids: string[],
): string[] {
  const records = tableRecords(base, table.id);
  for (const id of ids) if (!records.has(id)) throw errors.recordNotFound();
  const now = ctx.store.nowIso();
  for (const id of ids) {
    records.delete(id);
    base.comments.delete(id);
    unlinkEverywhere(base, table, id, now);
  }
  ctx.store.touch();
  return ids;
}

function fieldsOf(input: unknown): unknown {
  if (typeof input !== 'object' || input === null || !('fields' in input)) throw errors.missingFields();
  return input.fields;
}
