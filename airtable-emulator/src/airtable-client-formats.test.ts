import { describe, expect, it } from 'vitest';
import { sampleRecords, useSalesCrmClient } from './airtable-client-kit.ts';

// How records come back through the official airtable.js client: cellFormat 'string' with a
// time zone and locale, fields keyed by id, and comment counts. These tests only read.

const t = useSalesCrmClient();
const deals = () => t.table('Deals');
const fixtureDeals = sampleRecords('Deals');

describe('select() output formats', () => {
  it('cellFormat string renders currency with its symbol, links as names and multiple selects joined', async () => {
    const [json] = await t
      .table('Contacts')
      .select({ filterByFormula: "{Full Name} = 'Tomás O\\'Brien'" })
      .all();
    const [text] = await t
      .table('Contacts')
      .select({
        filterByFormula: "{Full Name} = 'Tomás O\\'Brien'",
        cellFormat: 'string',
        timeZone: 'Europe/Dublin',
        userLocale: 'en-gb',
      })
      .all();
    const companyId = (json?.get('Company') as string[] | undefined)?.[0];
    const company = await t.table('Companies').find(companyId as string);

    const tags = (json?.get('Tags') ?? []) as string[];
    expect(tags.length).toBeGreaterThan(1);
    expect(text?.get('Tags')).toBe(tags.join(', '));
    expect(text?.get('Company')).toBe(company.get('Name'));
    expect(text?.get('Is Decision Maker')).toBe('checked');

    const [deal] = await deals()
      .select({
        filterByFormula: '{Amount} = 160000',
        cellFormat: 'string',
        timeZone: 'UTC',
        userLocale: 'en-us',
        maxRecords: 1,
      })
      .all();
    expect(deal?.get('Amount')).toBe('$160,000');
  });

  it('cellFormat string renders dates in the field format and times in the given time zone', async () => {
    const options = { cellFormat: 'string', timeZone: 'America/New_York', userLocale: 'en-us' } as const;
    const [deal] = await deals()
      .select({ ...options, filterByFormula: "RECORD_ID() = 'recqLScATcp2CMzvD'" })
      .all();
    const [company] = await t
      .table('Companies')
      .select({ ...options, filterByFormula: "RECORD_ID() = 'recaeaeCv9MNB7fTw'" })
      .all();

    // Next Meeting is 2026-11-08T13:15Z (iso date, 24-hour); Close Date is a plain date.
    expect(deal?.get('Next Meeting')).toBe('2026-11-08 08:15');
    expect(deal?.get('Close Date')).toBe('2027-03-25');
    expect(deal?.get('Probability')).toBe('75%');
    expect(deal?.get('Call Duration')).toBe('1:20');
    // Created is 2025-01-22T14:56:23Z, shown with the default local date and 12-hour time.
    expect(company?.get('Created')).toBe('1/22/2025 9:56am');
  });

  it('returnFieldsByFieldId keys fields by id', async () => {
    const [record] = await deals()
      .select({ returnFieldsByFieldId: true, fields: ['Deal Name', 'Stage'], maxRecords: 1 })
      .all();
    expect(Object.keys(record?.fields ?? {}).sort()).toEqual(['fldlZZesgDYJKdMSC', 'fldyYUM0hdujcYb88']);
  });

  it('recordMetadata commentCount adds each record’s comment count', async () => {
    const records = await deals()
      .select({ recordMetadata: ['commentCount'] })
      .all();
    const counts = records.map((r) => r.commentCount);
    const fixtureCounts = fixtureDeals.map((d) => d.comments?.length ?? 0);

    expect(counts.every((c) => typeof c === 'number')).toBe(true);
    expect(counts.reduce((a = 0, b = 0) => a + b, 0)).toBe(fixtureCounts.reduce((a, b) => a + b, 0));
    expect(Math.max(...(counts as number[]))).toBeGreaterThan(0);
  });
});
