import Airtable from 'airtable';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SALES_CRM_BASE_ID } from './seed/sample/index.ts';
import { startTestEmulator, TEST_TOKEN, type TestEmulator } from './test-support.ts';

// Writing records through the official airtable.js client: find, create, update (PATCH),
// replace (PUT), upsert and destroy, with links kept two-sided. Each test creates the
// records it changes, so the tests share one emulator without depending on each other.

type Fields = Airtable.FieldSet;

let emulator: TestEmulator;
let base: Airtable.Base;

beforeAll(async () => {
  emulator = await startTestEmulator();
  base = new Airtable({ apiKey: TEST_TOKEN, endpointUrl: emulator.url, noRetryIfRateLimited: true }).base(
    SALES_CRM_BASE_ID,
  );
});

afterAll(async () => {
  await emulator.close();
});

const deals = () => base<Fields>('Deals');
const contacts = () => base<Fields>('Contacts');
const companies = () => base<Fields>('Companies');

/** A unique name, so records a test creates never collide with the sample or each other. */
let counter = 0;
const unique = (label: string) => `${label} #${++counter}`;

async function schemaChoices(tableName: string, fieldName: string): Promise<string[]> {
  const res = await emulator.api(`/v0/meta/bases/${SALES_CRM_BASE_ID}/tables`);
  const { tables } = (await res.json()) as {
    tables: { name: string; fields: { name: string; options?: { choices?: { name: string }[] } }[] }[];
  };
  const field = tables.find((t) => t.name === tableName)?.fields.find((f) => f.name === fieldName);
  return field?.options?.choices?.map((c) => c.name) ?? [];
}

describe('find and create', () => {
  it('find returns a record with its id, createdTime and fields', async () => {
    const [first] = await deals().select({ maxRecords: 1 }).firstPage();
    const found = await deals().find(first?.id as string);

    expect(found.id).toBe(first?.id);
    expect(found.fields).toEqual(first?.fields);
    expect(found._rawJson.createdTime).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  });

  it('creates a single record and returns it with computed fields', async () => {
    const name = unique('Single create');
    const created = await deals().create({ 'Deal Name': name, Amount: 80000, Probability: 0.5, Stage: 'Proposal' });

    expect(created.id).toMatch(/^rec[A-Za-z0-9]{14}$/);
    expect(created.get('Deal Name')).toBe(name);
    expect(created.get('Weighted Amount')).toBe(40000);
    expect(created.get('Is Big')).toBe('Big');
    expect((await deals().find(created.id)).fields).toEqual(created.fields);
  });

  it('creates a batch of up to 10 records in request order', async () => {
    const names = Array.from({ length: 10 }, () => unique('Batch create'));
    const created = await deals().create(names.map((name) => ({ fields: { 'Deal Name': name } })));

    expect(created.map((r) => r.get('Deal Name'))).toEqual(names);
    expect(new Set(created.map((r) => r.id)).size).toBe(10);
  });

  it('typecast converts strings to numbers and creates new select options', async () => {
    expect(await schemaChoices('Deals', 'Stage')).not.toContain('On Hold');

    const created = await deals().create(
      [{ fields: { 'Deal Name': unique('Typecast'), Amount: '12,500', Probability: '25%', Stage: 'On Hold' } }],
      { typecast: true },
    );

    expect(created[0]?.get('Amount')).toBe(12500);
    expect(created[0]?.get('Probability')).toBe(0.25);
    expect(created[0]?.get('Stage')).toBe('On Hold');
    expect(await schemaChoices('Deals', 'Stage')).toContain('On Hold');
  });

  it('without typecast an unknown select option is rejected and nothing is created', async () => {
    expect.assertions(3);
    const name = unique('No typecast');
    await expect(deals().create({ 'Deal Name': name, Stage: 'Dormant' })).rejects.toMatchObject({
      statusCode: 422,
      error: 'INVALID_MULTIPLE_CHOICE_OPTIONS',
    });
    const matches = await deals()
      .select({ filterByFormula: `{Deal Name} = '${name}'` })
      .all();
    expect(matches).toHaveLength(0);
    expect(await schemaChoices('Deals', 'Stage')).not.toContain('Dormant');
  });
});

describe('update (PATCH) and replace (PUT)', () => {
  it('update changes only the fields sent', async () => {
    const created = await deals().create({ 'Deal Name': unique('Patch'), Amount: 1000, Owner: 'Ada Lovelace' });
    const updated = await deals().update(created.id, { Amount: 2000 });

    expect(updated.get('Amount')).toBe(2000);
    expect(updated.get('Owner')).toBe('Ada Lovelace');
    expect(updated.get('Deal Name')).toBe(created.get('Deal Name'));
  });

  it('replace clears every field not sent, and computed fields still compute', async () => {
    const name = unique('Company put');
    const created = await companies().create({ Name: name, Employees: 12, 'HQ Country': 'Ireland' });
    const replaced = await companies().replace(created.id, { Name: name, Website: 'https://example.com' });

    expect(replaced.get('Employees')).toBeUndefined();
    expect(replaced.get('HQ Country')).toBeUndefined();
    expect(replaced.get('Website')).toBe('https://example.com');
    expect(replaced.get('Company Number')).toBe(created.get('Company Number'));
    expect(replaced.get('Created')).toBe(created.get('Created'));
  });

  it('batch update and batch replace apply per record', async () => {
    const [a, b] = await deals().create([
      { fields: { 'Deal Name': unique('Batch patch'), Amount: 10, Owner: 'Grace Hopper' } },
      { fields: { 'Deal Name': unique('Batch patch'), Amount: 20, Owner: 'Grace Hopper' } },
    ]);
    const patched = await deals().update([
      { id: a?.id as string, fields: { Amount: 11 } },
      { id: b?.id as string, fields: { Amount: 21 } },
    ]);
    expect(patched.map((r) => [r.get('Amount'), r.get('Owner')])).toEqual([
      [11, 'Grace Hopper'],
      [21, 'Grace Hopper'],
    ]);

    const replaced = await deals().replace([
      { id: a?.id as string, fields: { 'Deal Name': 'Replaced A' } },
      { id: b?.id as string, fields: { 'Deal Name': 'Replaced B', Amount: 99 } },
    ]);
    expect(replaced.map((r) => r.fields)).toEqual([
      expect.not.objectContaining({ Amount: expect.anything(), Owner: expect.anything() }),
      expect.objectContaining({ 'Deal Name': 'Replaced B', Amount: 99 }),
    ]);
    expect(replaced[1]?.get('Owner')).toBeUndefined();
  });
});

