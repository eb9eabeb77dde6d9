import { describe, expect, it } from 'vitest';
import { listRecordsTool } from '../read/list-records.ts';
import { searchRecordsTool } from '../read/search-records.ts';
import { useReadKit } from '../read/test-kit.ts';
import { compileFilter, fieldRef, formulaString } from './filter.ts';

const kit = useReadKit();
const BASE = 'appJRG6RjcS0ZVuqz';
const NASTY = [`O'Brien`, `say "hi"`, 'back\\slash', `mix \\' "both"`, 'plain', `O"Brien`, 'trail\\'];

describe('escaping', () => {
  it('quotes strings and field names', () => {
    expect(formulaString(`a'b\\c"d`)).toBe(`'a\\'b\\\\c"d'`);
    expect(fieldRef('a}b\\c')).toBe('{a\\}b\\c}');
  });
});

describe('compileFilter against the emulator', () => {
  let tableId = '';
  const ids = new Map<string, string>();

  it('matches values with quotes, apostrophes and backslashes exactly', async () => {
    const airtable = kit.airtable();
    const table = await airtable.createTable(BASE, {
      name: 'Escapes',
      fields: [
        { name: 'Name', type: 'singleLineText' },
        { name: 'Odd {field} \\ name', type: 'singleLineText' },
      ],
    });
    tableId = table.id;
    const created = await airtable.createMany(
      BASE,
      tableId,
      NASTY.map((n) => ({ fields: { Name: n, 'Odd {field} \\ name': n } })),
    );
    expect(created.written).toBe(NASTY.length);
    const all = await airtable.listRecords(BASE, tableId);
    for (const r of all) ids.set(r.fields.Name as string, r.id);
    expect(ids.size).toBe(NASTY.length);

    for (const value of NASTY) {
      for (const field of ['Name', 'Odd {field} \\ name']) {
        const out = await kit.run(listRecordsTool, {
          base_id: BASE,
          table: 'Escapes',
          filter: [{ field, op: 'equals', value: value.toUpperCase() }],
        });
        expect(
          out.records.map((r) => r.id),
          `${field} = ${value}`,
        ).toEqual([ids.get(value)]);
      }
      const found = await kit.run(searchRecordsTool, { base_id: BASE, table: 'Escapes', query: value });
      expect(found.records.map((r) => r.id)).toContain(ids.get(value));
    }
    const contains = await kit.run(listRecordsTool, {
      base_id: BASE,
      table: 'Escapes',
      filter: [{ field: 'Name', op: 'contains', value: `\\` }],
    });
    expect(contains.records.map((r) => r.fields.Name).sort()).toEqual(
      NASTY.filter((n) => n.includes('\\')).sort(),
    );
    const starts = await kit.run(listRecordsTool, {
      base_id: BASE,
      table: 'Escapes',
      filter: [{ field: 'Name', op: 'starts_with', value: `o'` }],
    });
    expect(starts.records.map((r) => r.fields.Name)).toEqual([`O'Brien`]);
  });

  it('compiles every kind of op into a formula the emulator accepts', async () => {
    const ops: { table: string; filter: { field: string; op: string; value?: unknown }[] }[] = [
      { table: 'Deals', filter: [{ field: 'Amount', op: 'between', value: [1000, 50000] }] },
      { table: 'Deals', filter: [{ field: 'Probability', op: 'lte', value: 0.5 }] },
      { table: 'Deals', filter: [{ field: 'Stage', op: 'not_equals', value: 'Lead' }] },
      {
        table: 'Deals',
        filter: [{ field: 'Close Date', op: 'between', value: ['2026-07-01', '2026-09-30'] }],
      },
      { table: 'Deals', filter: [{ field: 'Close Date', op: 'on', value: '2026-08-15' }] },
      { table: 'Deals', filter: [{ field: 'Next Meeting', op: 'after', value: '2026-01-01T00:00:00Z' }] },
      { table: 'Deals', filter: [{ field: 'Company', op: 'is_empty' }] },
      { table: 'Contacts', filter: [{ field: 'Tags', op: 'has_any_of', value: ['VIP'] }] },
      { table: 'Contacts', filter: [{ field: 'Tags', op: 'has_none_of', value: ['VIP'] }] },
      { table: 'Contacts', filter: [{ field: 'Is Decision Maker', op: 'is_true' }] },
      { table: 'Contacts', filter: [{ field: 'Full Name', op: 'ends_with', value: 'a' }] },
      { table: 'Contacts', filter: [{ field: 'Email', op: 'not_contains', value: 'example' }] },
    ];
    for (const { table, filter } of ops) {
      const out = await kit.run(listRecordsTool, { base_id: BASE, table, filter, page_size: 100 });
      expect(out.returned, JSON.stringify(filter)).toBeGreaterThanOrEqual(0);
    }
    // has_any_of on a link compares the linked record's primary value.
    const deal = (
      await kit.run(listRecordsTool, {
        base_id: BASE,
        table: 'Deals',
        page_size: 1,
        filter: [{ field: 'Company', op: 'is_not_empty' }],
      })
    ).records[0];
    const company = (deal?.fields.Company as { name: string }[] | undefined)?.[0]?.name as string;
    const byCompany = await kit.run(listRecordsTool, {
      base_id: BASE,
      table: 'Deals',
      page_size: 100,
      filter: [{ field: 'Company', op: 'has_any_of', value: [company.toLowerCase()] }],
    });
    expect(byCompany.records.map((r) => r.id)).toContain(deal?.id);
    for (const r of byCompany.records)
      expect((r.fields.Company as { name: string }[]).map((c) => c.name)).toContain(company);
  });

  it('combines with any and with a raw formula', () => {
    const table = {
      id: 'tbl1',
      name: 'T',
      primaryFieldId: 'f1',
      views: [],
      fields: [
        { id: 'f1', name: 'N', type: 'number' },
        { id: 'f2', name: 'C', type: 'checkbox' },
      ],
    };
    expect(compileFilter(table, [])).toBeUndefined();
    expect(
      compileFilter(
        table,
        [
          { field: 'C', op: 'is_true' },
          { field: 'C', op: 'is_false' },
        ],
        { match: 'any' },
      ),
    ).toBe('OR({C}, NOT({C}))');
    expect(compileFilter(table, [{ field: 'C', op: 'is_true' }], { formula: '{N} > 1' })).toBe(
      'AND({C}, {N} > 1)',
    );
  });
});
