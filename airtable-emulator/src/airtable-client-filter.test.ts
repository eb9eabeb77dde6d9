import type Airtable from 'airtable';
import { describe, expect, it } from 'vitest';
import { type Fields, ids, sampleRecords, useSalesCrmClient } from './airtable-client-kit.ts';
import { SALES_CRM_BASE_ID } from './seed/sample/index.ts';

// filterByFormula through the official airtable.js client, including the client's switch to
// POST listRecords when the URL would pass 15,000 characters. These tests only read.

const t = useSalesCrmClient();
const deals = () => t.table('Deals');
const fixtureDeals = sampleRecords('Deals');
const fixtureContacts = sampleRecords('Contacts');

describe('select() filterByFormula', () => {
  it('matches a string with an escaped apostrophe', async () => {
    const expected = fixtureDeals.filter((d) => d.fields.Owner === "Conor O'Sullivan");
    expect(expected.length).toBeGreaterThan(0);

    const records = await deals().select({ filterByFormula: "{Owner} = 'Conor O\\'Sullivan'" }).all();

    expect(new Set(ids(records))).toEqual(new Set(ids(expected)));
  });

  it('matches an apostrophe inside a double-quoted string', async () => {
    const records = await t
      .table('Contacts')
      .select({ filterByFormula: `{Full Name} = "Camille O'Neil"` })
      .all();
    expect(records.map((r) => r.get('Full Name'))).toEqual(["Camille O'Neil"]);
  });

  it('compares numbers and dates, combined with AND/OR', async () => {
    const formula = "AND({Amount} >= 100000, OR(IS_BEFORE({Close Date}, '2026-01-01'), {Stage} = 'Lead'))";
    const expected = fixtureDeals.filter((d) => {
      const amount = Number(d.fields.Amount ?? 0);
      const close = d.fields['Close Date'];
      return (
        amount >= 100000 && ((typeof close === 'string' && close < '2026-01-01') || d.fields.Stage === 'Lead')
      );
    });
    expect(expected.length).toBeGreaterThan(0);

    const records = await deals().select({ filterByFormula: formula }).all();

    expect(new Set(ids(records))).toEqual(new Set(ids(expected)));
  });

  it('SEARCH finds text (case-insensitively through LOWER)', async () => {
    const expected = fixtureDeals.filter((d) =>
      String(d.fields['Deal Name']).toLowerCase().includes('analytics'),
    );
    expect(expected.length).toBeGreaterThan(0);

    const records = await deals()
      .select({ filterByFormula: "SEARCH('analytics', LOWER({Deal Name}))" })
      .all();

    expect(new Set(ids(records))).toEqual(new Set(ids(expected)));
  });

  it('sends formulas longer than 15,000 characters through POST listRecords', async () => {
    const wanted = ids(fixtureDeals).filter((_, i) => i % 2 === 0);
    const padding = ids(fixtureContacts); // ids that match no deal, to push past the URL limit
    const terms = [...wanted, ...padding, ...padding, ...padding, ...padding].map(
      (id) => `RECORD_ID() = '${id}'`,
    );
    const formula = `OR(${terms.join(', ')})`;
    // Too long for a GET: the emulator refuses URLs over Airtable's 16,000 characters.
    const asGet = await t
      .emulator()
      .api(`/v0/${SALES_CRM_BASE_ID}/Deals?filterByFormula=${encodeURIComponent(formula)}`);
    expect(asGet.status).toBe(414);

    const pages: number[] = [];
    await deals()
      .select({ filterByFormula: formula, pageSize: 20 })
      .eachPage((records, next) => {
        pages.push(records.length);
        next();
      });

    expect(pages).toHaveLength(Math.ceil(wanted.length / 20));
    expect(pages.reduce((a, b) => a + b, 0)).toBe(wanted.length);
  });

  it("method: 'post' lists through POST listRecords with the same results", async () => {
    const viaGet = await deals().select({ view: 'Open deals', pageSize: 10 }).all();
    const viaPost = await deals().select({ view: 'Open deals', pageSize: 10, method: 'post' }).all();
    expect(ids(viaPost)).toEqual(ids(viaGet));
  });

  it('cellFormat string works through POST listRecords (the client sends timeZone in both query and body)', async () => {
    const options: Airtable.SelectOptions<Fields> = {
      cellFormat: 'string',
      timeZone: 'UTC',
      userLocale: 'en-us',
      fields: ['Amount'],
    };
    const viaGet = await deals().select(options).all();
    const viaPost = await deals()
      .select({ ...options, method: 'post' })
      .all();

    expect(viaPost.map((r) => r.fields)).toEqual(viaGet.map((r) => r.fields));
    expect(viaPost.some((r) => String(r.get('Amount')).startsWith('$'))).toBe(true);
  });
});
