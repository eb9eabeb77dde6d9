import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import type { GatewayError } from '../errors.ts';
import { createMemoryStore, createRedisStore } from '../limits/index.ts';
import type { AdmissionStore } from '../limits/types.ts';
import { AdmissionScheduler, type AdmitRequest } from './admission-scheduler.ts';

// Airtable's rule, through the scheduler and each kind of store: 5 per sliding second per
// base, an idle base never paced, a spent budget waiting exactly for its oldest answer to be
// a window old, and a turn beyond the wait limit refused at once.

const LIMIT = 5;
const MARGIN_MS = 20;
const WINDOW_MS = 1000 + MARGIN_MS;
const url = process.env.REDIS_URL;
const clients: Redis[] = [];

afterAll(async () => {
  await Promise.all(clients.map((c) => c.quit()));
});

interface StoreKind {
  name: string;
  skip: boolean;
  make(): AdmissionStore;
}

const kinds: StoreKind[] = [
  {
    name: 'in-process store',
    skip: false,
    make: () => createMemoryStore({ windowMs: 1000, safetyMarginMs: MARGIN_MS }),
  },
  {
    name: 'Redis store',
    skip: !url,
    make: () => {
      const redis = new Redis(url as string);
      clients.push(redis);
      // A prefix of its own per store: nothing shared with other tests or runs, nothing flushed.
      return createRedisStore(redis, {
        windowMs: 1000,
        safetyMarginMs: MARGIN_MS,
        prefix: `airsuite:test:${randomUUID()}:`,
      });
    },
  },
];

function rig(kind: StoreKind, maxQueueWaitMs = 60_000) {
  const scheduler = new AdmissionScheduler({
    store: kind.make(),
    maxQueueLength: 1000,
    maxQueueWaitMs,
    ratePerSecond: () => (LIMIT * 1000) / WINDOW_MS,
    windowMs: WINDOW_MS,
  });
  const base = `base:app${randomUUID().slice(0, 8)}`;
  const request = (): AdmitRequest => ({
    queueKey: base,
    keys: [{ key: base, limit: LIMIT }],
    priority: 'normal',
  });
  return { scheduler, request };
}

for (const kind of kinds) {
  describe.skipIf(kind.skip)(`admission at Airtable's rule, ${kind.name}`, () => {
    it('idle base: 5 calls go out at once', async () => {
      const { scheduler, request } = rig(kind);
      const started = performance.now();
      for (let i = 0; i < 5; i++) {
        const call = request();
        const waited = await scheduler.admit(call);
        expect(waited).toBeLessThan(25);
        await scheduler.settle(call);
      }
      // Five round trips to the store and nothing else: no spacing between calls.
      expect(performance.now() - started).toBeLessThan(150);
      await scheduler.close();
    });

    it('budget spent: the 6th waits until the first answer is a second old', async () => {
      const { scheduler, request } = rig(kind);
      const calls = Array.from({ length: 5 }, request);
      for (const call of calls) await scheduler.admit(call);
      // The answers come back 100 ms later: each admission counts from its answer.
      await sleep(100);
      const firstAnswer = performance.now();
      for (const call of calls) await scheduler.settle(call);
      const sixth = request();
      await scheduler.admit(sixth);
      const after = performance.now() - firstAnswer;
      expect(after).toBeGreaterThanOrEqual(WINDOW_MS - 5);
      expect(after).toBeLessThan(WINDOW_MS + 150);
      await scheduler.close();
    });

    it('refused at once beyond the wait limit with an honest Retry-After', async () => {
      const maxWaitMs = 2_000;
      const { scheduler, request } = rig(kind, maxWaitMs);
      for (let i = 0; i < 5; i++) await scheduler.admit(request());
      const arrived = performance.now();
      const outcomes = await Promise.all(
        Array.from({ length: 30 }, async () => {
          const call = request();
          try {
            await scheduler.admit(call);
            await scheduler.settle(call);
            return { admitted: true, afterMs: performance.now() - arrived };
          } catch (error) {
            return { admitted: false, afterMs: performance.now() - arrived, error: error as GatewayError };
          }
        }),
      );
      const admitted = outcomes.filter((o) => o.admitted);
      const refused = outcomes.filter((o) => !o.admitted);
      // About two windows' worth fits in 2 s; the rest cannot be served in time.
      expect(admitted.length).toBeGreaterThanOrEqual(5);
      expect(admitted.length).toBeLessThanOrEqual(10);
      for (const o of admitted) expect(o.afterMs).toBeLessThanOrEqual(maxWaitMs);
      expect(refused.length).toBe(30 - admitted.length);
      for (const o of refused) {
        expect(o.error?.code).toBe('GATEWAY_QUEUE_TIMEOUT');
        // At once: not after waiting out the limit.
        expect(o.afterMs).toBeLessThan(100);
        expect(o.error?.retryAfterMs).toBeGreaterThan(0);
        expect(o.error?.retryAfterMs).toBeLessThanOrEqual(maxWaitMs);
      }
      // Honest: a request sent when Retry-After says is accepted and served within the limit.
      const retryAfterMs = Math.max(...refused.map((o) => o.error?.retryAfterMs ?? 0));
      await sleep(retryAfterMs - (performance.now() - arrived));
      const retried = performance.now();
      await scheduler.admit(request());
      expect(performance.now() - retried).toBeLessThanOrEqual(maxWaitMs);
      await scheduler.close();
    }, 15_000);
  });
}
