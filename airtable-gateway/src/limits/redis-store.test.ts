import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisStore } from './redis-store.ts';
import type { LimitKey } from './types.ts';

const url = process.env.REDIS_URL;

/** The most admissions found in any half-open interval [t, t + span). */
function maxInAnyWindow(sorted: number[], span: number): number {
  let max = 0;
  let start = 0;
  for (let end = 0; end < sorted.length; end++) {
    while ((sorted[end] as number) - (sorted[start] as number) >= span) start++;
    max = Math.max(max, end - start + 1);
  }
  return max;
}

/** ZRANGE … WITHSCORES as [member, score] pairs, whatever the reply shape. */
function pairs(reply: unknown[]): [string, number][] {
  const flat = reply.flat() as (string | number)[];
  const out: [string, number][] = [];
  for (let i = 0; i + 1 < flat.length; i += 2) out.push([String(flat[i]), Number(flat[i + 1])]);
  return out;
}

describe.skipIf(!url)('createRedisStore (real Redis)', () => {
  const prefix = `airsuite:test:${randomUUID()}:`;
  const clients: Redis[] = [];
  let redis: Redis;

  const connect = (): Redis => {
    const client = new Redis(url as string);
    clients.push(client);
    return client;
  };
  const keysLeft = async (match = `${prefix}*`): Promise<string[]> => {
    const found: string[] = [];
    let cursor = '0';
    do {
      const [next, batch] = await redis.scan(cursor, 'MATCH', match, 'COUNT', 1000);
      cursor = next;
      found.push(...batch);
    } while (cursor !== '0');
    return found;
  };

  beforeAll(() => {
    redis = connect();
  });

  afterAll(async () => {
    const left = await keysLeft();
    if (left.length > 0) await redis.del(...left);
    await Promise.all(clients.map((client) => client.quit()));
  });

  it('holds the bound across independent clients hammering one key, at ≥ 90% of the limit', async () => {
    const limit = 10;
    const windowMs = 250;
    const safetyMarginMs = 10;
    const durationMs = 3000;
    const key: LimitKey[] = [{ key: 'base:appHammered', limit }];
    const logKey = `${prefix}base:appHammered:log`;
    // Audit from Redis itself: every admission stays in the log for a window (260 ms), so
    // polling every 40 ms sees each one, with the server time the script gave it.
    const auditor = connect();
    const seen = new Map<string, number>();
    let auditing = true;
    const audit = (async () => {
      while (auditing) {
        for (const [member, score] of pairs(await auditor.zrange(logKey, 0, '-1', 'WITHSCORES')))
          seen.set(member, score);
        await sleep(40);
      }
    })();

    const deadline = Date.now() + durationMs;
    let admittedCount = 0;
    let refusedCount = 0;
    const workers = Array.from({ length: 4 }, () => {
      const store = createRedisStore(connect(), { windowMs, safetyMarginMs, prefix });
      return Array.from({ length: 3 }, async () => {
        while (Date.now() < deadline) {
          const result = await store.acquire(key);
          if (result.admitted) {
            admittedCount++;
          } else {
            refusedCount++;
            expect(result.retryInMs).toBeGreaterThanOrEqual(1);
            expect(result.retryInMs).toBeLessThanOrEqual(windowMs + safetyMarginMs);
            await sleep(result.retryInMs);
          }
        }
      });
    });
    await Promise.all(workers.flat());
    await sleep(50);
    auditing = false;
    await audit;

    expect(seen.size).toBe(admittedCount);
    const times = [...seen.values()].sort((a, b) => a - b);
    const maxInWindow = maxInAnyWindow(times, windowMs * 1000);
    const maxInEffectiveWindow = maxInAnyWindow(times, (windowMs + safetyMarginMs) * 1000);
    const throughput = admittedCount / ((limit * durationMs) / windowMs);
    // Steady state: how long it takes for `limit` more admissions (ideal: windowMs + margin).
    let gaps = 0;
    for (let i = limit; i < times.length; i++) gaps += (times[i] as number) - (times[i - limit] as number);
    const meanGapMs = gaps / (times.length - limit) / 1000;
    console.info(
      `redis store bound: ${admittedCount} admitted, ${refusedCount} refused by 12 workers on 4 clients; ` +
        `max ${maxInWindow} in any ${windowMs} ms, ${maxInEffectiveWindow} in any ${windowMs + safetyMarginMs} ms ` +
        `(limit ${limit}); throughput ${(throughput * 100).toFixed(1)}% of ${limit}/${windowMs} ms; ` +
        `steady state ${limit} per ${meanGapMs.toFixed(1)} ms = ${((100 * windowMs) / meanGapMs).toFixed(1)}% of the limit`,
    );
    expect(maxInWindow).toBeLessThanOrEqual(limit);
    expect(maxInEffectiveWindow).toBeLessThanOrEqual(limit);
    expect(throughput).toBeGreaterThanOrEqual(0.9);
  });

  it('spends nothing when any key refuses (all or nothing)', async () => {
    const store = createRedisStore(redis, { windowMs: 1000, safetyMarginMs: 0, prefix });
    const owner = { key: 'owner:usrAll', limit: 2 };
    expect(await store.acquire([{ key: 'base:appA', limit: 5 }, owner])).toMatchObject({ admitted: true });
    expect(await store.acquire([{ key: 'base:appA', limit: 5 }, owner])).toMatchObject({ admitted: true });
    const refused = await store.acquire([{ key: 'base:appB', limit: 5 }, owner]);
    expect(refused.admitted).toBe(false);
    expect(refused.admitted === false && refused.retryInMs).toBeGreaterThan(900);
    expect(await redis.exists(`${prefix}base:appB:log`)).toBe(0);
    expect(await redis.zcard(`${prefix}owner:usrAll:log`)).toBe(2);
    for (let i = 0; i < 5; i++)
      expect(await store.acquire([{ key: 'base:appB', limit: 5 }])).toMatchObject({ admitted: true });
    expect((await store.acquire([{ key: 'base:appB', limit: 5 }])).admitted).toBe(false);
  });

  it('paces admissions window/limit apart when asked', async () => {
    const store = createRedisStore(redis, { windowMs: 1000, safetyMarginMs: 0, paced: true, prefix });
    const key = [{ key: 'base:appPaced', limit: 5 }];
    expect(await store.acquire(key)).toMatchObject({ admitted: true });
    const refused = await store.acquire(key);
    expect(refused.admitted).toBe(false);
    // The next slot is due 200 ms after the first; half an interval of slack makes it 100.
    expect(refused.admitted === false && refused.retryInMs).toBeGreaterThan(50);
    expect(refused.admitted === false && refused.retryInMs).toBeLessThanOrEqual(100);
  });

  it('gives a wait no longer than the window and never 0, and keeps keys independent', async () => {
    const store = createRedisStore(redis, { windowMs: 1000, safetyMarginMs: 50, prefix });
    for (let i = 0; i < 3; i++) await store.acquire([{ key: 'base:appWait', limit: 3 }]);
    const refused = await store.acquire([{ key: 'base:appWait', limit: 3 }]);
    expect(refused.admitted).toBe(false);
    if (!refused.admitted) {
      expect(refused.retryInMs).toBeGreaterThan(1000);
      expect(refused.retryInMs).toBeLessThanOrEqual(1050);
    }
    expect(await store.acquire([{ key: 'base:appOther', limit: 3 }])).toMatchObject({ admitted: true });
  });

  it('refuses a blocked key until the block ends, and never shortens a block', async () => {
    const store = createRedisStore(redis, { windowMs: 100, safetyMarginMs: 0, prefix });
    const key = [{ key: 'base:app429', limit: 5 }];
    await store.block('base:app429', 400);
    await store.block('base:app429', 50);
    const refused = await store.acquire([{ key: 'owner:usr429', limit: 5 }, ...key]);
    expect(refused.admitted).toBe(false);
    if (!refused.admitted) {
      expect(refused.retryInMs).toBeGreaterThan(300);
      expect(refused.retryInMs).toBeLessThanOrEqual(400);
      expect(await redis.exists(`${prefix}owner:usr429:log`)).toBe(0);
      await sleep(refused.retryInMs + 5);
    }
    expect(await store.acquire(key)).toMatchObject({ admitted: true });
  });

  it('leaves nothing behind once idle, and a key that comes back starts fresh', async () => {
    const store = createRedisStore(redis, { windowMs: 100, safetyMarginMs: 20, prefix: `${prefix}expiry:` });
    const key = [{ key: 'base:appIdle', limit: 2 }];
    expect(await store.acquire(key)).toMatchObject({ admitted: true });
    await store.block('owner:usrIdle', 60);
    expect((await keysLeft(`${prefix}expiry:*`)).sort()).toEqual([
      `${prefix}expiry:base:appIdle:log`,
      `${prefix}expiry:owner:usrIdle:block`,
    ]);
    expect(await redis.pttl(`${prefix}expiry:base:appIdle:log`)).toBeLessThanOrEqual(120);
    await sleep(180);
    expect(await keysLeft(`${prefix}expiry:*`)).toEqual([]);
    // Bottleneck's SETTINGS_KEY_NOT_FOUND trap: here a key after expiry simply starts empty.
    expect(await store.acquire([...key, { key: 'owner:usrIdle', limit: 9 }])).toMatchObject({
      admitted: true,
    });
    expect(await store.acquire(key)).toMatchObject({ admitted: true });
    expect((await store.acquire(key)).admitted).toBe(false);
  });

  it('settles an admission: it counts from when its answer came back, not from its admission', async () => {
    const store = createRedisStore(connect(), { windowMs: 1000, safetyMarginMs: 0, prefix });
    const key: LimitKey[] = [{ key: 'base:appSettled', limit: 1 }];
    const admission = await store.acquire(key);
    expect(admission).toMatchObject({ admitted: true, at: expect.any(Number) });
    const at = (admission as { at: number }).at;
    await sleep(300);
    await store.settle?.(key, at);
    const [[, score] = ['', 0]] = pairs(
      await redis.zrange(`${prefix}base:appSettled:log`, 0, '-1', 'WITHSCORES'),
    );
    expect(score - at).toBeGreaterThanOrEqual(250_000); // µs: moved by about the 300 ms waited
    // The next admission waits a whole window from the settled time (≈ 1000 ms), not ≈ 700 ms.
    const refused = await store.acquire(key);
    expect(refused.admitted).toBe(false);
    expect((refused as { retryInMs: number }).retryInMs).toBeGreaterThan(900);
  });

  it('leaves the log alone when settling an admission it does not hold', async () => {
    const store = createRedisStore(connect(), { windowMs: 1000, safetyMarginMs: 0, prefix });
    const key: LimitKey[] = [{ key: 'base:appNotHeld', limit: 2 }];
    await store.acquire(key);
    const before = pairs(await redis.zrange(`${prefix}base:appNotHeld:log`, 0, '-1', 'WITHSCORES'));
    await store.settle?.(key, 123);
    await store.settle?.([{ key: 'base:appNeverSeen', limit: 2 }], Date.now() * 1000);
    expect(pairs(await redis.zrange(`${prefix}base:appNotHeld:log`, 0, '-1', 'WITHSCORES'))).toEqual(before);
    expect(await keysLeft(`${prefix}base:appNeverSeen*`)).toEqual([]);
  });

  it('reports store failures and use after close with codes, and leaves the client open', async () => {
    const down = new Redis({
      port: 1,
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
    });
    const broken = createRedisStore(down, { windowMs: 1000, safetyMarginMs: 0, prefix });
    await expect(broken.acquire([{ key: 'base:appDown', limit: 5 }])).rejects.toMatchObject({
      code: 'LIMITS_STORE_FAILED',
    });
    await expect(broken.block('base:appDown', 100)).rejects.toMatchObject({ code: 'LIMITS_STORE_FAILED' });
    down.disconnect();

    const store = createRedisStore(redis, { windowMs: 1000, safetyMarginMs: 0, prefix });
    await store.close();
    await expect(store.acquire([{ key: 'base:appClosed', limit: 5 }])).rejects.toMatchObject({
      code: 'LIMITS_STORE_CLOSED',
    });
    expect(await redis.ping()).toBe('PONG');
  });
});
