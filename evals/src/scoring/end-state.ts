import type { RunningEmulator } from '@airsuite/airtable-emulator';
import { matchValue } from '../scenario/matchers.ts';
import type { RecordState } from '../scenario/scenario-schema.ts';

export interface StoredRecord {
  id: string;
  fields: Record<string, unknown>;
}

/** Every record of a table as the emulator holds it now (not through the gateway's cache). */
export type ReadTable = (base: string, table: string) => Promise<StoredRecord[]>;

/**
 * Reads a table from the emulator's own state (its admin export), outside Airtable's limits:
 * checking the end state must never spend the budget the agent's calls share, nor earn the
 * next scenario a 30-second penalty.
 */
export function emulatorTableReader(emulator: Pick<RunningEmulator, 'admin'>): ReadTable {
  return async (base, table) => {
    const [exported] = emulator.admin.exportFixture([base]).bases;
    const found = exported?.tables.find((t) => t.name === table || t.id === table);
    if (!found) throw new Error(`the emulator has no table ${table} in base ${base}`);
    // The export keys cells by field id; scenarios name fields as people do.
    const names = new Map(found.fields.map((field) => [field.id ?? field.name, field.name]));
    return (found.records ?? []).map((record) => ({
      id: record.id ?? '',
      fields: Object.fromEntries(
        Object.entries(record.fields).map(([key, value]) => [names.get(key) ?? key, value]),
      ),
    }));
  };
}

/** Reads a table straight from an Airtable-compatible API, every page (spends its rate limit). */
export function apiTableReader(apiUrl: string, token: string): ReadTable {
  return async (base, table) => {
    const records: StoredRecord[] = [];
    let offset: string | undefined;
    do {
      const url = new URL(`${apiUrl}/v0/${base}/${encodeURIComponent(table)}`);
      url.searchParams.set('pageSize', '100');
      if (offset) url.searchParams.set('offset', offset);
      const response = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
      if (!response.ok)
        throw new Error(`reading ${base}/${table}: ${response.status} ${await response.text()}`);
      const page = (await response.json()) as { records: StoredRecord[]; offset?: string };
      records.push(...page.records);
      offset = page.offset;
    } while (offset);
    return records;
  };
}

/** The records whose cells match `where` (each value a matcher on that cell). */
export const pickRecords = (records: readonly StoredRecord[], where: Record<string, unknown>) =>
  records.filter((record) =>
    Object.entries(where).every(([field, want]) => matchValue(want, record.fields[field]).length === 0),
  );

const describe = (state: RecordState) => `${state.table} where ${JSON.stringify(state.where)}`;

/**
 * The end state a scenario asks for, checked against the base itself (τ-bench's DB check):
 * records picked by `where` (each value a matcher on that cell) must exist or not, number
 * `count` when given, and each hold `fields`. One problem per state that does not hold.
 */
export async function checkEndState(read: ReadTable, states: readonly RecordState[]): Promise<string[]> {
  const problems: string[] = [];
  const tables = new Map<string, Promise<StoredRecord[]>>();
  for (const state of states) {
    const key = `${state.base}/${state.table}`;
    if (!tables.has(key)) tables.set(key, read(state.base, state.table));
    const records = await (tables.get(key) as Promise<StoredRecord[]>);
    const picked = pickRecords(records, state.where);
    if (!state.exists && picked.length > 0) {
      problems.push(
        `wrong end state: ${describe(state)} should not exist, found ${picked.map((r) => r.id).join(', ')}`,
      );
      continue;
    }
    if (state.exists && picked.length === 0) {
      problems.push(`wrong end state: no record of ${describe(state)}`);
      continue;
    }
    if (state.count !== undefined && picked.length !== state.count) {
      problems.push(
        `wrong end state: ${describe(state)} matches ${picked.length} records, expected ${state.count}`,
      );
    }
    if (!state.fields) continue;
    for (const record of picked) {
      const mismatches = matchValue({ $subset: state.fields }, record.fields);
      if (mismatches.length > 0) {
        const why = mismatches.map((m) => `${m.path}: ${m.message}`).join('; ');
        problems.push(`wrong end state: ${record.id} (${describe(state)}) ${why}`);
      }
    }
  }
  return problems;
}
