import { afterAll, beforeAll, expect, it } from 'vitest';
import { BASE, type ClientRig, ITEMS, numbered, SEEDED, startClientRig } from './test-kit.ts';

let rig: ClientRig;

beforeAll(async () => {
  // A small budget: 10 calls per second for the base, so the queue fills up.
  rig = await startClientRig({ engine: { perBaseLimit: 10 }, rateLimits: { perBase: 20 } });
  await rig.gateway.whoami();
});
afterAll(async () => {
  expect((await rig.stats()).rateLimited).toBe(0);
  await rig.close();
});

it('lets interactive calls queued behind a bulk import go first', async () => {
  const bulk = rig.gateway.withPriority('bulk');
  expect(bulk.priority).toBe('bulk');
  expect(rig.gateway.priority).toBe('interactive');

  const log: string[] = [];
  let started!: () => void;
  const underWay = new Promise<void>((resolve) => {
    started = resolve;
  });
  // 200 records in 10 parallel streams: 20 batches, two seconds of the base's budget.
  const importing = Promise.all(
    Array.from({ length: 10 }, (_, stream) =>
      bulk.createMany(BASE, ITEMS, numbered(20, stream * 20), {
        onProgress: () => {
          log.push('bulk');
          started();
        },
      }),
    ),
  );
  await underWay;
  const interactive = await Promise.all(
    [1, 2, 3].map(async (n) => {
      const records = await rig.gateway.listRecords(BASE, SEEDED, { maxRecords: n });
      log.push('interactive');
      return records.length;
    }),
  );
  const results = await importing;

  expect(interactive).toEqual([1, 2, 3]);
  expect(results.every((r) => r.ok)).toBe(true);
  expect(log.filter((entry) => entry === 'bulk')).toHaveLength(20);
  // First come, first served would put the interactive calls behind the ten queued batches
  // (after about 20 bulk completions); by priority they go ahead of them.
  const lastInteractive = log.lastIndexOf('interactive');
  const bulkBefore = log.slice(0, lastInteractive).filter((entry) => entry === 'bulk').length;
  expect(bulkBefore).toBeLessThanOrEqual(12);
  expect(await rig.gateway.listRecords(BASE, ITEMS)).toHaveLength(200);
});
