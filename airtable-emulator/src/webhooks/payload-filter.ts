import type { BaseData } from '../model/store.ts';
import type { CellValues, ChangedRecord, ChangeSet, CreatedTable, TableChanges } from './base-diff.ts';
import { scopeTable, type WebhookSpecification } from './specification.ts';
import type { ChangeSource } from './types.ts';

type Json = Record<string, unknown>;

interface Filter {
  data: boolean;
  fields: boolean;
  metadata: boolean;
  add: boolean;
  remove: boolean;
  update: boolean;
  spec: WebhookSpecification['options'];
}

const nonEmpty = (value: Json | unknown[]) =>
  Array.isArray(value) ? value.length > 0 : Object.keys(value).length > 0;

/** Sets `out[key] = value` when the value has anything in it, as Airtable leaves empty parts out. */
function put(out: Json, key: string, value: Json | unknown[]): void {
  if (nonEmpty(value)) out[key] = value;
}

/**
 * The part of a change set one webhook asks for (dataTypes, changeTypes, recordChangeScope,
 * fromSources, watchDataInFieldIds, watchSchemasOfFieldIds, includes), in the payload's shape;
 * undefined when nothing in it matches, so the webhook gets no payload for this change.
 */
export function filterChanges(
  changes: ChangeSet,
  base: BaseData,
  spec: WebhookSpecification,
  source: ChangeSource,
): Json | undefined {
  const { filters } = spec.options;
  if (filters.fromSources && !filters.fromSources.includes(source)) return undefined;
  const changeTypes = filters.changeTypes ?? ['add', 'remove', 'update'];
  const filter: Filter = {
    data: filters.dataTypes.includes('tableData'),
    fields: filters.dataTypes.includes('tableFields'),
    metadata: filters.dataTypes.includes('tableMetadata'),
    add: changeTypes.includes('add'),
    remove: changeTypes.includes('remove'),
    update: changeTypes.includes('update'),
    spec: spec.options,
  };
  // A view scope watches its table: the emulator does not report records entering or leaving views.
  const scope = filters.recordChangeScope ? scopeTable(base, filters.recordChangeScope)?.id : undefined;
  const out: Json = {};
  const changed: Json = {};
  for (const [tableId, tableChanges] of Object.entries(changes.changedTablesById)) {
    if (scope && tableId !== scope) continue;
    put(changed, tableId, tableEntry(tableChanges, filter));
  }
  put(out, 'changedTablesById', changed);
  if (!scope && filter.add) {
    const created: Json = {};
    for (const [tableId, table] of Object.entries(changes.createdTablesById))
      put(created, tableId, createdTableEntry(table, filter));
    put(out, 'createdTablesById', created);
  }
  if (!scope && filter.metadata && filter.remove) put(out, 'destroyedTableIds', changes.destroyedTableIds);
  return nonEmpty(out) ? out : undefined;
}

function tableEntry(changes: TableChanges, filter: Filter): Json {
  const entry: Json = {};
  const { filters, includes } = filter.spec;
  if (filter.data) {
    if (filter.add) put(entry, 'createdRecordsById', structuredClone(changes.createdRecordsById));
    if (filter.update) {
      const watched = filters.watchDataInFieldIds;
      const records: Json = {};
      for (const [id, record] of Object.entries(changes.changedRecordsById)) {
        if (watched && !Object.keys(record.current).some((f) => watched.includes(f))) continue;
        records[id] = changedRecordEntry(record, includes);
      }
      put(entry, 'changedRecordsById', records);
    }
    if (filter.remove) put(entry, 'destroyedRecordIds', [...changes.destroyedRecordIds]);
  }
  if (filter.fields) {
    const watched = filters.watchSchemasOfFieldIds;
    const isWatched = (id: string) => !watched || watched.includes(id);
    if (filter.add && !watched) put(entry, 'createdFieldsById', structuredClone(changes.createdFieldsById));
    if (filter.update) {
      const fields: Json = {};
      for (const [id, field] of Object.entries(changes.changedFieldsById)) {
        if (!isWatched(id)) continue;
        fields[id] = includes?.includePreviousFieldDefinitions
          ? structuredClone(field)
          : { current: { ...field.current } };
      }
      put(entry, 'changedFieldsById', fields);
    }
    if (filter.remove) put(entry, 'destroyedFieldIds', changes.destroyedFieldIds.filter(isWatched));
  }
  if (filter.metadata && filter.update && changes.changedMetadata)
    entry.changedMetadata = structuredClone(changes.changedMetadata);
  return entry;
}

function changedRecordEntry(
  record: ChangedRecord,
  includes: WebhookSpecification['options']['includes'],
): Json {
  const entry: Json = { current: { cellValuesByFieldId: structuredClone(record.current) } };
  if (includes?.includePreviousCellValues)
    entry.previous = { cellValuesByFieldId: structuredClone(record.previous) };
  const wanted = includes?.includeCellValuesInFieldIds;
  if (wanted) {
    const unchanged: CellValues = {};
    for (const [fieldId, value] of Object.entries(record.unchanged))
      if (wanted === 'all' || wanted.includes(fieldId)) unchanged[fieldId] = structuredClone(value);
    if (nonEmpty(unchanged)) entry.unchanged = { cellValuesByFieldId: unchanged };
  }
  return entry;
}

function createdTableEntry(table: CreatedTable, filter: Filter): Json {
  const entry: Json = {};
  if (filter.metadata) entry.metadata = { ...table.metadata };
  if (filter.fields) put(entry, 'fieldsById', structuredClone(table.fieldsById));
  if (filter.data) put(entry, 'recordsById', structuredClone(table.recordsById));
  return entry;
}
