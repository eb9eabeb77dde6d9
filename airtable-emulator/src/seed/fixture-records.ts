import type { Fixture } from './fixture-schema.ts';

/** A record of an exported fixture with its cells keyed by field name, as a person reads them. */
export interface NamedRecord {
  id: string;
  fields: Record<string, unknown>;
}

/**
 * The records of one table of a fixture (an export keys cells by field id), for checks that
 * read the emulator's state through its admin export: it is not rate-limited, so a check
 * never takes budget from the calls it is checking.
 */
export function tableRecords(fixture: Fixture, baseId: string, tableName: string): NamedRecord[] {
  const table = fixture.bases.find((b) => b.id === baseId)?.tables.find((t) => t.name === tableName);
  if (!table) return [];
  const names = new Map(table.fields.map((f) => [f.id ?? f.name, f.name]));
  return (table.records ?? []).map((record) => ({
    id: record.id ?? '',
    fields: Object.fromEntries(
      Object.entries(record.fields ?? {}).map(([key, value]) => [names.get(key) ?? key, value]),
    ),
  }));
}
