import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  type ApiRecord,
  expectBareNotFound,
  expectError,
  fieldNamed,
  json,
  PRODUCT_ROADMAP_BASE_ID,
  SALES_CRM_BASE_ID,
  type SchemaField,
  type SchemaTable,
  schemaTable,
  send,
} from './http-test-helpers.ts';
import { startTestEmulator, type TestEmulator } from './test-support.ts';

// The metadata API: bases, schema, and creating or changing tables.

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

const createTable = (body: unknown) => t.api(TABLES, send('POST', body));

describe('GET /v0/meta/bases', () => {
  it('lists every base with its permission level, and no offset on the only page', async () => {
    const readOnly = {
      name: 'Read Only',
      permissionLevel: 'read',
      tables: [{ name: 'T', fields: [{ name: 'N', type: 'singleLineText' }] }],
    };
    const { baseIds } = await json<{ baseIds: string[] }>(
      await t.admin('/bases', { body: { bases: [readOnly] } }),
    );
    expect(await json(await t.api('/v0/meta/bases'))).toEqual({
      bases: [
        { id: B, name: 'Sales CRM', permissionLevel: 'create' },
        { id: PRODUCT_ROADMAP_BASE_ID, name: 'Product Roadmap', permissionLevel: 'create' },
        { id: baseIds[0], name: 'Read Only', permissionLevel: 'read' },
      ],
    });
  });
});

describe('GET /v0/meta/bases/:baseId/tables', () => {
  it('describes tables, fields with options, and views', async () => {
    const { tables } = await json<{ tables: SchemaTable[] }>(await t.api(TABLES));
    expect(tables.map((x) => x.name)).toEqual(['Companies', 'Contacts', 'Deals']);
    for (const table of tables) {
      expect(table.id).toMatch(/^tbl[A-Za-z0-9]{14}$/);
      expect(table.fields.map((f) => f.id)).toContain(table.primaryFieldId);
      for (const field of table.fields) expect(field.id).toMatch(/^fld[A-Za-z0-9]{14}$/);
      for (const view of table.views) expect(view).not.toHaveProperty('visibleFieldIds');
    }
    const deals = tables[2] as SchemaTable;
    expect(deals.primaryFieldId).toBe(fieldNamed(deals, 'Deal Name').id);
    expect(fieldNamed(deals, 'Amount')).toMatchObject({
      type: 'currency',
      options: { precision: 0, symbol: '$' },
    });
    const stage = fieldNamed(deals, 'Stage');
    expect(stage.type).toBe('singleSelect');
    const choices = (stage.options?.choices ?? []) as { id: string; name: string }[];
    expect(choices.map((c) => c.name)).toContain('Closed Won');
    const company = fieldNamed(deals, 'Company');
    const companies = tables[0] as SchemaTable;
    expect(company.options).toMatchObject({
      linkedTableId: companies.id,
      inverseLinkFieldId: fieldNamed(companies, 'Deals').id,
    });
    expect(deals.views.map((v) => v.type)).toEqual(['grid', 'grid', 'grid', 'kanban', 'grid', 'calendar']);
  });

  it('formula fields report their result type and the fields they reference, by id', async () => {
    const deals = await schemaTable(t, B, 'Deals');
    const amount = fieldNamed(deals, 'Amount').id;
    const probability = fieldNamed(deals, 'Probability').id;
    expect(fieldNamed(deals, 'Weighted Amount').options).toEqual({
      formula: `{${amount}} * {${probability}}`,
      isValid: true,
      referencedFieldIds: [amount, probability],
      result: { type: 'number' },
    });
    expect(fieldNamed(deals, 'Is Big').options).toMatchObject({
      referencedFieldIds: [amount],
      result: { type: 'singleLineText' },
    });
  });

  it('include[]=visibleFieldIds adds visibleFieldIds to grid views only', async () => {
    const { tables } = await json<{ tables: SchemaTable[] }>(
      await t.api(`${TABLES}?include[]=visibleFieldIds`),
    );
    const deals = tables.find((x) => x.name === 'Deals') as SchemaTable;
    const byName = Object.fromEntries(deals.views.map((v) => [v.name, v]));
    const names = (ids: string[] | undefined) =>
      ids?.map((id) => deals.fields.find((f) => f.id === id)?.name);
    expect(names(byName['Big deals']?.visibleFieldIds)).toEqual([
      'Deal Name',
      'Company',
      'Stage',
      'Amount',
      'Probability',
      'Owner',
    ]);
    expect(byName['Grid view']?.visibleFieldIds).toEqual(deals.fields.map((f) => f.id));
    expect(byName.Pipeline).not.toHaveProperty('visibleFieldIds');
    expect(byName['Close calendar']).not.toHaveProperty('visibleFieldIds');
  });

  it('an unknown base is the bare NOT_FOUND', async () => {
    await expectBareNotFound(await t.api('/v0/meta/bases/appAAAAAAAAAAAAAA/tables'));
  });
});

