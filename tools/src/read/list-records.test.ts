import { describe, expect, it } from 'vitest';
import { getRecordTool } from './get-record.ts';
import { listRecordsTool } from './list-records.ts';
import { searchRecordsTool } from './search-records.ts';
import { CRM, useReadKit } from './test-kit.ts';

const kit = useReadKit();

describe('list_records', () => {
  it('returns friendly values: links as {id, name}, attachments as {filename, url}', async () => {
    const out = await kit.run(listRecordsTool, { base_id: CRM, table: 'Deals', page_size: 5 });
    expect(out.returned).toBe(5);
    expect(out.has_more).toBe(true);
    expect(out.cursor).toBeTypeOf('string');
    const withCompany = out.records.find((r) => Array.isArray(r.fields.Company));
    const company = (withCompany?.fields.Company as { id: string; name?: string }[] | undefined)?.[0];
    expect(company?.id).toMatch(/^rec/);
    expect(company?.name).toBeTypeOf('string');
    const logos = await kit.run(listRecordsTool, {
      base_id: CRM,
      table: 'Companies',
      fields: ['Name', 'Logo'],
      filter: [{ field: 'Logo', op: 'is_not_empty' }],
      page_size: 3,
    });
    for (const r of logos.records) {
      const logo = r.fields.Logo as Record<string, unknown>[];
      expect(Object.keys(logo[0] ?? {}).sort()).toEqual(['filename', 'url']);
    }
  });

  it('filters, sorts and applies a view', async () => {
    const out = await kit.run(listRecordsTool, {
      base_id: CRM,
      table: 'Deals',
      fields: ['Deal Name', 'Stage', 'Amount'],
      filter: [
        { field: 'Stage', op: 'is_any_of', value: ['closed won', 'Negotiation'] },
        { field: 'Amount', op: 'gt', value: 10000 },
      ],
      sort: [{ field: 'Amount', direction: 'desc' }],
      page_size: 100,
    });
    expect(out.returned).toBeGreaterThan(0);
    const amounts = out.records.map((r) => r.fields.Amount as number);
    expect(amounts).toEqual([...amounts].sort((a, b) => b - a));
    for (const r of out.records) {
      expect(['Closed Won', 'Negotiation']).toContain(r.fields.Stage);
      expect(r.fields.Amount as number).toBeGreaterThan(10000);
    }
    const view = await kit.run(listRecordsTool, {
      base_id: CRM,
      table: 'Deals',
      view: 'Big deals',
      page_size: 100,
    });
    for (const r of view.records) expect(r.fields.Amount as number).toBeGreaterThan(50000);
  });

  it('answers unknown fields with suggestions and bad filters with the field type', async () => {
    const unknown = await kit.fails(
      listRecordsTool,
      { base_id: CRM, table: 'Deals', fields: ['Ammount'] },
      'TOOL_UNKNOWN_FIELD',
    );
    expect(unknown.message).toContain('Amount');
    expect(unknown.details?.fields).toContain('Amount');
    const op = await kit.fails(
      listRecordsTool,
      { base_id: CRM, table: 'Deals', filter: [{ field: 'Amount', op: 'contains', value: '5' }] },
      'TOOL_INVALID_FILTER',
    );
    expect(op.details).toMatchObject({ type: 'currency' });
    await kit.fails(
      listRecordsTool,
      { base_id: CRM, table: 'Deals', filter: [{ field: 'Amount', op: 'gt', value: 'lots' }] },
      'TOOL_INVALID_FILTER',
    );
    await kit.fails(
      listRecordsTool,
      { base_id: CRM, table: 'Deals', filter: [{ field: 'Stage', op: 'equals', value: 'Won' }] },
      'TOOL_INVALID_FILTER',
    );
    await kit.fails(
      listRecordsTool,
      { base_id: CRM, table: 'Deals', filter: [{ field: 'Close Date', op: 'before', value: 'next week' }] },
      'TOOL_INVALID_FILTER',
    );
    await kit.fails(listRecordsTool, { base_id: CRM, table: 'Deals', view: 'Nope' }, 'TOOL_INVALID_INPUT');
  });

  it('refuses tables outside the allow-list', async () => {
    await kit.fails(listRecordsTool, { base_id: CRM, table: 'Deals' }, 'TOOL_NOT_ALLOWED', {
      readOnly: true,
      allowedTables: ['Companies'],
    });
  });

  it('rejects garbage cursors and cursors of another query', async () => {
    await kit.fails(
      listRecordsTool,
      { base_id: CRM, table: 'Deals', cursor: 'garbage!' },
      'TOOL_INVALID_CURSOR',
    );
    const first = await kit.run(listRecordsTool, { base_id: CRM, table: 'Deals', page_size: 2 });
    await kit.fails(
      listRecordsTool,
      { base_id: CRM, table: 'Companies', page_size: 2, cursor: first.cursor },
      'TOOL_INVALID_CURSOR',
    );
  });

  it('renders 100 records of 6 fields in under 25,000 characters', async () => {
    const out = await kit.run(listRecordsTool, {
      base_id: CRM,
      table: 'Deals',
      fields: ['Deal Name', 'Company', 'Stage', 'Amount', 'Close Date', 'Owner'],
      page_size: 100,
    });
    expect(out.returned).toBe(100);
    const rendered = listRecordsTool.render?.(out) ?? '';
    const json = JSON.stringify(out);
    console.log(`100 records × 6 fields: render ${rendered.length} chars, JSON ${json.length} chars`);
    expect(rendered.length).toBeLessThan(25_000);
    expect(json.length).toBeLessThan(25_000);
  });
});

describe('search_records', () => {
  it('finds records case-insensitively across text fields', async () => {
    const some = await kit.run(listRecordsTool, {
      base_id: CRM,
      table: 'Companies',
      fields: ['Name'],
      page_size: 1,
    });
    const name = some.records[0]?.fields.Name as string;
    const out = await kit.run(searchRecordsTool, {
      base_id: CRM,
      table: 'Companies',
      query: name.toUpperCase(),
    });
    expect(out.records.map((r) => r.id)).toContain(some.records[0]?.id);
    const none = await kit.run(searchRecordsTool, { base_id: CRM, table: 'Companies', query: `zz'"\\qq` });
    expect(none.returned).toBe(0);
    await kit.fails(
      searchRecordsTool,
      { base_id: CRM, table: 'Companies', query: 'x', search_fields: ['Nmae'] },
      'TOOL_UNKNOWN_FIELD',
    );
  });
});

describe('get_record', () => {
  it('gets one record with friendly links, and reports a missing one', async () => {
    const some = await kit.run(listRecordsTool, { base_id: CRM, table: 'Deals', page_size: 1 });
    const id = some.records[0]?.id as string;
    const out = await kit.run(getRecordTool, { base_id: CRM, table: 'Deals', record_id: id });
    expect(out.record.id).toBe(id);
    expect(out.record.fields).toEqual(some.records[0]?.fields);
    await kit.fails(
      getRecordTool,
      { base_id: CRM, table: 'Deals', record_id: 'recAAAAAAAAAAAAAA' },
      'TOOL_INVALID_INPUT',
    );
    await kit.fails(getRecordTool, { base_id: CRM, table: 'Deals', record_id: 'nope' }, 'TOOL_INVALID_INPUT');
  });
});
