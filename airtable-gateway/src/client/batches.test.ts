import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { BatchProgress } from './batch-runner.ts';
import { BASE, type ClientRig, clientFixture, ITEMS, numbered, startClientRig } from './test-kit.ts';

let rig: ClientRig;

beforeAll(async () => {
  rig = await startClientRig();
});
beforeEach(async () => {
  await rig.admin('/reset', { seed: clientFixture() });
});
afterAll(async () => {
  // Rate limits are on at both ends: the engine must have kept every call under them.
  expect((await rig.stats()).rateLimited).toBe(0);
  await rig.close();
});

const indexes = (records: { fields: Record<string, unknown> }[]) => records.map((r) => r.fields.Index);
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

describe('createMany', () => {
  it('lands 1,234 records, in order, in exactly 124 upstream calls', async () => {
    await rig.gateway.whoami(); // the engine resolves the token's owner once, off the base's count
    await rig.resetStats();
    const result = await rig.gateway.createMany(BASE, ITEMS, numbered(1234));
    const stats = await rig.stats();

    expect(result).toMatchObject({ ok: true, total: 1234, written: 1234, upstreamCalls: 124 });
    expect(result.error).toBeUndefined();
    expect(stats.byBase[BASE]).toEqual({ requests: 124, rateLimited: 0 });
    expect(result.records.map((r) => (r.status === 'written' ? r.fields?.Index : undefined))).toEqual(
      range(0, 1234),
    );
    const back = await rig.gateway.listRecords(BASE, ITEMS);
    // Without sort or view the list follows creation order: the batches went out in order.
    expect(indexes(back)).toEqual(range(0, 1234));
    expect(back.map((r) => r.id)).toEqual(result.records.map((r) => (r.status === 'written' ? r.id : '')));
  });

  it('names what was written, what failed and what was not attempted when batch 7 is rejected', async () => {
    const input = numbered(100);
    (input[65] as { fields: Record<string, unknown> }).fields.Index = 'not a number';
    const result = await rig.gateway.createMany(BASE, ITEMS, input);

    expect(result).toMatchObject({ ok: false, total: 100, written: 60, upstreamCalls: 7 });
    expect(result.error).toMatchObject({
      code: 'AIRTABLE_ERROR',
      batchIndex: 6,
      upstreamStatus: 422,
      airtableType: 'INVALID_VALUE_FOR_COLUMN',
    });
    const byStatus = (status: string) =>
      result.records.filter((r) => r.status === status).map((r) => r.index);
    expect(byStatus('written')).toEqual(range(0, 60));
    expect(byStatus('failed')).toEqual(range(60, 70));
    expect(byStatus('not-attempted')).toEqual(range(70, 100));
    for (const record of result.records.slice(60, 70)) {
      expect(record).toMatchObject({
        status: 'failed',
        batchIndex: 6,
        error: { code: 'AIRTABLE_ERROR', upstreamStatus: 422, airtableType: 'INVALID_VALUE_FOR_COLUMN' },
      });
    }
    const back = await rig.gateway.listRecords(BASE, ITEMS, {}, {});
    expect(indexes(back)).toEqual(range(0, 60));
  });

  it('applies typecast and reports progress batch by batch', async () => {
    const input = numbered(25).map((r) => ({ fields: { ...r.fields, Status: 'Blocked' } }));
    const refused = await rig.gateway.createMany(BASE, ITEMS, input);
    expect(refused.error).toMatchObject({ code: 'AIRTABLE_ERROR', upstreamStatus: 422, batchIndex: 0 });
    expect(refused.written).toBe(0);

    const progress: BatchProgress[] = [];
    const result = await rig.gateway.createMany(BASE, ITEMS, input, {
      typecast: true,
      onProgress: (p) => progress.push(p),
    });
    expect(result).toMatchObject({ ok: true, written: 25, upstreamCalls: 3 });
    expect(progress).toEqual([
      { batchIndex: 0, batches: 3, written: 10, total: 25 },
      { batchIndex: 1, batches: 3, written: 20, total: 25 },
      { batchIndex: 2, batches: 3, written: 25, total: 25 },
    ]);
    expect(result.records[24]).toMatchObject({ status: 'written', fields: { Status: 'Blocked' } });
  });

  it('stops before the next batch when cancelled, leaving the rest not attempted', async () => {
    const controller = new AbortController();
    const result = await rig.gateway.createMany(BASE, ITEMS, numbered(45), {
      signal: controller.signal,
      onProgress: (p) => {
        if (p.batchIndex === 1) controller.abort();
      },
    });
    expect(result).toMatchObject({ ok: false, written: 20, upstreamCalls: 2 });
    expect(result.error).toMatchObject({ code: 'GATEWAY_ABORTED', batchIndex: 2 });
    expect(result.records.slice(20).every((r) => r.status === 'not-attempted')).toBe(true);
  });

  it('sends nothing for no records', async () => {
    const result = await rig.gateway.createMany(BASE, ITEMS, []);
    expect(result).toEqual({ ok: true, total: 0, written: 0, upstreamCalls: 0, records: [] });
  });
});

