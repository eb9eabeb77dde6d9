import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BASE, type ClientRig, SEEDED, SEEDED_COUNT, startClientRig } from './test-kit.ts';
import type { AirtableRecord } from './types.ts';

let rig: ClientRig;

beforeAll(async () => {
  rig = await startClientRig();
});
afterAll(async () => {
  expect((await rig.stats()).rateLimited).toBe(0);
  await rig.close();
});

const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);
const indexes = (records: AirtableRecord[]) => records.map((r) => r.fields.Index);

/** Lists SEEDED page by page, running `between(pageNumber)` after each page is received. */
async function collect(
  client: ClientRig['gateway'],
  pageSize: number,
  between: (page: number) => Promise<void> = async () => {},
) {
  const pages: AirtableRecord[][] = [];
  for await (const page of client.listAll(BASE, SEEDED, { pageSize })) {
    pages.push(page);
    await between(pages.length);
  }
  return pages;
}

describe('listAll', () => {
  it('follows offsets across pages and stops at maxRecords', async () => {
    const pages: AirtableRecord[][] = [];
    for await (const page of rig.gateway.listAll(BASE, SEEDED, { pageSize: 40, maxRecords: 100 }))
      pages.push(page);
    expect(pages.map((p) => p.length)).toEqual([40, 40, 20]);
    expect(indexes(pages.flat())).toEqual(range(0, 100));

    const all = await rig.gateway.listRecords(BASE, SEEDED, { fields: ['Index'] });
    expect(all).toHaveLength(SEEDED_COUNT);
    expect(all[0]).toMatchObject({ id: expect.stringMatching(/^rec/), createdTime: expect.any(String) });
    expect(all[0]?.fields).toEqual({ Index: 0 });
  });

  it('passes filters and sorts through', async () => {
    const records = await rig.gateway.listRecords(BASE, SEEDED, {
      filterByFormula: '{Index} < 5',
      sort: [{ field: 'Index', direction: 'desc' }],
    });
    expect(indexes(records)).toEqual([4, 3, 2, 1, 0]);
  });

  it('survives an iterator expiry mid-listing: nothing twice, nothing lost', async () => {
    await rig.resetStats();
    const pages = await collect(rig.gateway, 50, async (page) => {
      if (page === 2) await rig.admin('/iterators/expire', {});
    });
    expect(indexes(pages.flat())).toEqual(range(0, SEEDED_COUNT));
    expect((await rig.stats()).byStatus['422']).toBe(1);
  });

  it('survives the iterator expiring after every page', async () => {
    const pages = await collect(rig.gateway, 50, async () => {
      await rig.admin('/iterators/expire', {});
    });
    expect(pages.map((p) => p.length)).toEqual([50, 50, 50, 50, 50]);
    expect(indexes(pages.flat())).toEqual(range(0, SEEDED_COUNT));
  });

  it('honours maxRecords across a restart', async () => {
    const pages: AirtableRecord[][] = [];
    for await (const page of rig.gateway.listAll(BASE, SEEDED, { pageSize: 30, maxRecords: 70 })) {
      pages.push(page);
      await rig.admin('/iterators/expire', {});
    }
    expect(indexes(pages.flat())).toEqual(range(0, 70));
  });

  it('stops when its signal aborts', async () => {
    const controller = new AbortController();
    const pages: AirtableRecord[][] = [];
    await expect(
      (async () => {
        for await (const page of rig.gateway.listAll(
          BASE,
          SEEDED,
          { pageSize: 50 },
          { signal: controller.signal },
        )) {
          pages.push(page);
          controller.abort();
        }
      })(),
    ).rejects.toMatchObject({ code: 'GATEWAY_ABORTED' });
    expect(pages).toHaveLength(1);
  });
});

describe('listAll with the record cache on', () => {
  it('restarts past cached pages that carry a dead cursor', async () => {
    const cached = await startClientRig({ engine: { recordCacheTtlMs: 60_000 }, client: { cache: true } });
    try {
      // Pages 1 and 2 go into the cache, with the offsets Airtable gave them.
      for await (const page of cached.gateway.listAll(BASE, SEEDED, { pageSize: 50 })) {
        if (page[0]?.fields.Index === 50) break;
      }
      await cached.admin('/iterators/expire', {});
      const pages = await collect(cached.gateway, 50);
      expect(indexes(pages.flat())).toEqual(range(0, SEEDED_COUNT));
      expect((await cached.stats()).rateLimited).toBe(0);
    } finally {
      await cached.close();
    }
  });
});

describe('getRecord', () => {
  it('reads one record, and maps a missing one to AIRTABLE_ERROR 404', async () => {
    const [first] = await rig.gateway.listRecords(BASE, SEEDED, { maxRecords: 1 });
    const record = await rig.gateway.getRecord(BASE, SEEDED, first?.id as string);
    expect(record).toEqual(first);

    await expect(rig.gateway.getRecord(BASE, SEEDED, 'recAAAAAAAAAAAAAA')).rejects.toMatchObject({
      name: 'GatewayError',
      code: 'AIRTABLE_ERROR',
      upstreamStatus: 404,
    });
  });

  it("keeps Airtable's own error type where airtable.js would relabel it", async () => {
    await expect(rig.gateway.listRecords(BASE, 'No such table')).rejects.toMatchObject({
      code: 'AIRTABLE_ERROR',
      upstreamStatus: 403,
      airtableType: 'INVALID_PERMISSIONS_OR_MODEL_NOT_FOUND',
    });
  });
});
