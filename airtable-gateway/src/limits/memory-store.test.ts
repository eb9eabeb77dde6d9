import { describe, expect, it } from 'vitest';
import { createMemoryStore } from './memory-store.ts';
import { conservativeKeys, scaleLimits } from './scale-limits.ts';
import type { LimitKey } from './types.ts';

function clock(start = 0) {
  let t = start;
  return { now: () => t, set: (value: number) => (t = value), advance: (ms: number) => (t += ms) };
}

/** A small seeded PRNG (mulberry32), so a failing pattern can be replayed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The most admissions found in any half-open interval [t, t + spanMs). */
function maxInAnyWindow(sorted: number[], spanMs: number): number {
  let max = 0;
  let start = 0;
  for (let end = 0; end < sorted.length; end++) {
    while ((sorted[end] as number) - (sorted[start] as number) >= spanMs) start++;
    max = Math.max(max, end - start + 1);
  }
  return max;
}

describe('createMemoryStore', () => {
  it('never lets any window of windowMs + margin hold more than limit, under random arrivals', async () => {
    const report: string[] = [];
    for (const [seed, limit, windowMs, margin, workers] of [
      [1, 5, 1000, 50, 8],
      [2, 5, 1000, 0, 3],
      [3, 50, 1000, 25, 40],
      [4, 1, 200, 10, 5],
      [5, 7, 333, 17, 12],
    ] as const) {
      const rand = random(seed);
      const time = clock(0);
      const store = createMemoryStore({ windowMs, safetyMarginMs: margin, now: time.now });
      const key: LimitKey[] = [{ key: 'base:appRandom', limit }];
      const durationMs = 20_000;
      // Each worker tries at a random moment; refused, it comes back after retryInMs
      // (sometimes early, to poke at the edges); admitted, after a random pause.
      const next = Array.from({ length: workers }, () => rand() * 300);
      const admitted: number[] = [];
      while (true) {
        const at = Math.min(...next);
        if (at >= durationMs) break;
        const worker = next.indexOf(at);
        time.set(at);
        const result = await store.acquire(key);
        if (result.admitted) {
          admitted.push(at);
          next[worker] = at + (rand() < 0.5 ? 0 : rand() * windowMs);
        } else {
          expect(result.retryInMs).toBeGreaterThanOrEqual(1);
          next[worker] = at + (rand() < 0.2 ? rand() * result.retryInMs : result.retryInMs);
        }
      }
      const maxSeen = maxInAnyWindow(admitted, windowMs + margin);
      expect(maxSeen).toBeLessThanOrEqual(limit);
      expect(maxInAnyWindow(admitted, windowMs)).toBeLessThanOrEqual(limit);
      const throughput = admitted.length / ((limit * durationMs) / windowMs);
      report.push(
        `limit ${limit}/${windowMs}+${margin} ms: max ${maxSeen}, ${(throughput * 100).toFixed(1)}%`,
      );
      expect(throughput).toBeGreaterThanOrEqual(0.9 * (windowMs / (windowMs + margin)));
    }
    console.info(`memory store bound: ${report.join('; ')}`);
  });

  it('admits a lone caller exactly when retryInMs says, under random arrivals', async () => {
    const rand = random(42);
    const time = clock(1_000_000.25);
    const store = createMemoryStore({ windowMs: 1000, safetyMarginMs: 50, now: time.now });
    const key = [{ key: 'base:appLone', limit: 5 }];
    let refusals = 0;
    for (let i = 0; i < 500; i++) {
      time.advance(rand() < 0.7 ? rand() * 50 : rand() * 1500);
      const first = await store.acquire(key);
      if (first.admitted) continue;
      refusals++;
      // The exact wait w (fractional here) is reported as ceil(w): 1 ms earlier is too early.
      time.advance(first.retryInMs - 1);
      expect(await store.acquire(key)).toEqual({ admitted: false, retryInMs: 1 });
      time.advance(1);
      expect(await store.acquire(key)).toMatchObject({ admitted: true });
    }
    expect(refusals).toBeGreaterThan(50);
  });

  it('gives the exact wait until the oldest relevant admission leaves the window', async () => {
    const time = clock(0);
    const store = createMemoryStore({ windowMs: 1000, safetyMarginMs: 50, now: time.now });
    const key = [{ key: 'base:appExact', limit: 3 }];
    for (const at of [0, 100, 200]) {
      time.set(at);
      expect(await store.acquire(key)).toMatchObject({ admitted: true });
    }
    time.set(300);
    expect(await store.acquire(key)).toEqual({ admitted: false, retryInMs: 750 });
    time.set(1049);
    expect(await store.acquire(key)).toEqual({ admitted: false, retryInMs: 1 });
    time.set(1049.9);
    expect(await store.acquire(key)).toEqual({ admitted: false, retryInMs: 1 });
    time.set(1050);
    expect(await store.acquire(key)).toMatchObject({ admitted: true });
    time.set(1051);
    expect(await store.acquire(key)).toEqual({ admitted: false, retryInMs: 99 });
    // A lower limit than before counts the admissions already made.
    time.set(1150);
    expect(await store.acquire([{ key: 'base:appExact', limit: 1 }])).toEqual({
      admitted: false,
      retryInMs: 950,
    });
  });

  it('spends nothing when any key refuses (all or nothing)', async () => {
    const time = clock(0);
    const store = createMemoryStore({ windowMs: 1000, safetyMarginMs: 0, now: time.now });
    const owner = { key: 'owner:usrA', limit: 2 };
    expect(await store.acquire([{ key: 'base:appA', limit: 5 }, owner])).toMatchObject({ admitted: true });
    time.set(400);
    expect(await store.acquire([{ key: 'base:appA', limit: 5 }, owner])).toMatchObject({ admitted: true });
    time.set(500);
    expect(await store.acquire([{ key: 'base:appB', limit: 5 }, owner])).toEqual({
      admitted: false,
      retryInMs: 500,
    });
    for (let i = 0; i < 5; i++)
      expect(await store.acquire([{ key: 'base:appB', limit: 5 }])).toMatchObject({ admitted: true });
    expect(await store.acquire([{ key: 'base:appB', limit: 5 }])).toEqual({
      admitted: false,
      retryInMs: 1000,
    });
    // The wait is the longest over the keys that refuse.
    time.set(1000);
    expect(await store.acquire([owner, { key: 'base:appB', limit: 5 }])).toEqual({
      admitted: false,
      retryInMs: 500,
    });
  });

  it('keeps keys independent', async () => {
    const time = clock(0);
    const store = createMemoryStore({ windowMs: 1000, safetyMarginMs: 0, now: time.now });
    for (let i = 0; i < 5; i++) await store.acquire([{ key: 'base:appFull', limit: 5 }]);
    expect((await store.acquire([{ key: 'base:appFull', limit: 5 }])).admitted).toBe(false);
    await store.block('base:appBlocked', 30_000);
    for (let i = 0; i < 5; i++)
      expect(await store.acquire([{ key: 'base:appFree', limit: 5 }])).toMatchObject({ admitted: true });
  });

  it('refuses a blocked key for exactly the penalty, and never shortens a block', async () => {
    const time = clock(10);
    const store = createMemoryStore({ windowMs: 1000, safetyMarginMs: 50, now: time.now });
    const key = [{ key: 'base:app429', limit: 5 }];
    expect(await store.acquire(key)).toMatchObject({ admitted: true });
    await store.block('base:app429', 30_000);
    expect(await store.acquire(key)).toEqual({ admitted: false, retryInMs: 30_000 });
    time.advance(10_000);
    await store.block('base:app429', 1_000);
    expect(await store.acquire(key)).toEqual({ admitted: false, retryInMs: 20_000 });
    // A block refuses joint admissions too, and spends nothing on the other keys.
    expect(await store.acquire([{ key: 'owner:usrB', limit: 1 }, ...key])).toEqual({
      admitted: false,
      retryInMs: 20_000,
    });
    time.advance(19_999);
    expect(await store.acquire(key)).toEqual({ admitted: false, retryInMs: 1 });
    time.advance(1);
    expect(await store.acquire([{ key: 'owner:usrB', limit: 1 }, ...key])).toMatchObject({ admitted: true });
    await store.block('base:app429', 0);
    expect(await store.acquire(key)).toMatchObject({ admitted: true });
  });

  it('drops idle keys and bounds memory', async () => {
    const time = clock(0);
    const store = createMemoryStore({ windowMs: 1000, safetyMarginMs: 50, now: time.now });
    for (let i = 0; i < 1000; i++) await store.acquire([{ key: `base:app${i}`, limit: 5 }]);
    await store.block('base:appPenalised', 5_000);
    expect(store.trackedKeys()).toBe(1001);
    time.advance(1050);
    expect(store.trackedKeys()).toBe(1);
    time.advance(5_000);
    expect(store.trackedKeys()).toBe(0);
  });

  it('merges duplicate keys, and rejects invalid keys, settings and use after close with codes', async () => {
    const time = clock(0);
    const store = createMemoryStore({ windowMs: 1000, safetyMarginMs: 0, now: time.now });
    const twice = [
      { key: 'base:appDup', limit: 3 },
      { key: 'base:appDup', limit: 2 },
    ];
    expect(await store.acquire(twice)).toMatchObject({ admitted: true });
    expect(await store.acquire(twice)).toMatchObject({ admitted: true });
    expect((await store.acquire(twice)).admitted).toBe(false);
    expect(await store.acquire([])).toMatchObject({ admitted: true });
    await expect(store.acquire([{ key: 'base:appX', limit: 0 }])).rejects.toMatchObject({
      code: 'LIMITS_INVALID_KEYS',
    });
    await expect(store.acquire([{ key: 'base:appX', limit: 1.5 }])).rejects.toMatchObject({
      code: 'LIMITS_INVALID_KEYS',
    });
    await expect(store.acquire([{ key: '', limit: 1 }])).rejects.toMatchObject({
      code: 'LIMITS_INVALID_KEYS',
    });
    await expect(store.block('', 10)).rejects.toMatchObject({ code: 'LIMITS_INVALID_KEYS' });
    expect(() => createMemoryStore({ windowMs: 0, safetyMarginMs: 0 })).toThrow(
      expect.objectContaining({ code: 'LIMITS_INVALID_SETTINGS' }),
    );
    expect(() => createMemoryStore({ windowMs: 1000, safetyMarginMs: -1 })).toThrow(
      expect.objectContaining({ code: 'LIMITS_INVALID_SETTINGS' }),
    );
    await store.close();
    await expect(store.acquire([{ key: 'base:appDup', limit: 3 }])).rejects.toMatchObject({
      code: 'LIMITS_STORE_CLOSED',
    });
  });
});