describe('upsert', () => {
  const upsert = (records: { fields: Fields }[]) =>
    emulator.api(`/v0/${SALES_CRM_BASE_ID}/Deals`, {
      method: 'PATCH',
      body: JSON.stringify({ records, performUpsert: { fieldsToMergeOn: ['Deal Name'] } }),
    });

  it('through the client, updates the matching record instead of duplicating it and creates the rest', async () => {
    const existingName = unique('Upsert existing');
    const newName = unique('Upsert new');
    const existing = await deals().create({ 'Deal Name': existingName, Amount: 5, Owner: 'Ada Lovelace' });

    const result = await deals().update(
      [{ fields: { 'Deal Name': existingName, Amount: 6 } }, { fields: { 'Deal Name': newName, Amount: 7 } }] as never,
      { performUpsert: { fieldsToMergeOn: ['Deal Name'] } } as never,
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
    const body = (await res.json()) as { records: { id: string }[]; createdRecords: string[]; updatedRecords: string[] };

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

describe('destroy', () => {
  it('destroys a single record, which then cannot be found', async () => {
    expect.assertions(2);
    const created = await deals().create({ 'Deal Name': unique('Destroy one') });
    const destroyed = await deals().destroy(created.id);

    expect(destroyed.id).toBe(created.id);
    await expect(deals().find(created.id)).rejects.toMatchObject({ statusCode: 404, error: 'NOT_FOUND' });
  });

  it('destroys a batch of records', async () => {
    const created = await deals().create(
      Array.from({ length: 3 }, () => ({ fields: { 'Deal Name': unique('Destroy batch') } })),
    );
    const destroyed = await deals().destroy(created.map((r) => r.id));

    expect(destroyed.map((r) => r.id)).toEqual(created.map((r) => r.id));
    const left = await deals()
      .select({ filterByFormula: "FIND('Destroy batch', {Deal Name})" })
      .all();
    expect(left).toHaveLength(0);
  });
});

describe('links stay two-sided', () => {
  it('linking a contact to a company lists it on the company; relinking moves it', async () => {
    const [first, second] = await companies().create([
      { fields: { Name: unique('Link co') } },
      { fields: { Name: unique('Link co') } },
    ]);
    const contact = await contacts().create({ 'Full Name': unique('Linked person'), Company: [first?.id as string] });

    expect((await companies().find(first?.id as string)).get('Contacts')).toEqual([contact.id]);

    await contacts().update(contact.id, { Company: [second?.id as string] });

    expect((await companies().find(first?.id as string)).get('Contacts')).toBeUndefined();
    expect((await companies().find(second?.id as string)).get('Contacts')).toEqual([contact.id]);
  });

  it('deleting a record removes it from the links that pointed at it', async () => {
    const company = await companies().create({ Name: unique('Unlink co') });
    const [a, b] = await contacts().create([
      { fields: { 'Full Name': unique('Unlink person'), Company: [company.id] } },
      { fields: { 'Full Name': unique('Unlink person'), Company: [company.id] } },
    ]);
    expect((await companies().find(company.id)).get('Contacts')).toEqual([a?.id, b?.id]);

    await contacts().destroy(a?.id as string);
    expect((await companies().find(company.id)).get('Contacts')).toEqual([b?.id]);

    await companies().destroy(company.id);
    expect((await contacts().find(b?.id as string)).get('Company')).toBeUndefined();
  });
});

describe('empty values', () => {
  it('are omitted from fields: false checkbox, empty text, empty links', async () => {
    const name = unique('Empty person');
    const created = await contacts().create({
      'Full Name': name,
      'Is Decision Maker': false,
      Title: '',
      Deals: [],
      Tags: [],
    });

    expect(created.fields).toEqual({ 'Full Name': name });
    expect((await contacts().find(created.id)).fields).toEqual({ 'Full Name': name });
  });

  it('clearing values through update omits them too', async () => {
    const name = unique('Cleared person');
    const created = await contacts().create({ 'Full Name': name, Title: 'CEO', 'Is Decision Maker': true });
    const updated = await contacts().update(created.id, { Title: '', 'Is Decision Maker': false });

    expect(updated.fields).toEqual({ 'Full Name': name });
  });
});
