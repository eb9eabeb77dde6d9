import { callEngine, collectPages, type EngineCaller } from './engine-call.ts';
import type {
  BaseSchema,
  BaseSummary,
  CallOptions,
  FieldDefinition,
  FieldSchema,
  NewTable,
  SchemaChange,
  SchemaReadOptions,
  TableSchema,
  WhoAmI,
} from './types.ts';

/** Airtable's metadata API (bases, schema, whoami), called straight through the engine. */
export function metadataApi(caller: EngineCaller) {
  const tables = (baseId: string) => ['meta', 'bases', baseId, 'tables'];
  return {
    whoami: (options: CallOptions = {}) =>
      callEngine<WhoAmI>(caller, { method: 'GET', segments: ['meta', 'whoami'], signal: options.signal }),

    listBases: (options: CallOptions = {}) =>
      collectPages<BaseSummary>(
        (offset) =>
          callEngine(caller, {
            method: 'GET',
            segments: ['meta', 'bases'],
            query: { offset },
            signal: options.signal,
          }),
        'bases',
      ),

    getBaseSchema: (baseId: string, options: SchemaReadOptions = {}) =>
      callEngine<BaseSchema>(caller, {
        method: 'GET',
        segments: tables(baseId),
        signal: options.signal,
        fresh: options.fresh,
      }),

    createTable: (baseId: string, table: NewTable, options: CallOptions = {}) =>
      callEngine<TableSchema>(caller, {
        method: 'POST',
        segments: tables(baseId),
        body: table,
        signal: options.signal,
      }),

    updateTable: (baseId: string, tableIdOrName: string, change: SchemaChange, options: CallOptions = {}) =>
      callEngine<TableSchema>(caller, {
        method: 'PATCH',
        segments: [...tables(baseId), tableIdOrName],
        body: change,
        signal: options.signal,
      }),

    createField: (baseId: string, tableId: string, field: FieldDefinition, options: CallOptions = {}) =>
      callEngine<FieldSchema>(caller, {
        method: 'POST',
        segments: [...tables(baseId), tableId, 'fields'],
        body: field,
        signal: options.signal,
      }),

    updateField: (
      baseId: string,
      tableId: string,
      fieldId: string,
      change: SchemaChange,
      options: CallOptions = {},
    ) =>
      callEngine<FieldSchema>(caller, {
        method: 'PATCH',
        segments: [...tables(baseId), tableId, 'fields', fieldId],
        body: change,
        signal: options.signal,
      }),
  };
}
