import type { EmulatorContext } from '../context.ts';
import { readerFor } from '../context.ts';
import { type BaseData, tableById, tableRecords } from '../model/store.ts';
import type { CellValue, FieldDef, SelectChoice } from '../model/types.ts';
import type { BaseSnapshot } from './base-snapshot.ts';

/**
 * Cell values as webhook payloads carry them (Airtable's "V2" cell format): selects as
 * `{id, name, color}`, links as `{id, name}` (the linked record's primary text); other types as
 * the REST API returns them.
 */
export type CellConverter = (field: FieldDef | undefined, value: CellValue) => unknown;

export function cellConverter(ctx: EmulatorContext, base: BaseData, before: BaseSnapshot): CellConverter {
  const linkName = (linkedTableId: string, recordId: string): string | undefined => {
    const table = tableById(base, linkedTableId);
    const record = table ? tableRecords(base, table.id).get(recordId) : undefined;
    if (table && record) return readerFor(ctx, base, table).primaryText(table, record);
    // A record destroyed by this change: its primary cell as it was.
    const gone = before.get(linkedTableId);
    const cell = gone?.records.get(recordId)?.cells[gone.primaryFieldId];
    return typeof cell === 'string' || typeof cell === 'number' ? String(cell) : undefined;
  };
  return (field, value) => {
    if (!field) return structuredClone(value);
    if (field.type === 'singleSelect' && typeof value === 'string') return choice(field, value);
    if (field.type === 'multipleSelects' && Array.isArray(value))
      return (value as string[]).map((name) => choice(field, name));
    if (field.type === 'multipleRecordLinks' && Array.isArray(value)) {
      const linkedTableId = String(field.options?.linkedTableId ?? '');
      return (value as string[]).map((id) => {
        const name = linkName(linkedTableId, id);
        return name === undefined ? { id } : { id, name };
      });
    }
    return structuredClone(value);
  };
}

function choice(field: FieldDef, name: string): Partial<SelectChoice> {
  const choices = (field.options?.choices ?? []) as SelectChoice[];
  const found = choices.find((c) => c.name === name);
  return found ? { ...found } : { name };
}
