import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  type ApiRecord,
  expectError,
  fieldNamed,
  json,
  SALES_CRM_BASE_ID,
  type SchemaField,
  schemaTable,
  send,
} from './http-test-helpers.ts';
import { startTestEmulator, type TestEmulator } from './test-support.ts';

// The metadata API for fields: what Airtable lets the API create and change.

const B = SALES_CRM_BASE_ID;
const TABLES = `/v0/meta/bases/${B}/tables`;

let t: TestEmulator;

beforeAll(async () => {
  t = await startTestEmulator();
});
afterAll(() => t.close());
beforeEach(async () => {
  await json(await t.admin('/reset', { body: { seed: 'sample' } }));
});

const createField = (tableId: string, body: unknown) =>
  t.api(`${TABLES}/${tableId}/fields`, send('POST', body));
const allValues = async (table: string, field: string) => {
  const { records } = await json<{ records: ApiRecord[] }>(
    await t.api(`/v0/${B}/${table}?fields[]=${encodeURIComponent(field)}&returnFieldsByFieldId=false`),
  );
  return records.map((r) => [r.id, r.fields[field]]);
};

describe('POST .../tables/:table/fields', () => {
  it('adds a field that records can use at once', async () => {
    const deals = await schemaTable(t, B, 'Deals');
    const field = await json<SchemaField>(
      await createField(deals.id, {
        name: 'Discount',
        type: 'percent',
        description: 'Off list',
        options: { precision: 1 },
      }),
    );
    expect(field).toEqual({
      id: expect.stringMatching(/^fld/),
      name: 'Discount',
      type: 'percent',
      description: 'Off list',
      options: { precision: 1 },
    });
    const created = await json<ApiRecord>(
      await t.api(`/v0/${B}/Deals`, send('POST', { fields: { 'Deal Name': 'D', Discount: 0.15 } })),
    );
    expect(created.fields.Discount).toBe(0.15);
  });

  it.each(['formula', 'autoNumber', 'createdTime', 'lastModifiedTime'])(
    'refuses computed type %s with UNSUPPORTED_FIELD_TYPE_FOR_CREATE',
    async (type) => {
      await expectError(
        await createField('Deals', { name: 'Computed', type, options: {} }),
        422,
        'UNSUPPORTED_FIELD_TYPE_FOR_CREATE',
      );
    },
  );

  it.each([
    ['number without precision', { name: 'N', type: 'number' }, 'INVALID_FIELD_TYPE_OPTIONS_FOR_CREATE'],
    [
      'currency without symbol',
      { name: 'N', type: 'currency', options: { precision: 2 } },
      'INVALID_FIELD_TYPE_OPTIONS_FOR_CREATE',
    ],
    [
      'a select without choices',
      { name: 'N', type: 'singleSelect' },
      'INVALID_FIELD_TYPE_OPTIONS_FOR_CREATE',
    ],
    [
      'a link without linkedTableId',
      { name: 'N', type: 'multipleRecordLinks', options: {} },
      'INVALID_FIELD_TYPE_OPTIONS_FOR_CREATE',
    ],
    [
      'a link to another base',
      { name: 'N', type: 'multipleRecordLinks', options: { linkedTableId: 'tblAAAAAAAAAAAAAA' } },
      'INVALID_FIELD_TYPE_OPTIONS_FOR_CREATE',
    ],
    [
      'precision 9',
      { name: 'N', type: 'number', options: { precision: 9 } },
      'INVALID_FIELD_TYPE_OPTIONS_FOR_CREATE',
    ],
    ['an unknown type', { name: 'N', type: 'hologram' }, 'INVALID_FIELD_TYPE'],
    ['a taken name', { name: 'amount', type: 'singleLineText' }, 'DUPLICATE_OR_EMPTY_FIELD_NAME'],
  ])('refuses %s with 422', async (_label, body, type) => {
    await expectError(await createField('Deals', body), 422, type);
  });
});

describe('PATCH .../tables/:table/fields/:field', () => {
  it('renaming a field keeps formula fields and view filters working', async () => {
    const deals = await schemaTable(t, B, 'Deals');
    const amount = fieldNamed(deals, 'Amount');
    const weighted = await allValues('Deals', 'Weighted Amount');
    const isBig = await allValues('Deals', 'Is Big');
    const bigDeals = await json<{ records: ApiRecord[] }>(await t.api(`/v0/${B}/Deals?view=Big%20deals`));

    const renamed = await json<SchemaField>(
      await t.api(`${TABLES}/${deals.id}/fields/${amount.id}`, send('PATCH', { name: 'Deal Value' })),
    );
    expect(renamed).toEqual({ ...amount, name: 'Deal Value' });

    expect(await allValues('Deals', 'Weighted Amount')).toEqual(weighted);
    expect(await allValues('Deals', 'Is Big')).toEqual(isBig);
    const after = await schemaTable(t, B, 'Deals');
    expect(fieldNamed(after, 'Weighted Amount').options).toEqual(
      fieldNamed(deals, 'Weighted Amount').options,
    );
    const viewAfter = await json<{ records: ApiRecord[] }>(await t.api(`/v0/${B}/Deals?view=Big%20deals`));
    expect(viewAfter.records.map((r) => r.id)).toEqual(bigDeals.records.map((r) => r.id));
    expect(viewAfter.records[0]?.fields['Deal Value']).toBe(bigDeals.records[0]?.fields.Amount);
    await expectError(
      await t.api(`/v0/${B}/Deals`, send('POST', { fields: { Amount: 1 } })),
      422,
      'UNKNOWN_FIELD_NAME',
    );
  });

  it('sets and clears a description', async () => {
    const deals = await schemaTable(t, B, 'Deals');
    const stage = fieldNamed(deals, 'Stage');
    const described = await json<SchemaField>(
      await t.api(
        `${TABLES}/${deals.id}/fields/${stage.id}`,
        send('PATCH', { description: 'Pipeline step' }),
      ),
    );
    expect(described.description).toBe('Pipeline step');
    const cleared = await json<SchemaField>(
      await t.api(`${TABLES}/${deals.id}/fields/${stage.id}`, send('PATCH', { description: '' })),
    );
    expect(cleared).not.toHaveProperty('description');
  });

  it('refuses a taken name, a type change and an unknown field', async () => {
    const deals = await schemaTable(t, B, 'Deals');
    const stage = fieldNamed(deals, 'Stage').id;
    await expectError(
      await t.api(`${TABLES}/${deals.id}/fields/${stage}`, send('PATCH', { name: 'Owner' })),
      422,
      'DUPLICATE_OR_EMPTY_FIELD_NAME',
    );
    await expectError(
      await t.api(`${TABLES}/${deals.id}/fields/${stage}`, send('PATCH', { type: 'singleLineText' })),
      422,
      'INVALID_REQUEST_UNKNOWN',
    );
    await expectError(
      await t.api(`${TABLES}/${deals.id}/fields/fldAAAAAAAAAAAAAA`, send('PATCH', { name: 'X' })),
      422,
      'UNKNOWN_FIELD_NAME',
    );
  });
});
