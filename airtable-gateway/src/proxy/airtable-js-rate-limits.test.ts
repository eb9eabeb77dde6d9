import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { BASE, SEEDED } from '../client/test-kit.ts';
import { airtableBase, type Fields, type ProxyRig, startProxyRig } from './airtable-js-kit.ts';

// Conformance: 429s as airtable.js meets them. airtable.js retries a 429 itself (with a random
// backoff of up to 5 s, doubling); through the gateway it should never have to. The clients
// here set noRetryIfRateLimited, so any 429 that reached them would fail the call.

const PER_BASE = 10;
let rig: ProxyRig;
let firstId = '';
beforeAll(async () => {
  rig = await startProxyRig({
    rateLimits: { perBase: PER_BASE, penaltyMs: 100 },
    engine: { perBaseLimit: PER_BASE, penaltyMs: 100, maxRateLimitRetries: 1 },
  });
  firstId = (await rig.gateway.listPage(BASE, SEEDED, { pageSize: 1 })).records[0]?.id as string;
});
beforeEach(async () => {
  await rig.admin('/faults', undefined, 'DELETE');
  await rig.resetStats();
});
afterAll(async () => {
  await rig.close();
});

const seeded = (url: string, noRetryIfRateLimited = true) =>
  airtableBase(url, { noRetryIfRateLimited })<Fields>(SEEDED);

describe('through the gateway', () => {
  it(`sees no 429 when it offers four times the base's budget (${4 * PER_BASE} lists at once)`, async () => {
    const calls = 4 * PER_BASE;
    const answers = await Promise.allSettled(
      // Distinct filters, so no two calls are merged into one upstream request.
      Array.from({ length: calls }, (_, i) =>
        seeded(rig.proxy.url)
          .select({ filterByFormula: `{Index} != ${1000 + i}`, maxRecords: 1 })
          .firstPage(),
      ),
    );
    expect(answers.filter((a) => a.status === 'rejected')).toEqual([]);
    const stats = await rig.stats();
    expect(stats.rateLimited).toBe(0);
    expect(stats.byBase[BASE]).toEqual({ requests: calls, rateLimited: 0 });
  });

  it('never sees the 429 Airtable sends anyway: the gateway pauses and retries it', async () => {
    await rig.admin('/faults', { force429: 1 }, 'PUT');
    const found = await seeded(rig.proxy.url).find(firstId);
    expect(found.id).toBe(firstId);
    expect((await rig.stats()).rateLimited).toBe(1);
  });

  it("gets Airtable's 429 as airtable.js names it once it outlasts the gateway's retries", async () => {
    await rig.admin('/faults', { force429: 2 }, 'PUT');
    await expect(seeded(rig.proxy.url).find(firstId)).rejects.toMatchObject({
      statusCode: 429,
      error: 'TOO_MANY_REQUESTS',
    });
    expect((await rig.stats()).rateLimited).toBe(2);
  });
});

describe('straight at the emulator', () => {
  it('airtable.js retries the 429 itself and then gets the record', async () => {
    // Its backoff is random() × 5 s: pinned to 250 ms, past the emulator's 100 ms penalty.
    const random = vi.spyOn(Math, 'random').mockReturnValue(0.05);
    try {
      await rig.admin('/faults', { force429: 1 }, 'PUT');
      const found = await seeded(rig.emulator.url, false).find(firstId);
      expect(found.id).toBe(firstId);
    } finally {
      random.mockRestore();
    }
    expect(await rig.stats()).toMatchObject({ requests: 2, rateLimited: 1 });
  });

  it('and without retries the caller gets it: 429 TOO_MANY_REQUESTS', async () => {
    await rig.admin('/faults', { force429: 1 }, 'PUT');
    await expect(seeded(rig.emulator.url).find(firstId)).rejects.toMatchObject({
      statusCode: 429,
      error: 'TOO_MANY_REQUESTS',
    });
  });
});
