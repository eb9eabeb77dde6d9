import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { expectError, json, PRODUCT_ROADMAP_BASE_ID, SALES_CRM_BASE_ID, sleep } from './http-test-helpers.ts';
import { startTestEmulator, type TestEmulator } from './test-support.ts';

// Airtable's limits over real HTTP: 5 requests per second per base, 50 per token owner,
// a penalty after a 429 (30 s at Airtable; shortened here), the exact 429 body.
// Timing-sensitive parts use an injected clock; the rest uses short real waits.

const B = SALES_CRM_BASE_ID;
const P = PRODUCT_ROADMAP_BASE_ID;
const PENALTY_MS = 300;
const RATE_LIMIT_BODY = {
  error: { type: 'RATE_LIMIT_REACHED', message: 'Rate limit exceeded. Please try again later' },
};

let t: TestEmulator;

const read = (baseId: string) =>
  t.api(baseId === B ? `/v0/${B}/Deals?pageSize=1` : `/v0/${P}/Features?pageSize=1`);

/** Fires `count` requests at once and returns their statuses (bodies of 429s checked exactly). */
async function burst(count: number, baseId = B, target = t): Promise<number[]> {
  const path = baseId === B ? `/v0/${B}/Deals?pageSize=1` : `/v0/${P}/Features?pageSize=1`;
  return Promise.all(
    Array.from({ length: count }, async () => {
      const res = await target.api(path);
      if (res.status === 429) expect(await res.json()).toEqual(RATE_LIMIT_BODY);
      else await res.body?.cancel();
      return res.status;
    }),
  );
}

const count = (statuses: number[], status: number) => statuses.filter((s) => s === status).length;

beforeAll(async () => {
  t = await startTestEmulator({ rateLimits: { enabled: true, penaltyMs: PENALTY_MS } });
});
afterAll(() => t.close());

beforeEach(async () => {
  // PUT also clears every bucket and penalty, so each spec starts with a full budget.
  await json(
    await t.admin('/rate-limits', {
      method: 'PUT',
      body: { enabled: true, perBase: 5, perOwner: 50, penaltyMs: PENALTY_MS },
    }),
  );
  await json(await t.admin('/stats', { method: 'DELETE' }));
});

describe('per base', () => {
  it('a burst of 20 at one base: exactly 5 are served, 15 get the exact 429 body', async () => {
    const statuses = await burst(20);
    expect(count(statuses, 200)).toBe(5);
    expect(count(statuses, 429)).toBe(15);
  });

  it('the 429 is JSON, like every other error', async () => {
    await burst(5);
    const res = await read(B);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    await expectError(res, 429, 'RATE_LIMIT_REACHED');
  });

  it('refuses even a spaced request during the penalty, and serves again after penalty + 1 s', async () => {
    await json(await t.admin('/rate-limits', { method: 'PUT', body: { penaltyMs: 1_500 } }));
    const statuses = await burst(6);
    expect(count(statuses, 429)).toBe(1);
    // The burst has left the one-second window, but the penalty still runs.
    await sleep(1_100);
    await expectError(await read(B), 429, 'RATE_LIMIT_REACHED');
    await sleep(1_500);
    await json(await read(B));
  });

  it('serves again after the short penalty plus a second', async () => {
    await burst(10);
    await sleep(PENALTY_MS + 1_000);
    expect(count(await burst(5), 200)).toBe(5);
  });

  it("one base's penalty does not touch another base", async () => {
    expect(count(await burst(10, B), 429)).toBe(5);
    expect(count(await burst(5, P), 200)).toBe(5);
    await expectError(await read(B), 429, 'RATE_LIMIT_REACHED');
  });

  it('requests spaced 250 ms apart are never refused', async () => {
    for (let i = 0; i < 8; i++) {
      const started = Date.now();
      expect((await read(B)).status, `request ${i}`).toBe(200);
      await sleep(250 - (Date.now() - started));
    }
  });

  it('enabled: false turns limiting off', async () => {
    await json(await t.admin('/rate-limits', { method: 'PUT', body: { enabled: false } }));
    expect(count(await burst(30), 200)).toBe(30);
  });

  it('refuses bad settings with 422 EMULATOR_INVALID_REQUEST', async () => {
    for (const body of [{ perBase: 0 }, { penaltyMs: -1 }, { perSecond: 5 }, { enabled: 'yes' }]) {
      await expectError(
        await t.admin('/rate-limits', { method: 'PUT', body }),
        422,
        'EMULATOR_INVALID_REQUEST',
      );
    }
    expect(await json(await t.admin('/rate-limits'))).toEqual({
      enabled: true,
      perBase: 5,
      perOwner: 50,
      penaltyMs: PENALTY_MS,
    });
  });
});

