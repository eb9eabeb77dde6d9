import { describe, expect, it } from 'vitest';
import { compileFilter } from '../airtable/filter.ts';
import { aggregateRecordsTool } from './aggregate-records.ts';
import { countRecordsTool } from './count-records.ts';
import { listRecordsTool } from './list-records.ts';
import { searchRecordsTool } from './search-records.ts';
import { CRM, useReadKit } from './test-kit.ts';

const kit = useReadKit();

/** Pasted text, as a user would search for it: accents, quotes, dashes, spaces. */
function paragraph(minLength: number): string {
  const sentence = 'Müller & Söhne “Überseehandel” — Lieferung nach Zürich, Ångström-Messung; ';
  return sentence.repeat(Math.ceil(minLength / sentence.length));
}

describe('lists whose URL would be too long go as POST listRecords, through every list path', () => {
  it('search_records finds a record by a 10,000+ character query', async () => {
    const query = paragraph(10_500);
    expect(query.length).toBeGreaterThan(10_000);
    await kit
      .airtable()
      .createMany(CRM, 'Companies', [{ fields: { Name: 'Long Notes GmbH', Notes: query } }]);
    const out = await kit.run(searchRecordsTool, { base_id: CRM, table: 'Companies', query });
    expect(out.records.map((r) => r.fields.Name)).toEqual(['Long Notes GmbH']);
  });

  it('list_records, count_records and aggregate_records filter on 640+ values (a 50,000+ character formula)', async () => {
    const companies = await kit.airtable().listRecords(CRM, 'Companies', { fields: ['Name'] });
    const names = companies.map((c) => String(c.fields.Name));
    const madeUp = Array.from({ length: 600 }, (_, i) => `Nonexistent Trading Company №${i}`);
    const filter = [{ field: 'Company', op: 'has_any_of', value: [...madeUp, ...names] }];
    const deals = (await kit.airtable().getBaseSchema(CRM)).tables.find((t) => t.name === 'Deals')!;
    expect(compileFilter(deals, filter)?.length).toBeGreaterThan(50_000);
    const withCompany = [{ field: 'Company', op: 'is_not_empty' }];

    const expected = await kit.run(countRecordsTool, { base_id: CRM, table: 'Deals', filter: withCompany });
    expect(expected.count).toBeGreaterThan(0);
    const counted = await kit.run(countRecordsTool, { base_id: CRM, table: 'Deals', filter });
    expect(counted.count).toBe(expected.count);
    const aggregated = await kit.run(aggregateRecordsTool, { base_id: CRM, table: 'Deals', filter });
    expect(aggregated.records_scanned).toBe(expected.count);
    const page = await kit.run(listRecordsTool, { base_id: CRM, table: 'Deals', filter, page_size: 100 });
    expect(page.returned).toBe(Math.min(100, expected.count));
  });
});
