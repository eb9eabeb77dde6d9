import Airtable from 'airtable';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SALES_CRM_BASE_ID, sampleFixture } from './seed/sample/index.ts';
import { startTestEmulator, TEST_TOKEN, type TestEmulator } from './test-support.ts';

// Listing records through the official airtable.js client: everything `select()` can ask
// for must reach the emulator in the client's own encoding and come back as Airtable would.
// These tests only read, so they share one emulator.

type Fields = Airtable.FieldSet;

const crm = sampleFixture().bases.find((b) => b.id === SALES_CRM_BASE_ID);
const fixtureTable = (name: string) => {
  const table = crm?.tables.find((t) => t.name === name);
  if (!table) throw new Error(`sample table ${name} missing`);
  return table;
};
const fixtureDeals = fixtureTable('Deals').records ?? [];
const fixtureContacts = fixtureTable('Contacts').records ?? [];
const STAGE_ORDER = ['Lead', 'Qualified', 'Proposal', 'Negotiation', 'Closed Won', 'Closed Lost'];

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
const ids = (records: readonly { id: string }[]) => records.map((r) => r.id);

function isSortedBy<T>(values: T[], compare: (a: T, b: T) => number): boolean {
  return values.every((v, i) => i === 0 || compare(values[i - 1] as T, v) <= 0);
}

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

describe('select() filterByFormula', () => {
  it('matches a string with an escaped apostrophe', async () => {
    const expected = fixtureDeals.filter((d) => d.fields.Owner === "Conor O'Sullivan");
    expect(expected.length).toBeGreaterThan(0);

    const records = await deals()
      .select({ filterByFormula: "{Owner} = 'Conor O\\'Sullivan'" })
      .all();

    expect(new Set(ids(records))).toEqual(new Set(ids(expected)));
  });

  it('matches an apostrophe inside a double-quoted string', async () => {
    const records = await base<Fields>('Contacts')
      .select({ filterByFormula: `{Full Name} = "Camille O'Neil"` })
      .all();
    expect(records.map((r) => r.get('Full Name'))).toEqual(["Camille O'Neil"]);
  });

  it('compares numbers and dates, combined with AND/OR', async () => {
    const formula = "AND({Amount} >= 100000, OR(IS_BEFORE({Close Date}, '2026-01-01'), {Stage} = 'Lead'))";
    const expected = fixtureDeals.filter((d) => {
      const amount = Number(d.fields.Amount ?? 0);
      const close = d.fields['Close Date'];
      return amount >= 100000 && ((typeof close === 'string' && close < '2026-01-01') || d.fields.Stage === 'Lead');
    });
    expect(expected.length).toBeGreaterThan(0);

    const records = await deals().select({ filterByFormula: formula }).all();

    expect(new Set(ids(records))).toEqual(new Set(ids(expected)));
  });

  it('SEARCH finds text (case-insensitively through LOWER)', async () => {
    const expected = fixtureDeals.filter((d) => String(d.fields['Deal Name']).toLowerCase().includes('analytics'));
    expect(expected.length).toBeGreaterThan(0);

    const records = await deals()
      .select({ filterByFormula: "SEARCH('analytics', LOWER({Deal Name}))" })
      .all();

    expect(new Set(ids(records))).toEqual(new Set(ids(expected)));
  });

  it('sends formulas longer than 15,000 characters through POST listRecords', async () => {
    const wanted = ids(fixtureDeals).filter((_, i) => i % 2 === 0);
    const padding = ids(fixtureContacts); // ids that match no deal, to push past the URL limit
    const terms = [...wanted, ...padding, ...padding, ...padding, ...padding].map((id) => `RECORD_ID() = '${id}'`);
    const formula = `OR(${terms.join(', ')})`;
    // Too long for a GET: the emulator refuses URLs over Airtable's 16,000 characters.
    const asGet = await emulator.api(`/v0/${SALES_CRM_BASE_ID}/Deals?filterByFormula=${encodeURIComponent(formula)}`);
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
});

describe('select() output formats', () => {
  it('cellFormat string renders currency with its symbol, links as names and multiple selects joined', async () => {
    const [json] = await base<Fields>('Contacts')
      .select({ filterByFormula: "{Full Name} = 'Tomás O\\'Brien'" })
      .all();
    const [text] = await base<Fields>('Contacts')
      .select({
        filterByFormula: "{Full Name} = 'Tomás O\\'Brien'",
        cellFormat: 'string',
        timeZone: 'Europe/Dublin',
        userLocale: 'en-gb',
      })
      .all();
    const companyId = (json?.get('Company') as string[] | undefined)?.[0];
    const company = await base<Fields>('Companies').find(companyId as string);

    expect(text?.get('Tags')).toBe((json?.get('Tags') as string[]).join(', '));
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