describe('createMemoryStore, paced', () => {
  it('keeps admissions on an even schedule of window/limit (half an interval of slack), within the window bound', async () => {
    const c = clock();
    const store = createMemoryStore({ windowMs: 1000, safetyMarginMs: 20, paced: true, now: c.now });
    const key = [{ key: 'base:appPaced', limit: 5 }];
    const admitted: number[] = [];
    while (c.now() < 10_000) {
      const result = await store.acquire(key);
      if (result.admitted) admitted.push(c.now());
      c.advance(result.admitted ? 1 : result.retryInMs);
    }
    const gaps = admitted.slice(1).map((t, i) => t - (admitted[i] as number));
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(102);
    expect(maxInAnyWindow(admitted, 1020)).toBeLessThanOrEqual(5);
    // 1020 ms / 5 = one admission per 204 ms: 98% of the limit.
    expect(admitted.length).toBeGreaterThanOrEqual(48);
  });

  it('does not lose throughput when callers come back late', async () => {
    const c = clock();
    const store = createMemoryStore({ windowMs: 1000, safetyMarginMs: 20, paced: true, now: c.now });
    const key = [{ key: 'owner:late', limit: 50 }];
    let admitted = 0;
    while (c.now() < 10_000) {
      const result = await store.acquire(key);
      if (result.admitted) admitted++;
      // Every wake-up is 3 ms late, as timers on a busy event loop are.
      c.advance(result.admitted ? 3 : result.retryInMs + 3);
    }
    expect(admitted).toBeGreaterThanOrEqual(480);
  });

  it('tells a refused caller when the next paced slot opens', async () => {
    const c = clock();
    const store = createMemoryStore({ windowMs: 1000, safetyMarginMs: 0, paced: true, now: c.now });
    expect(await store.acquire([{ key: 'owner:u', limit: 50 }])).toMatchObject({ admitted: true });
    expect(await store.acquire([{ key: 'owner:u', limit: 50 }])).toEqual({ admitted: false, retryInMs: 10 });
  });
});