describe('POST /v0/meta/bases/:baseId/tables', () => {
  it('makes the first field primary, adds a "Grid view", and serves the new table at once', async () => {
    const table = await json<SchemaTable>(
      await createTable({
        name: 'Partners',
        description: 'Resellers',
        fields: [
          { name: 'Partner', type: 'singleLineText' },
          {
            name: 'Tier',
            type: 'singleSelect',
            options: { choices: [{ name: 'Gold' }, { name: 'Silver', color: 'grayLight2' }] },
          },
        ],
      }),
    );
    expect(table).toMatchObject({
      name: 'Partners',
      description: 'Resellers',
      primaryFieldId: table.fields[0]?.id,
    });
    expect(table.views).toEqual([
      { id: expect.stringMatching(/^viw[A-Za-z0-9]{14}$/), name: 'Grid view', type: 'grid' },
    ]);
    const choices = fieldNamed(table, 'Tier').options?.choices as { id: string; name: string }[];
    expect(choices.map((c) => c.id)).toEqual([expect.stringMatching(/^sel/), expect.stringMatching(/^sel/)]);

    expect(await json(await t.api(`/v0/${B}/Partners`))).toEqual({ records: [] });
    const created = await json<ApiRecord>(
      await t.api(`/v0/${B}/${table.id}`, send('POST', { fields: { Partner: 'Acme', Tier: 'Gold' } })),
    );
    expect(created.fields).toEqual({ Partner: 'Acme', Tier: 'Gold' });
  });

  it('a link field adds its inverse to the linked table, and links show on both sides', async () => {
    const companies = await schemaTable(t, B, 'Companies');
    const table = await json<SchemaTable>(
      await createTable({
        name: 'Partners',
        fields: [
          { name: 'Partner', type: 'singleLineText' },
          { name: 'Accounts', type: 'multipleRecordLinks', options: { linkedTableId: companies.id } },
        ],
      }),
    );
    const link = fieldNamed(table, 'Accounts');
    const after = await schemaTable(t, B, 'Companies');
    const inverse = after.fields.find((f) => f.id === link.options?.inverseLinkFieldId) as SchemaField;
    expect(inverse).toMatchObject({ name: 'Partners', type: 'multipleRecordLinks' });
    expect(inverse.options).toMatchObject({ linkedTableId: table.id, inverseLinkFieldId: link.id });

    const { records } = await json<{ records: ApiRecord[] }>(await t.api(`/v0/${B}/Companies?pageSize=1`));
    const companyId = records[0]?.id as string;
    await json(
      await t.api(`/v0/${B}/Partners`, send('POST', { fields: { Partner: 'Acme', Accounts: [companyId] } })),
    );
    const company = await json<ApiRecord>(await t.api(`/v0/${B}/Companies/${companyId}`));
    expect(company.fields.Partners).toHaveLength(1);
  });

  it.each([
    [
      'a name already used, in any case',
      { name: 'deals', fields: [{ name: 'N', type: 'singleLineText' }] },
      'DUPLICATE_OR_EMPTY_FIELD_NAME',
    ],
    [
      'an empty name',
      { name: ' ', fields: [{ name: 'N', type: 'singleLineText' }] },
      'DUPLICATE_OR_EMPTY_FIELD_NAME',
    ],
    [
      'two fields with one name',
      {
        name: 'X',
        fields: [
          { name: 'N', type: 'singleLineText' },
          { name: 'n', type: 'email' },
        ],
      },
      'DUPLICATE_OR_EMPTY_FIELD_NAME',
    ],
    ['no fields', { name: 'X', fields: [] }, 'INVALID_REQUEST_UNKNOWN'],
    [
      'a checkbox as primary field',
      { name: 'X', fields: [{ name: 'Done', type: 'checkbox' }] },
      'INVALID_FIELD_TYPE',
    ],
    [
      'a formula field',
      {
        name: 'X',
        fields: [
          { name: 'N', type: 'singleLineText' },
          { name: 'F', type: 'formula', options: { formula: '1' } },
        ],
      },
      'UNSUPPORTED_FIELD_TYPE_FOR_CREATE',
    ],
    [
      'a description over 20,000 characters',
      { name: 'X', description: 'd'.repeat(20_001), fields: [{ name: 'N', type: 'singleLineText' }] },
      'INVALID_REQUEST_UNKNOWN',
    ],
    [
      'an unknown property',
      { name: 'X', fields: [{ name: 'N', type: 'singleLineText' }], icon: 'star' },
      'INVALID_REQUEST_UNKNOWN',
    ],
  ])('refuses %s with 422 and changes nothing', async (_label, body, type) => {
    const before = await json(await t.api(TABLES));
    await expectError(await createTable(body), 422, type);
    expect(await json(await t.api(TABLES))).toEqual(before);
  });
});

describe('PATCH /v0/meta/bases/:baseId/tables/:table', () => {
  it('renames and describes a table, returning the whole table', async () => {
    const deals = await schemaTable(t, B, 'Deals');
    const updated = await json<SchemaTable>(
      await t.api(`${TABLES}/${deals.id}`, send('PATCH', { name: 'Opportunities', description: 'Pipeline' })),
    );
    expect(updated).toEqual({ ...deals, name: 'Opportunities', description: 'Pipeline' });
    await expectError(await t.api(`/v0/${B}/Deals`), 403, 'INVALID_PERMISSIONS_OR_MODEL_NOT_FOUND');
    await json(await t.api(`/v0/${B}/Opportunities?pageSize=1`));
  });

  it('refuses a taken name, an empty change and an unknown table', async () => {
    await expectError(
      await t.api(`${TABLES}/Deals`, send('PATCH', { name: 'Contacts' })),
      422,
      'DUPLICATE_OR_EMPTY_FIELD_NAME',
    );
    await expectError(await t.api(`${TABLES}/Deals`, send('PATCH', {})), 422, 'INVALID_REQUEST_UNKNOWN');
    await expectError(
      await t.api(`${TABLES}/Nope`, send('PATCH', { name: 'X' })),
      403,
      'INVALID_PERMISSIONS_OR_MODEL_NOT_FOUND',
    );
  });
});
