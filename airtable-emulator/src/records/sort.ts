import type { RecordReader } from '../fields/record-reader.ts';
import { selectChoices } from '../fields/write-context.ts';
import { FormulaError, type FormulaValue, formatFormulaValue } from '../formula/index.ts';
import type { FieldDef, RecordData } from '../model/types.ts';

export interface ResolvedSort {
  field: FieldDef;
  direction: 'asc' | 'desc';
}

type SortKey = null | number | string;

/** A comparable key: selects by choice order (as Airtable sorts them), numbers and dates numerically. */
function sortKey(reader: RecordReader, field: FieldDef, record: RecordData): SortKey {
  if (field.type === 'singleSelect') {
    const name = record.cells[field.id];
    if (name === undefined) return null;
    const index = selectChoices(field).findIndex((c) => c.name === name);
    return index === -1 ? Number.MAX_SAFE_INTEGER : index;
  }
  return keyOf(reader.formulaValue(field, record));
}

function keyOf(value: FormulaValue): SortKey {
  if (value === null || value instanceof FormulaError) return null;
  if (typeof value === 'number') return Number.isNaN(value) ? null : value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value instanceof Date) return value.getTime();
  const text = formatFormulaValue(value);
  return text === '' ? null : text.toLowerCase();
}

function compareKeys(a: SortKey, b: SortKey): number {
  // Empty cells come first in ascending order, as in Airtable.
  if (a === null || b === null) return a === b ? 0 : a === null ? -1 : 1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a).localeCompare(String(b), 'en', { numeric: true });
}

/** Sorts records by several fields; ties keep their existing order (stable). */
export function sortRecords(
  reader: RecordReader,
  records: RecordData[],
  sorts: ResolvedSort[],
): RecordData[] {
  if (sorts.length === 0) return records;
  const keyed = records.map((record) => ({
    record,
    keys: sorts.map((s) => sortKey(reader, s.field, record)),
  }));
  keyed.sort((x, y) => {
    for (let i = 0; i < sorts.length; i++) {
      const c = compareKeys(x.keys[i] as SortKey, y.keys[i] as SortKey);
      if (c !== 0) return sorts[i]?.direction === 'desc' ? -c : c;
    }
    return 0;
  });
  return keyed.map((k) => k.record);
}
