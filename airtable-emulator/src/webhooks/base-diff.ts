import type { BaseData } from '../model/store.ts';
import type { CellValue, FieldDef, RecordData, TableDef } from '../model/types.ts';
import type { BaseSnapshot, TableSnapshot } from './base-snapshot.ts';
import type { CellConverter } from './cell-values-v2.ts';

export type CellValues = Record<string, unknown>;

export interface FieldInfo {
  name: string;
  type: string;
}

export interface TableInfo {
  name: string;
  description?: string | null;
}

export interface CreatedRecord {
  createdTime: string;
  cellValuesByFieldId: CellValues;
}

/** The changed cells of one record: now (null when cleared), before (null when empty), the rest now. */
export interface ChangedRecord {
  current: CellValues;
  previous: CellValues;
  unchanged: CellValues;
}

export interface TableChanges {
  changedMetadata?: { current: TableInfo; previous: TableInfo };
  createdFieldsById: Record<string, FieldInfo>;
  changedFieldsById: Record<string, { current: Partial<FieldInfo>; previous: Partial<FieldInfo> }>;
  destroyedFieldIds: string[];
  createdRecordsById: Record<string, CreatedRecord>;
  changedRecordsById: Record<string, ChangedRecord>;
  destroyedRecordIds: string[];
}

export interface CreatedTable {
  metadata: TableInfo;
  fieldsById: Record<string, FieldInfo>;
  recordsById: Record<string, CreatedRecord>;
}

/** Everything one request changed in a base, before any webhook's filters. */
export interface ChangeSet {
  createdTablesById: Record<string, CreatedTable>;
  destroyedTableIds: string[];
  changedTablesById: Record<string, TableChanges>;
}

export function isEmptyChangeSet(changes: ChangeSet): boolean {
  return (
    Object.keys(changes.createdTablesById).length === 0 &&
    changes.destroyedTableIds.length === 0 &&
    Object.keys(changes.changedTablesById).length === 0
  );
}

const sameCell = (a: CellValue | undefined, b: CellValue | undefined) =>
  a === b || (typeof a === 'object' && JSON.stringify(a) === JSON.stringify(b));

/** Compares a base with its snapshot from before a request: what the request changed. */
export function diffBase(before: BaseSnapshot, base: BaseData, convert: CellConverter): ChangeSet {
  const changes: ChangeSet = { createdTablesById: {}, destroyedTableIds: [], changedTablesById: {} };
  for (const table of base.tables) {
    const old = before.get(table.id);
    if (!old) {
      changes.createdTablesById[table.id] = createdTable(table, recordsOf(base, table), convert);
      continue;
    }
    const tableChanges = diffTable(old, table, recordsOf(base, table), convert);
    if (tableChanges) changes.changedTablesById[table.id] = tableChanges;
  }
  for (const id of before.keys())
    if (!base.tables.some((t) => t.id === id)) changes.destroyedTableIds.push(id);
  return changes;
}

function recordsOf(base: BaseData, table: TableDef): Map<string, RecordData> {
  return base.records.get(table.id) ?? new Map();
}

function tableInfo(t: { name: string; description?: string }): TableInfo {
  return t.description === undefined ? { name: t.name } : { name: t.name, description: t.description };
}

function createdTable(
  table: TableDef,
  records: Map<string, RecordData>,
  convert: CellConverter,
): CreatedTable {
  const recordsById: Record<string, CreatedRecord> = {};
  for (const r of records.values()) recordsById[r.id] = createdRecord(table, r, convert);
  return {
    metadata: tableInfo(table),
    fieldsById: Object.fromEntries(table.fields.map((f) => [f.id, { name: f.name, type: f.type }])),
    recordsById,
  };
}

function createdRecord(table: TableDef, record: RecordData, convert: CellConverter): CreatedRecord {
  const cellValuesByFieldId: CellValues = {};
  for (const [fieldId, value] of Object.entries(record.cells))
    cellValuesByFieldId[fieldId] = convert(fieldOf(table, fieldId), value);
  return { createdTime: record.createdTime, cellValuesByFieldId };
}

const fieldOf = (table: TableDef, id: string): FieldDef | undefined => table.fields.find((f) => f.id === id);

function diffTable(
  old: TableSnapshot,
  table: TableDef,
  records: Map<string, RecordData>,
  convert: CellConverter,
): TableChanges | undefined {
  const changes: TableChanges = {
    createdFieldsById: {},
    changedFieldsById: {},
    destroyedFieldIds: [],
    createdRecordsById: {},
    changedRecordsById: {},
    destroyedRecordIds: [],
  };
  if (old.name !== table.name || old.description !== table.description) {
    const described = old.description !== undefined || table.description !== undefined;
    const info = (t: { name: string; description?: string }) =>
      described ? { name: t.name, description: t.description ?? null } : { name: t.name };
    changes.changedMetadata = { current: info(table), previous: info(old) };
  }
  diffFields(old, table, changes);
  for (const record of records.values()) {
    const was = old.records.get(record.id);
    if (!was) changes.createdRecordsById[record.id] = createdRecord(table, record, convert);
    else {
      const changed = diffRecord(table, was.cells, record.cells, convert);
      if (changed) changes.changedRecordsById[record.id] = changed;
    }
  }
  for (const id of old.records.keys()) if (!records.has(id)) changes.destroyedRecordIds.push(id);
  const empty =
    !changes.changedMetadata &&
    changes.destroyedFieldIds.length === 0 &&
    changes.destroyedRecordIds.length === 0 &&
    [
      changes.createdFieldsById,
      changes.changedFieldsById,
      changes.createdRecordsById,
      changes.changedRecordsById,
    ].every((m) => Object.keys(m).length === 0);
  return empty ? undefined : changes;
}

/** Fields by name and type: Airtable's field change payloads carry only those two. */
function diffFields(old: TableSnapshot, table: TableDef, changes: TableChanges): void {
  for (const field of table.fields) {
    const was = old.fields.get(field.id);
    if (!was) {
      changes.createdFieldsById[field.id] = { name: field.name, type: field.type };
      continue;
    }
    const current: Partial<FieldInfo> = {};
    const previous: Partial<FieldInfo> = {};
    if (was.name !== field.name) [current.name, previous.name] = [field.name, was.name];
    if (was.type !== field.type) [current.type, previous.type] = [field.type, was.type];
    if (Object.keys(current).length > 0) changes.changedFieldsById[field.id] = { current, previous };
  }
  for (const id of old.fields.keys())
    if (!table.fields.some((f) => f.id === id)) changes.destroyedFieldIds.push(id);
}

function diffRecord(
  table: TableDef,
  before: Record<string, CellValue>,
  after: Record<string, CellValue>,
  convert: CellConverter,
): ChangedRecord | undefined {
  const changed: ChangedRecord = { current: {}, previous: {}, unchanged: {} };
  for (const fieldId of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const field = fieldOf(table, fieldId);
    const [was, now] = [before[fieldId], after[fieldId]];
    const value = (v: CellValue | undefined) => (v === undefined ? null : convert(field, v));
    if (sameCell(was, now)) {
      if (now !== undefined) changed.unchanged[fieldId] = value(now);
      continue;
    }
    changed.current[fieldId] = value(now);
    changed.previous[fieldId] = value(was);
  }
  return Object.keys(changed.current).length === 0 ? undefined : changed;
}
