import { errors } from '../http/errors.ts';
import type { IdGenerator } from './ids.ts';
import type { CommentData, FieldDef, PermissionLevel, RecordData, TableDef, ViewDef } from './types.ts';

export interface EmulatorUser {
  id: string;
  email: string;
  name?: string;
}

export interface BaseData {
  id: string;
  name: string;
  permissionLevel: PermissionLevel;
  tables: TableDef[];
  /** Records per table id, in creation order (Map keeps insertion order). */
  records: Map<string, Map<string, RecordData>>;
  /** Comments per record id, oldest first. */
  comments: Map<string, CommentData[]>;
  /** The last autoNumber handed out, per autoNumber field id. */
  autoNumbers: Map<string, number>;
}

export interface StoreOptions {
  ids: IdGenerator;
  now: () => Date;
}

/**
 * The emulator's data: users, bases, tables, records and comments. Pure in-memory state
 * with lookups that raise Airtable's errors; HTTP, auth and persistence live elsewhere.
 * `version` counts changes so persistence knows when to write.
 */
export class EmulatorStore {
  readonly users = new Map<string, EmulatorUser>();
  readonly bases = new Map<string, BaseData>();
  readonly ids: IdGenerator;
  readonly now: () => Date;
  version = 0;

  constructor(options: StoreOptions) {
    this.ids = options.ids;
    this.now = options.now;
  }

  nowIso(): string {
    return this.now().toISOString();
  }

  touch(): void {
    this.version++;
  }

  clear(): void {
    this.bases.clear();
    this.touch();
  }

  addBase(base: Omit<BaseData, 'records' | 'comments' | 'autoNumbers'>): BaseData {
    const data: BaseData = { ...base, records: new Map(), comments: new Map(), autoNumbers: new Map() };
    for (const table of base.tables) data.records.set(table.id, new Map());
    this.bases.set(base.id, data);
    this.touch();
    return data;
  }

  /** Unknown bases are a bare 404, as Airtable answers. */
  base(baseId: string): BaseData {
    const base = this.bases.get(baseId);
    if (!base) throw errors.notFound();
    return base;
  }
}

/** A table by id, or by exact name, then by case-insensitive name; unknown tables are Airtable's 403. */
export function findTable(base: BaseData, idOrName: string): TableDef {
  const table =
    base.tables.find((t) => t.id === idOrName || t.name === idOrName) ??
    base.tables.find((t) => t.name.toLowerCase() === idOrName.toLowerCase());
  if (!table) throw errors.modelNotFound();
  return table;
}

export function tableRecords(base: BaseData, tableId: string): Map<string, RecordData> {
  let records = base.records.get(tableId);
  if (!records) {
    records = new Map();
    base.records.set(tableId, records);
  }
  return records;
}

/** A field by id or name (exact, then case-insensitive), or undefined. */
export function lookupField(table: TableDef, idOrName: string): FieldDef | undefined {
  return (
    table.fields.find((f) => f.id === idOrName || f.name === idOrName) ??
    table.fields.find((f) => f.name.toLowerCase() === idOrName.toLowerCase())
  );
}

export function findField(table: TableDef, idOrName: string): FieldDef {
  const field = lookupField(table, idOrName);
  if (!field) throw errors.unknownField(idOrName);
  return field;
}

export function findView(table: TableDef, idOrName: string): ViewDef {
  const view = table.views.find((v) => v.id === idOrName || v.name === idOrName);
  if (!view) throw errors.viewNotFound(idOrName);
  return view;
}

export function primaryField(table: TableDef): FieldDef {
  return table.fields.find((f) => f.id === table.primaryFieldId) ?? (table.fields[0] as FieldDef);
}

/** Finds the table that holds a field id anywhere in the base (for link targets). */
export function tableById(base: BaseData, tableId: string): TableDef | undefined {
  return base.tables.find((t) => t.id === tableId);
}
