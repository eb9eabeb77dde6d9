import { describe, expect, it } from 'vitest';
import { ids, isSortedBy, STAGE_ORDER, sampleRecords, useSalesCrmClient } from './airtable-client-kit.ts';

// Listing records through the official airtable.js client: paging, views, fields and sort
// must reach the emulator in the client's own encoding and come back as Airtable would.
// These tests only read, so they share one emulator.

const t = useSalesCrmClient();
const deals = () => t.table('Deals');
const fixtureDeals = sampleRecords('Deals');

describe('select() paging', () => {
  it('eachPage walks every page of pageSize 10 to the end, each record exactly once', async () => {
    const pages: string[][] = [];
    await deals()
      .select({ pageSize: 10 })
      .eachPage((records, next) => {
        pages.push(ids(records));
        next();
      });
    const seen = pages.flat();

    expect(pages).toHaveLength(Math.ceil(fixtureDeals.length / 10));
    expect(pages.every((p) => p.length === 10)).toBe(true);
    expect(new Set(seen).size).toBe(seen.length);
    expect(new Set(seen)).toEqual(new Set(ids(fixtureDeals)));
  });

  it('all() with pageSize 10 returns the same records in the same order as pageSize 100', async () => {
    const small = await deals().select({ pageSize: 10 }).all();
    const large = await deals().select({ pageSize: 100 }).all();

    expect(small).toHaveLength(fixtureDeals.length);
    expect(ids(small)).toEqual(ids(large));
  });

  it('addresses a table by id as well as by name', async () => {
    const byId = await t.table('tblKcraO7XrOoV3jk').select({ pageSize: 50 }).all();
    expect(ids(byId)).toEqual(ids(await deals().select({ pageSize: 50 }).all()));
  });

  it('firstPage() returns one page', async () => {
    const page = await deals().select({ pageSize: 7 }).firstPage();
    expect(page).toHaveLength(7);
  });

  it('maxRecords caps the total across pages', async () => {
    const pages: number[] = [];
    await deals()
      .select({ pageSize: 10, maxRecords: 25 })
      .eachPage((records, next) => {
        pages.push(records.length);
        next();
      });
    expect(pages).toEqual([10, 10, 5]);
  });
});

describe('select() views', () => {
  const bigDeals = fixtureDeals.filter((d) => Number(d.fields.Amount ?? 0) > 50000);

  it.each(['Big deals', 'viwRVNrIDOZspAFJP'])('view %s applies the view filter and sort', async (view) => {
    const records = await deals().select({ view, pageSize: 5 }).all();
    const amounts = records.map((r) => Number(r.get('Amount')));

    expect(new Set(ids(records))).toEqual(new Set(ids(bigDeals)));
    expect(amounts.every((a) => a > 50000)).toBe(true);
    expect(isSortedBy(amounts, (a, b) => b - a)).toBe(true);
  });

  it('a view whose name has an apostrophe sorts by choice order, then amount', async () => {
    const records = await deals().select({ view: "Ada's deals" }).all();
    const rows = records.map((r) => ({
      owner: r.get('Owner'),
      stage: STAGE_ORDER.indexOf(String(r.get('Stage'))),
      amount: Number(r.get('Amount') ?? -1),
    }));

    expect(records).toHaveLength(fixtureDeals.filter((d) => d.fields.Owner === 'Ada Lovelace').length);
    expect(rows.every((r) => r.owner === 'Ada Lovelace')).toBe(true);
    expect(isSortedBy(rows, (a, b) => a.stage - b.stage || b.amount - a.amount)).toBe(true);
  });

  it('returns fields hidden in the view', async () => {
    const [record] = await deals().select({ view: 'Big deals', maxRecords: 1 }).all();
    expect(record?.get('Close Date')).toEqual(expect.any(String));
  });

  it('an explicit sort overrides the view sort but keeps its filter', async () => {
    const records = await deals()
      .select({ view: 'Big deals', sort: [{ field: 'Amount', direction: 'asc' }] })
      .all();
    const amounts = records.map((r) => Number(r.get('Amount')));

    expect(records).toHaveLength(bigDeals.length);
    expect(isSortedBy(amounts, (a, b) => a - b)).toBe(true);
  });
});

describe('select() fields and sort', () => {
  it('fields limits the returned fields', async () => {
    const records = await deals()
      .select({ fields: ['Deal Name', 'Stage'] })
      .all();
    const keys = new Set(records.flatMap((r) => Object.keys(r.fields)));
    expect(keys).toEqual(new Set(['Deal Name', 'Stage']));
  });

  it('sorts by several fields: select fields by choice order, then amount descending', async () => {
    const records = await deals()
      .select({
        sort: [
          { field: 'Stage', direction: 'asc' },
          { field: 'Amount', direction: 'desc' },
        ],
      })
      .all();
    const rows = records.map((r) => ({
      stage: STAGE_ORDER.indexOf(String(r.get('Stage'))),
      amount: Number(r.get('Amount') ?? -1), // blank sorts below every amount
    }));

    expect(rows.every((r) => r.stage >= 0)).toBe(true);
    expect(isSortedBy(rows, (a, b) => a.stage - b.stage || b.amount - a.amount)).toBe(true);
  });

  it('sorts descending by a select field in reverse choice order', async () => {
    const records = await deals()
      .select({ sort: [{ field: 'Stage', direction: 'desc' }] })
      .all();
    const stages = records.map((r) => STAGE_ORDER.indexOf(String(r.get('Stage'))));
    expect(isSortedBy(stages, (a, b) => b - a)).toBe(true);
  });

  it('puts blank cells first when sorting ascending and last when descending', async () => {
    const blanks = fixtureDeals.filter((d) => d.fields.Amount === undefined).length;
    expect(blanks).toBeGreaterThan(0);

    const asc = await deals()
      .select({ sort: [{ field: 'Amount' }] })
      .all();
    const desc = await deals()
      .select({ sort: [{ field: 'Amount', direction: 'desc' }] })
      .all();

    expect(asc.slice(0, blanks).every((r) => r.get('Amount') === undefined)).toBe(true);
    expect(asc[blanks]?.get('Amount')).toEqual(expect.any(Number));
    expect(desc.slice(-blanks).every((r) => r.get('Amount') === undefined)).toBe(true);
  });
});