describe('per owner', () => {
  it('counts requests across bases: with perOwner 6, 8 requests over two bases serve 6', async () => {
    await json(await t.admin('/rate-limits', { method: 'PUT', body: { perOwner: 6 } }));
    const statuses = (await Promise.all([burst(4, B), burst(4, P)])).flat();
    expect(count(statuses, 200)).toBe(6);
    expect(count(statuses, 429)).toBe(2);
    // The owner is in the penalty box now, even for requests about no base.
    await expectError(await t.api('/v0/meta/whoami'), 429, 'RATE_LIMIT_REACHED');
    await expectError(await t.api('/v0/meta/bases'), 429, 'RATE_LIMIT_REACHED');
  });
});

describe('GET /__emulator/stats', () => {
  it('counts requests and 429s per base and per status', async () => {
    await burst(8, B);
    await burst(2, P);
    const stats = await json<{
      requests: number;
      rateLimited: number;
      byStatus: Record<string, number>;
      byBase: Record<string, { requests: number; rateLimited: number }>;
    }>(await t.admin('/stats'));
    expect(stats).toEqual({
      requests: 10,
      rateLimited: 3,
      byStatus: { 200: 7, 429: 3 },
      byBase: { [B]: { requests: 8, rateLimited: 3 }, [P]: { requests: 2, rateLimited: 0 } },
    });
  });
});

describe('the sliding window, on an injected clock', () => {
  let clock = 0;
  let timed: TestEmulator;

  beforeAll(async () => {
    timed = await startTestEmulator({
      now: () => new Date(clock),
      rateLimits: { enabled: true, penaltyMs: 30_000 },
    });
  });
  afterAll(() => timed.close());
  beforeEach(async () => {
    clock = Date.parse('2026-01-05T09:00:00.000Z');
    await timed.admin('/rate-limits', { method: 'PUT', body: { enabled: true } });
  });

  const one = async () => (await burst(1, B, timed))[0];

  it('counts over any second, not per calendar second', async () => {
    clock += 900; // late in one second…
    for (let i = 0; i < 5; i++) expect(await one()).toBe(200);
    clock += 200; // …and early in the next: still the same sliding second
    expect(await one()).toBe(429);
  });

  it('a request leaves the window exactly one second after it was made', async () => {
    for (let i = 0; i < 5; i++) expect(await one()).toBe(200);
    clock += 1_000;
    expect(await one()).toBe(200);
  });

  it("keeps Airtable's default 30 s penalty to the millisecond", async () => {
    for (let i = 0; i < 5; i++) expect(await one()).toBe(200);
    expect(await one()).toBe(429);
    clock += 29_999;
    expect(await one()).toBe(429);
    clock += 1;
    expect(await one()).toBe(200);
  });
});

describe('counted at arrival, as Airtable does', () => {
  const JITTER_MS = 2_000;
  /** Each request's injected delay, in arrival order (the emulator draws its jitter from these). */
  const delays: number[] = [];
  let slow: TestEmulator;

  beforeAll(async () => {
    slow = await startTestEmulator({
      random: () => (delays.shift() ?? 0) / JITTER_MS,
      rateLimits: { enabled: true, penaltyMs: 30_000 },
    });
    await json(await slow.admin('/faults', { method: 'PUT', body: { jitterMs: JITTER_MS, baseId: B } }));
  });
  afterAll(() => slow.close());

  it('requests that arrive 4 a second are all served, even when injected latency makes them finish together', async () => {
    // Later arrivals wait less, so all eight answers come out at about 1.75 s: counted then,
    // they would be eight in one second.
    delays.push(...Array.from({ length: 8 }, (_, i) => (7 - i) * 250));
    const answers: Promise<{ status: number; at: number }>[] = [];
    for (let i = 0; i < 8; i++) {
      answers.push(burst(1, B, slow).then(([status]) => ({ status: status as number, at: Date.now() })));
      await sleep(250);
    }
    const served = await Promise.all(answers);
    expect(served.map((a) => a.status)).toEqual(Array(8).fill(200));
    const finished = served.map((a) => a.at);
    expect(Math.max(...finished) - Math.min(...finished)).toBeLessThan(500);
  });
});
