import type { BaseData } from '../model/store.ts';
import type { CellValue, FieldType } from '../model/types.ts';

export interface FieldSnapshot {
  name: string;
  type: FieldType;
}

export interface RecordSnapshot {
  createdTime: string;
  cells: Record<string, CellValue>;
}

export interface TableSnapshot {
  name: string;
  description?: string;
  primaryFieldId: string;
  fields: Map<string, FieldSnapshot>;
  records: Map<string, RecordSnapshot>;
}

/** Tables by id. */
export type BaseSnapshot = Map<string, TableSnapshot>;

/**
 * What a base holds before a change, to diff against after it. Writes replace cell values and
 * field objects rather than mutating them, so a shallow copy of each record's cells is enough.
 */
export function snapshotBase(base: BaseData): BaseSnapshot {
  const snapshot: BaseSnapshot = new Map();
  for (const table of base.tables) {
    const records = new Map<string, RecordSnapshot>();
    for (const record of base.records.get(table.id)?.values() ?? [])
      records.set(record.id, { createdTime: record.createdTime, cells: { ...record.cells } });
    snapshot.set(table.id, {
      name: table.name,
      ...(table.description === undefined ? {} : { description: table.description }),
      primaryFieldId: table.primaryFieldId,
      fields: new Map(table.fields.map((f) => [f.id, { name: f.name, type: f.type }])),
      records,
    });
  }
  return snapshot;
}
