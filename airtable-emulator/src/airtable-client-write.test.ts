import { describe, expect, it } from 'vitest';
import { useSalesCrmClient } from './airtable-client-kit.ts';
import { SALES_CRM_BASE_ID } from './seed/sample/index.ts';

// Writing records through the official airtable.js client: find, create, update (PATCH),
// replace (PUT), the record's own methods and destroy. Each test creates the records it
// changes, so the tests share one emulator without depending on each other.

const t = useSalesCrmClient();
const deals = () => t.table('Deals');
const contacts = () => t.table('Contacts');
const companies = () => t.table('Companies');

/** A unique name, so records a test creates never collide with the sample or each other. */
let counter = 0;
const unique = (label: string) => `${label} #${++counter}`;

async function schemaChoices(tableName: string, fieldName: string): Promise<string[]> {
  const res = await t.emulator().api(`/v0/meta/bases/${SALES_CRM_BASE_ID}/tables`);
  const { tables } = (await res.json()) as {
    tables: { name: string; fields: { name: string; options?: { choices?: { name: string }[] } }[] }[];
  };
  const field = tables.find((table) => table.name === tableName)?.fields.find((f) => f.name === fieldName);
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
    const created = await deals().create({
      'Deal Name': name,
      Amount: 80000,
      Probability: 0.5,
      Stage: 'Proposal',
    });

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
      [
        {
          fields: { 'Deal Name': unique('Typecast'), Amount: '12,500', Probability: '25%', Stage: 'On Hold' },
        },
      ],
      { typecast: true },
    );

    expect(created[0]?.get('Amount')).toBe(12500);
    expect(created[0]?.get('Probability')).toBe(0.25);
    expect(created[0]?.get('Stage')).toBe('On Hold');
    expect(await schemaChoices('Deals', 'Stage')).toContain('On Hold');
  });

  it('dates without a time zone are read in the field time zone (UTC here), whatever the host zone', async () => {
    const created = await deals().create(
      { 'Deal Name': unique('Dates'), 'Close Date': 'March 5, 2026', 'Next Meeting': '2026-03-05 10:00' },
      { typecast: true },
    );
    expect(created.get('Close Date')).toBe('2026-03-05');
    expect(created.get('Next Meeting')).toBe('2026-03-05T10:00:00.000Z');
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
    const created = await deals().create({
      'Deal Name': unique('Patch'),
      Amount: 1000,
      Owner: 'Ada Lovelace',
    });
    const updated = await deals().update(created.id, { Amount: 2000 });

    expect(updated.get('Amount')).toBe(2000);
    expect(updated.get('Is Big')).toBe('Small');
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

describe('names that need URL encoding', () => {
  it('tables and fields named with / ? & % + and quotes work through the client', async () => {
    const tableName = `Q&A / Notes? ${unique('%')} 'é'+`;
    const res = await t.emulator().api(`/v0/meta/bases/${SALES_CRM_BASE_ID}/tables`, {
      method: 'POST',
      body: JSON.stringify({
        name: tableName,
        fields: [
          { name: 'Title / Q?', type: 'singleLineText' },
          { name: 'Score+', type: 'number', options: { precision: 0 } },
        ],
      }),
    });
    expect(res.status).toBe(200);
    const table = t.table(tableName);

    const created = await table.create({ 'Title / Q?': 'x+y & z', 'Score+': 3 });
    const listed = await table
      .select({
        filterByFormula: "{Title / Q?} = 'x+y & z'",
        sort: [{ field: 'Score+' }],
        fields: ['Title / Q?'],
      })
      .all();

    expect(listed.map((r) => [r.id, r.fields])).toEqual([[created.id, { 'Title / Q?': 'x+y & z' }]]);
    expect((await table.find(created.id)).get('Score+')).toBe(3);
    expect(await table.destroy([created.id])).toHaveLength(1);
  });
});

describe('record methods', () => {
  it('a record fetches, updates, replaces, saves and destroys itself', async () => {
    expect.assertions(6);
    const name = unique('Record methods');
    const record = await contacts().create({ 'Full Name': name, Title: 'CTO', Rating: 4 });

    await record.updateFields({ Title: 'CEO' });
    expect(record.fields).toEqual({ 'Full Name': name, Title: 'CEO', Rating: 4 });

    record.set('Rating', 5);
    await record.save(); // PUT of every field the record holds
    expect((await contacts().find(record.id)).fields).toEqual({ 'Full Name': name, Title: 'CEO', Rating: 5 });

    await record.replaceFields({ 'Full Name': name });
    expect(record.fields).toEqual({ 'Full Name': name });

    const stale = await contacts().find(record.id);
    await contacts().update(record.id, { Title: 'CFO' });
    await stale.fetch();
    expect(stale.get('Title')).toBe('CFO');

    await record.destroy();
    await expect(record.fetch()).rejects.toMatchObject({ statusCode: 404, error: 'NOT_FOUND' });
    await expect(contacts().find(record.id)).rejects.toMatchObject({ statusCode: 404 });
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
    const left = await deals().select({ filterByFormula: "FIND('Destroy batch', {Deal Name})" }).all();
    expect(left).toHaveLength(0);
  });
});