describe('updateMany, upsertMany, deleteMany', () => {
  it('patches (keeping unsent cells) or replaces (clearing them)', async () => {
    const created = await rig.gateway.createMany(BASE, ITEMS, numbered(12));
    const ids = created.records.map((r) => (r.status === 'written' ? r.id : ''));

    const patched = await rig.gateway.updateMany(
      BASE,
      ITEMS,
      ids.map((id) => ({ id, fields: { Notes: 'patched' } })),
    );
    expect(patched).toMatchObject({ ok: true, written: 12, upstreamCalls: 2 });
    expect(patched.records[11]).toMatchObject({ status: 'written', id: ids[11], fields: { Index: 11 } });

    const replaced = await rig.gateway.updateMany(
      BASE,
      ITEMS,
      ids.slice(0, 3).map((id) => ({ id, fields: { Name: 'replaced' } })),
      { replace: true },
    );
    expect(replaced.ok).toBe(true);
    const first = await rig.gateway.getRecord(BASE, ITEMS, ids[0] as string);
    expect(first.fields).toEqual({ Name: 'replaced' });
    const last = await rig.gateway.getRecord(BASE, ITEMS, ids[11] as string);
    expect(last.fields).toEqual({ Name: 'Item 11', Index: 11, Notes: 'patched' });
  });

  it('upserts on a merge field and says which records were created and which updated', async () => {
    const existing = await rig.gateway.createMany(BASE, ITEMS, numbered(5));
    const upserts = numbered(12).map((r) => ({ fields: { Name: r.fields.Name, Notes: 'upserted' } }));
    const result = await rig.gateway.upsertMany(BASE, ITEMS, upserts, ['Name']);

    expect(result).toMatchObject({ ok: true, written: 12, upstreamCalls: 2, created: 7, updated: 5 });
    expect(result.records.map((r) => (r.status === 'written' ? r.upsert : undefined))).toEqual([
      ...Array(5).fill('updated'),
      ...Array(7).fill('created'),
    ]);
    for (let i = 0; i < 5; i++) {
      const before = existing.records[i];
      expect(result.records[i]).toMatchObject({ id: before?.status === 'written' ? before.id : 'missing' });
    }
    expect(await rig.gateway.listRecords(BASE, ITEMS)).toHaveLength(12);
  });

  it('deletes any number of records in batches of 10, and reports a batch Airtable refuses', async () => {
    const created = await rig.gateway.createMany(BASE, ITEMS, numbered(25));
    const ids = created.records.map((r) => (r.status === 'written' ? r.id : ''));
    const result = await rig.gateway.deleteMany(BASE, ITEMS, ids);
    expect(result).toMatchObject({ ok: true, written: 25, upstreamCalls: 3 });
    expect(result.records.map((r) => (r.status === 'written' ? r.id : ''))).toEqual(ids);
    expect(await rig.gateway.listRecords(BASE, ITEMS)).toEqual([]);

    const again = await rig.gateway.deleteMany(BASE, ITEMS, ids.slice(0, 2));
    expect(again.ok).toBe(false);
    expect(again.error?.code).toBe('AIRTABLE_ERROR');
    expect(again.error?.upstreamStatus).toBeGreaterThanOrEqual(400);
    expect(again.records.map((r) => r.status)).toEqual(['failed', 'failed']);
  });
});