describe('conservativeKeys / scaleLimits', () => {
  it('scales limits down, never below 1', async () => {
    const keys = [
      { key: 'base:a', limit: 5 },
      { key: 'owner:b', limit: 50 },
      { key: 'x', limit: 100 },
      { key: 'y', limit: 1 },
    ];
    expect(conservativeKeys(keys, 0.5).map((k) => k.limit)).toEqual([2, 25, 50, 1]);
    expect(conservativeKeys(keys, 0.29).map((k) => k.limit)).toEqual([1, 14, 29, 1]);
    expect(() => conservativeKeys(keys, 0)).toThrow(
      expect.objectContaining({ code: 'LIMITS_INVALID_SETTINGS' }),
    );
    expect(() => conservativeKeys(keys, 1.5)).toThrow(
      expect.objectContaining({ code: 'LIMITS_INVALID_SETTINGS' }),
    );
    const time = clock(0);
    const store = scaleLimits(createMemoryStore({ windowMs: 1000, safetyMarginMs: 0, now: time.now }), 0.4);
    expect(await store.acquire([{ key: 'base:a', limit: 5 }])).toMatchObject({ admitted: true });
    expect(await store.acquire([{ key: 'base:a', limit: 5 }])).toMatchObject({ admitted: true });
    expect(await store.acquire([{ key: 'base:a', limit: 5 }])).toEqual({ admitted: false, retryInMs: 1000 });
  });
});

describe('an admission whose answer came back late', () => {
  it('counts from the answer, so a delayed arrival cannot crowd the next window', async () => {
    let clock = 0;
    const store = createMemoryStore({ windowMs: 1000, safetyMarginMs: 20, now: () => clock });
    const keys = [{ key: 'base:appX', limit: 1 }];
    const first = await store.acquire(keys);
    expect(first).toMatchObject({ admitted: true, at: 0 });
    clock = 300; // the request reached Airtable somewhere in these 300 ms
    await store.settle?.(keys, 0);
    clock = 1021;
    expect((await store.acquire(keys)).admitted).toBe(false);
    clock = 1321;
    expect((await store.acquire(keys)).admitted).toBe(true);
  });

  it('ignores a settle for an admission it does not hold', async () => {
    let clock = 0;
    const store = createMemoryStore({ windowMs: 1000, safetyMarginMs: 0, now: () => clock });
    const keys = [{ key: 'base:appY', limit: 1 }];
    await store.acquire(keys);
    clock = 500;
    await store.settle?.(keys, 123);
    clock = 1000;
    expect((await store.acquire(keys)).admitted).toBe(true);
  });
});
