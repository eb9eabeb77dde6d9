import type Airtable from 'airtable';
import { describe, expect, it } from 'vitest';
import { type Fields, useSalesCrmClient } from './airtable-client-kit.ts';
import { SALES_CRM_BASE_ID } from './seed/sample/index.ts';

// Upsert (PATCH with performUpsert) through the official airtable.js client, and its
// createdRecords/updatedRecords through raw HTTP because the client drops them.

const t = useSalesCrmClient();
const deals = () => t.table('Deals');

/** A unique name, so records a test creates never collide with the sample or each other. */
let counter = 0;
const unique = (label: string) => `${label} #${++counter}`;

describe('upsert', () => {
  /** airtable.js sends these options as they are, but its types know neither id-less records nor performUpsert. */
  type UpsertCall = (
    records: { fields: Fields }[],
    options: { performUpsert: { fieldsToMergeOn: string[] } },
  ) => Promise<Airtable.Records<Fields>>;
  const upsertViaClient: UpsertCall = (records, options) =>
    (deals().update as unknown as UpsertCall)(records, options);

  const upsert = (records: { fields: Fields }[]) =>
    t.emulator().api(`/v0/${SALES_CRM_BASE_ID}/Deals`, {
      method: 'PATCH',
      body: JSON.stringify({ records, performUpsert: { fieldsToMergeOn: ['Deal Name'] } }),
    });

  it('through the client, updates the matching record instead of duplicating it and creates the rest', async () => {
    const existingName = unique('Upsert existing');
    const newName = unique('Upsert new');
    const existing = await deals().create({ 'Deal Name': existingName, Amount: 5, Owner: 'Ada Lovelace' });

    const result = await upsertViaClient(
      [{ fields: { 'Deal Name': existingName, Amount: 6 } }, { fields: { 'Deal Name': newName, Amount: 7 } }],
      { performUpsert: { fieldsToMergeOn: ['Deal Name'] } },
    );

    expect(result.map((r) => r.get('Amount'))).toEqual([6, 7]);
    expect(result[0]?.id).toBe(existing.id);
    expect(result[0]?.get('Owner')).toBe('Ada Lovelace');
    const named = await deals()
      .select({ filterByFormula: `OR({Deal Name} = '${existingName}', {Deal Name} = '${newName}')` })
      .all();
    expect(named).toHaveLength(2);
  });

  it('reports createdRecords and updatedRecords', async () => {
    const existingName = unique('Upsert raw existing');
    const newName = unique('Upsert raw new');
    const existing = await deals().create({ 'Deal Name': existingName });

    const res = await upsert([
      { fields: { 'Deal Name': newName, Amount: 1 } },
      { fields: { 'Deal Name': existingName, Amount: 2 } },
    ]);
    const body = (await res.json()) as {
      records: { id: string }[];
      createdRecords: string[];
      updatedRecords: string[];
    };

    expect(res.status).toBe(200);
    expect(body.updatedRecords).toEqual([existing.id]);
    expect(body.createdRecords).toEqual([body.records[0]?.id]);
    expect(body.records[1]?.id).toBe(existing.id);
  });

  it('fails the whole request when a merge value matches several records', async () => {
    const name = unique('Upsert twice');
    await deals().create([{ fields: { 'Deal Name': name } }, { fields: { 'Deal Name': name } }]);

    const res = await upsert([{ fields: { 'Deal Name': name, Amount: 3 } }]);

    expect(res.status).toBe(422);
    expect(((await res.json()) as { error: { type: string } }).error.type).toBe('INVALID_RECORDS');
  });
});
