import Airtable from 'airtable';
import { afterAll, beforeAll } from 'vitest';
import { SALES_CRM_BASE_ID, sampleFixture } from './seed/sample/index.ts';
import { startTestEmulator, TEST_TOKEN, type TestEmulator } from './test-support.ts';

/** Shared setup for the `airtable-client-*.test.ts` specs, which drive the emulator through airtable.js. */

export type Fields = Airtable.FieldSet;

/** Deal stages in the Stage field's choice order (the order Airtable sorts them in). */
export const STAGE_ORDER = ['Lead', 'Qualified', 'Proposal', 'Negotiation', 'Closed Won', 'Closed Lost'];

/** An airtable.js base pointed at the emulator; never retries a 429, so rate limits surface as errors. */
export function clientBase(emulator: TestEmulator, baseId: string, apiKey = TEST_TOKEN): Airtable.Base {
  return new Airtable({ apiKey, endpointUrl: emulator.url, noRetryIfRateLimited: true }).base(baseId);
}

export interface SalesCrmClient {
  emulator(): TestEmulator;
  base(): Airtable.Base;
  table(name: string): Airtable.Table<Fields>;
}

/** Starts one sample emulator for the calling test file (beforeAll/afterAll) with a client on the Sales CRM base. */
export function useSalesCrmClient(): SalesCrmClient {
  let emulator: TestEmulator | undefined;
  let base: Airtable.Base | undefined;
  beforeAll(async () => {
    emulator = await startTestEmulator();
    base = clientBase(emulator, SALES_CRM_BASE_ID);
  });
  afterAll(async () => {
    await emulator?.close();
  });
  const ready = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('useSalesCrmClient: used outside a test');
    return value;
  };
  return {
    emulator: () => ready(emulator),
    base: () => ready(base),
    table: (name) => ready(base)<Fields>(name),
  };
}

/** The sample's records of a Sales CRM table, as the fixture defines them (the expected data). */
export function sampleRecords(tableName: string) {
  const table = sampleFixture()
    .bases.find((b) => b.id === SALES_CRM_BASE_ID)
    ?.tables.find((t) => t.name === tableName);
  if (!table) throw new Error(`sample table ${tableName} missing`);
  return table.records ?? [];
}

export const ids = (records: readonly { id?: string }[]): string[] => records.map((r) => String(r.id));

export function isSortedBy<T>(values: T[], compare: (a: T, b: T) => number): boolean {
  return values.every((v, i) => i === 0 || compare(values[i - 1] as T, v) <= 0);
}
