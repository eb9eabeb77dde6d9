import { afterEach, describe, expect, it } from 'vitest';
import { GatewayError } from '../errors.ts';
import { createMemoryStore } from '../limits/index.ts';
import type { Priority } from '../request.ts';
import { AdmissionScheduler } from './admission-scheduler.ts';

const schedulers: AdmissionScheduler[] = [];
afterEach(async () => {
  await Promise.all(schedulers.splice(0).map((s) => s.close()));
});

/** One admission per 100 ms per key: fast enough for tests, slow enough to queue. */
function scheduler(over: { maxQueueLength?: number; maxQueueWaitMs?: number } = {}) {
  const s = new AdmissionScheduler({
    store: createMemoryStore({ windowMs: 100, safetyMarginMs: 0 }),
    maxQueueLength: over.maxQueueLength ?? 100,
    maxQueueWaitMs: over.maxQueueWaitMs ?? 10_000,
    ratePerSecond: () => 10,
  });
  schedulers.push(s);
  return s;
}

const keys = (base: string) => [{ key: `base:${base}`, limit: 1 }];

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
    return undefined;
  } catch (error) {
    return error instanceof GatewayError ? error.code : 'other';
  }
}

describe('admission scheduler', () => {
  it('lets an interactive request overtake queued bulk work', async () => {
    const s = scheduler();
    const order: string[] = [];
    const admit = (name: string, priority: Priority) =>
      s.admit({ queueKey: 'base:a', keys: keys('a'), priority }).then(() => order.push(name));
    const all = [
      admit('bulk-1', 'bulk'),
      admit('bulk-2', 'bulk'),
      admit('bulk-3', 'bulk'),
      admit('bulk-4', 'bulk'),
    ];
    await new Promise((r) => setTimeout(r, 20));
    all.push(admit('interactive', 'interactive'));
    await Promise.all(all);
    expect(order.indexOf('interactive')).toBeLessThanOrEqual(2);
    expect(order.at(-1)).toMatch(/^bulk/);
  });

  it('spaces admissions by the budget', async () => {
    const s = scheduler();
    const started = Date.now();
    await Promise.all(
      Array.from({ length: 4 }, () => s.admit({ queueKey: 'base:a', keys: keys('a'), priority: 'normal' })),
    );
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });

  it('keeps bases in separate queues', async () => {
    const s = scheduler();
    const started = Date.now();
    await Promise.all(
      ['a', 'b', 'c', 'd'].map((b) => s.admit({ queueKey: `base:${b}`, keys: keys(b), priority: 'normal' })),
    );
    // One queue would take ≥ 290 ms for four; separate queues admit at once (slack for a busy machine).
    expect(Date.now() - started).toBeLessThan(250);
  });

  it('refuses past the queue bound with GATEWAY_QUEUE_FULL and a Retry-After', async () => {
    const s = scheduler({ maxQueueLength: 2 });
    const admissions = Array.from({ length: 6 }, () =>
      s.admit({ queueKey: 'base:a', keys: keys('a'), priority: 'normal' }),
    );
    const codes = await Promise.all(admissions.map(codeOf));
    expect(codes.filter((c) => c === 'GATEWAY_QUEUE_FULL').length).toBeGreaterThan(0);
    const refused = await admissions[5]?.catch((e: GatewayError) => e);
    expect((refused as GatewayError).retryAfterMs).toBeGreaterThan(0);
  });

  it('gives up after the maximum wait with GATEWAY_QUEUE_TIMEOUT, never hanging', async () => {
    const s = scheduler({ maxQueueWaitMs: 150 });
    const admissions = Array.from({ length: 5 }, () =>
      s.admit({ queueKey: 'base:a', keys: keys('a'), priority: 'normal' }),
    );
    const codes = await Promise.all(admissions.map(codeOf));
    expect(codes.slice(0, 2)).toEqual([undefined, undefined]);
    expect(codes.at(-1)).toBe('GATEWAY_QUEUE_TIMEOUT');
  });

  it('stops waiting when the caller cancels', async () => {
    const s = scheduler();
    await s.admit({ queueKey: 'base:a', keys: keys('a'), priority: 'normal' });
    const controller = new AbortController();
    const waiting = s.admit({
      queueKey: 'base:a',
      keys: keys('a'),
      priority: 'normal',
      signal: controller.signal,
    });
    controller.abort();
    expect(await codeOf(waiting)).toBe('GATEWAY_ABORTED');
  });
});
