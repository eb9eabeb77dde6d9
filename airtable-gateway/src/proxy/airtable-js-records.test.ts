import type Airtable from 'airtable';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BASE, clientFixture, ITEMS, numbered, SEEDED, SEEDED_COUNT } from '../client/test-kit.ts';
import {
  airtableBase,
  type Fields,
  type ProxyRig,
  range,
  startProxyRig,
  upsertVia,
} from './airtable-js-kit.ts';

// Conformance: what a user who points the official airtable.js client at the gateway's proxy
// (port 8002) gets for records: lists page by page, find, and every write in batches of 10,
// as against Airtable itself. Rate limits are on at both ends; none may be hit.

let rig: ProxyRig;
let base: Airtable.Base;
/** `METHOD /path` of every request the gateway sent upstream. */
const upstream: string[] = [];
beforeAll(async () => {
  rig = await startProxyRig({
    engine: {
      fetch: (input, init) => {
        upstream.push(`${init?.method ?? 'GET'} ${new URL(String(input)).pathname}`);
        return fetch(input, init);
      },
    },
  });
  base = airtableBase(rig.proxy.url);
});
beforeEach(async () => {
  await rig.admin('/reset', { seed: clientFixture() });
});
afterAll(async () => {
  expect((await rig.stats()).rateLimited).toBe(0);
  await rig.close();
});

const items = () => base<Fields>(ITEMS);
const seeded = () => base<Fields>(SEEDED);
const indexes = (records: readonly Airtable.Record<Fields>[]) => records.map((r) => r.get('Index'));
/** Ten new Items records, created through the proxy, and their ids. */
async function createTen(from = 0): Promise<string[]> {
  return (await items().create(numbered(10, from))).map((r) => r.id);
}

describe('lists', () => {
  it('eachPage follows the offsets: 250 records as pages of 100, 100 and 50, in creation order', async () => {
    const pages: number[][] = [];
    await seeded()
      .select({ pageSize: 100, fields: ['Index'] })
      .eachPage((records, next) => {
        pages.push(indexes(records) as number[]);
        next();
      });
    expect(pages.map((p) => p.length)).toEqual([100, 100, 50]);
    expect(pages.flat()).toEqual(range(0, SEEDED_COUNT));
  });

  it('all() collects every page, and passes fields, filters, sorts and maxRecords through', async () => {
    const all = await seeded()
      .select({ fields: ['Index'] })
      .all();
    expect(all).toHaveLength(SEEDED_COUNT);
    expect(all[0]?.fields).toEqual({ Index: 0 });
    expect(all[0]?._rawJson.createdTime).toEqual(expect.any(String));

    const some = await seeded()
      .select({ filterByFormula: '{Index} < 5', sort: [{ field: 'Index', direction: 'desc' }] })
      .all();
    expect(indexes(some)).toEqual([4, 3, 2, 1, 0]);
    expect(await seeded().select({ maxRecords: 3 }).firstPage()).toHaveLength(3);
  });

  it('lists by POST …/listRecords (airtable.js sends it so for method "post" and for long filters)', async () => {
    upstream.length = 0;
    const posted = await seeded()
      .select({ method: 'post', pageSize: 100, filterByFormula: '{Index} >= 240' })
      .all();
    expect(indexes(posted)).toEqual(range(240, 250));

    // Past airtable.js's own URL limit (15,000 characters) it moves to POST by itself.
    const long = `AND({Index} = 7, LEN('${'x'.repeat(16_000)}') > 0)`;
    expect(indexes(await seeded().select({ filterByFormula: long }).all())).toEqual([7]);
    expect(upstream).toEqual(Array(2).fill(`POST /v0/${BASE}/${SEEDED}/listRecords`));
  });
});

describe('find', () => {
  it('reads one record by id, as the list shows it', async () => {
    const [first] = await seeded().select({ maxRecords: 1 }).firstPage();
    const found = await seeded().find(first?.id as string);
    expect(found.id).toBe(first?.id);
    expect(found.fields).toEqual(first?.fields);
  });
});

describe('writes in batches of 10', () => {
  it('creates 10 records in one call, in order, and typecasts when asked', async () => {
    const created = await items().create(numbered(10));
    expect(indexes(created)).toEqual(range(0, 10));
    expect(new Set(created.map((r) => r.id)).size).toBe(10);

    const cast = await items().create([{ fields: { Name: 'Cast', Status: 'Blocked' } }], { typecast: true });
    expect(cast[0]?.get('Status')).toBe('Blocked');
    // Without sort or view a list follows creation order: the batch was written in order.
    expect(indexes(await items().select().all())).toEqual([...range(0, 10), undefined]);
  });

  it('updates (PATCH, keeping cells not sent) and replaces (PUT, clearing them) 10 at a time', async () => {
    const ids = await createTen();
    const patched = await items().update(ids.map((id) => ({ id, fields: { Notes: 'patched' } })));
    expect(patched.map((r) => [r.get('Index'), r.get('Notes')])).toEqual(
      range(0, 10).map((i) => [i, 'patched']),
    );

    const replaced = await items().replace(ids.map((id) => ({ id, fields: { Name: 'replaced' } })));
    expect(replaced.every((r) => r.get('Index') === undefined && r.get('Name') === 'replaced')).toBe(true);
    expect((await items().find(ids[9] as string)).fields).toEqual({ Name: 'replaced' });
  });

  it('upserts with performUpsert: a match on the merge field is updated, the rest created', async () => {
    const ids = await createTen();
    const upserts = range(5, 15).map((i) => ({ fields: { Name: `Item ${i}`, Notes: 'upserted' } }));
    const result = await upsertVia(items())(upserts, { performUpsert: { fieldsToMergeOn: ['Name'] } });
    expect(result.map((r) => r.get('Notes'))).toEqual(Array(10).fill('upserted'));
    expect(result.slice(0, 5).map((r) => r.id)).toEqual(ids.slice(5));
    expect(await items().select().all()).toHaveLength(15);
  });

  it('destroys 10 records in one call', async () => {
    const ids = await createTen();
    const destroyed = await items().destroy(ids);
    expect(destroyed.map((r) => r.id)).toEqual(ids);
    expect(await items().select().all()).toEqual([]);
  });

  it('refuses 11 records in one call with 422 INVALID_RECORDS, writing nothing', async () => {
    const ids = [...(await createTen()), ...(await createTen(10))].slice(0, 11);
    await expect(items().create(numbered(11))).rejects.toMatchObject({
      statusCode: 422,
      error: 'INVALID_RECORDS',
    });
    await expect(items().update(ids.map((id) => ({ id, fields: { Notes: 'x' } })))).rejects.toMatchObject({
      statusCode: 422,
      error: 'INVALID_RECORDS',
    });
    await expect(items().destroy(ids)).rejects.toMatchObject({ statusCode: 422, error: 'INVALID_RECORDS' });
    const left = await items().select().all();
    expect(left).toHaveLength(20);
    expect(left.some((r) => r.get('Notes') === 'x')).toBe(false);
  });
});
