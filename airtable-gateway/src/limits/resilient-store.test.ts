import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { delimiter, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LimitsError } from './errors.ts';
import { createMemoryStore } from './memory-store.ts';
import { createRedisStore } from './redis-store.ts';
import { createResilientStore, type ResilientStoreEvent } from './resilient-store.ts';
import { scaleLimits } from './scale-limits.ts';
import type { AdmissionStore, LimitKey } from './types.ts';

/** A primary that answers from a memory store, fails, or never answers, on command. */
function switchablePrimary(now: () => number) {
  const inner = createMemoryStore({ windowMs: 1000, safetyMarginMs: 0, now });
  const state = {
    behaviour: 'ok' as 'ok' | 'throw' | 'hang',
    acquires: 0,
    settles: 0,
    blocks: [] as [string, number][],
  };
  const fail = <T>(): Promise<T> =>
    state.behaviour === 'hang'
      ? new Promise<T>(() => {})
      : Promise.reject(new LimitsError('LIMITS_STORE_FAILED', { cause: new Error('ECONNREFUSED') }));
  const store: AdmissionStore = {
    acquire: (keys) => {
      state.acquires++;
      return state.behaviour === 'ok' ? inner.acquire(keys) : fail();
    },
    settle: (keys, at) => {
      state.settles++;
      return state.behaviour === 'ok' ? (inner.settle?.(keys, at) ?? Promise.resolve()) : fail();
    },
    block: (key, ms) => {
      state.blocks.push([key, ms]);
      return state.behaviour === 'ok' ? inner.block(key, ms) : fail();
    },
    close: () => inner.close(),
  };
  return { store, state };
}

function harness(extra: { isPrimaryHealthy?: () => boolean; timeoutMs?: number } = {}) {
  let t = 0;
  const now = () => t;
  const primary = switchablePrimary(now);
  const fallback = scaleLimits(createMemoryStore({ windowMs: 1000, safetyMarginMs: 0, now }), 0.4);
  const events: [ResilientStoreEvent, string][] = [];
  const store = createResilientStore({
    primary: primary.store,
    fallback,
    log: (event, detail) => events.push([event, detail]),
    now,
    retryPrimaryAfterMs: 500,
    handoverMs: 100,
    timeoutMs: extra.timeoutMs ?? 50,
    ...(extra.isPrimaryHealthy ? { isPrimaryHealthy: extra.isPrimaryHealthy } : {}),
  });
  return { store, primary: primary.state, events, at: (ms: number) => (t = ms) };
}

const base = (name: string): LimitKey[] => [{ key: `base:${name}`, limit: 5 }];

describe('createResilientStore', () => {
  it('falls back once per outage, probes the primary on schedule, and rejoins once', async () => {
    const h = harness();
    expect(await h.store.acquire(base('a'))).toMatchObject({ admitted: true });
    expect(h.store.mode()).toBe('primary');

    h.primary.behaviour = 'throw';
    // Right after falling back, the primary's recent admissions must leave the window first.
    expect(await h.store.acquire(base('a'))).toEqual({ admitted: false, retryInMs: 100 });
    expect(h.store.mode()).toBe('fallback');
    expect(h.events.map(([event]) => event)).toEqual(['fallback']);
    expect(h.events[0]?.[1]).toContain('LIMITS_STORE_FAILED');

    h.at(100);
    const callsBefore = h.primary.acquires;
    expect(await h.store.acquire(base('a'))).toMatchObject({ admitted: true });
    expect(await h.store.acquire(base('a'))).toMatchObject({ admitted: true });
    // The fallback's budget is 40% of 5: 2 per window.
    expect(await h.store.acquire(base('a'))).toEqual({ admitted: false, retryInMs: 1000 });
    expect(h.primary.acquires).toBe(callsBefore);

    h.at(500); // probe due: the primary still fails, the fallback admits, still one log line
    expect(await h.store.acquire(base('b'))).toMatchObject({ admitted: true });
    expect(h.primary.acquires).toBe(callsBefore + 1);
    h.at(900);
    await h.store.acquire(base('c'));
    expect(h.primary.acquires).toBe(callsBefore + 1);
    expect(h.events.map(([event]) => event)).toEqual(['fallback']);

    h.primary.behaviour = 'ok';
    h.at(1000);
    expect(await h.store.acquire(base('d'))).toMatchObject({ admitted: true });
    expect(h.store.mode()).toBe('primary');
    expect(h.events.map(([event]) => event)).toEqual(['fallback', 'rejoined']);

    // During the handover the fallback must admit as well: base:d has 2 local slots.
    h.at(1050);
    expect(await h.store.acquire(base('d'))).toMatchObject({ admitted: true });
    expect(await h.store.acquire(base('d'))).toEqual({ admitted: false, retryInMs: 950 });
    h.at(1100);
    for (let i = 0; i < 3; i++) expect(await h.store.acquire(base('d'))).toMatchObject({ admitted: true });
    expect((await h.store.acquire(base('d'))).admitted).toBe(false);
    expect(h.events.map(([event]) => event)).toEqual(['fallback', 'rejoined']);
  });

  it('treats a primary that does not answer within timeoutMs as down', async () => {
    const h = harness({ timeoutMs: 30 });
    h.primary.behaviour = 'hang';
    const started = performance.now();
    const answers = await Promise.all([h.store.acquire(base('a')), h.store.acquire(base('b'))]);
    expect(performance.now() - started).toBeLessThan(500);
    expect(answers).toEqual([
      { admitted: false, retryInMs: 100 },
      { admitted: false, retryInMs: 100 },
    ]);
    expect(h.events).toHaveLength(1);
    expect(h.events[0]?.[1]).toContain('LIMITS_STORE_TIMEOUT');
    h.at(100);
    expect(await h.store.acquire(base('a'))).toMatchObject({ admitted: true });
  });

  it('skips the primary while isPrimaryHealthy() says no', async () => {
    let healthy = false;
    const h = harness({ isPrimaryHealthy: () => healthy });
    expect((await h.store.acquire(base('a'))).admitted).toBe(false);
    expect(h.events.map(([event, detail]) => [event, detail.includes('isPrimaryHealthy')])).toEqual([
      ['fallback', true],
    ]);
    h.at(600);
    expect(await h.store.acquire(base('a'))).toMatchObject({ admitted: true });
    expect(h.primary.acquires).toBe(0);
    healthy = true;
    expect(await h.store.acquire(base('a'))).toMatchObject({ admitted: true });
    expect(h.primary.acquires).toBe(1);
    expect(h.store.mode()).toBe('primary');
  });

  it('blocks in both stores, and replays to the primary the blocks it missed', async () => {
    const h = harness();
    await h.store.block('base:x', 30_000);
    expect(h.primary.blocks).toEqual([['base:x', 30_000]]);
    expect(await h.store.acquire(base('x'))).toEqual({ admitted: false, retryInMs: 30_000 });

    h.primary.behaviour = 'throw';
    await h.store.block('base:y', 10_000); // the primary fails: recorded, outage starts
    expect(h.store.mode()).toBe('fallback');
    h.at(200);
    await h.store.block('base:z', 5_000); // on the fallback: the primary is not asked now
    expect(h.primary.blocks.map(([key]) => key)).toEqual(['base:x', 'base:y']);
    expect(await h.store.acquire(base('z'))).toEqual({ admitted: false, retryInMs: 5_000 });

    h.primary.behaviour = 'ok';
    h.at(1200);
    expect(await h.store.acquire(base('a'))).toMatchObject({ admitted: true });
    expect(h.store.mode()).toBe('primary');
    await sleep(0);
    expect(h.primary.blocks.slice(2).sort()).toEqual([
      ['base:y', 8_800],
      ['base:z', 4_000],
    ]);
    h.at(1400); // after the handover, the primary alone answers, and knows the block
    expect(await h.store.acquire(base('z'))).toEqual({ admitted: false, retryInMs: 3_800 });
  });

  it('settles admissions in the store that made them, the scaled fallback included', async () => {
    const h = harness();
    const admitted = await h.store.acquire(base('s'));
    await h.store.settle?.(base('s'), (admitted as { at: number }).at);
    expect(h.primary.settles).toBe(1);

    h.primary.behaviour = 'throw';
    await h.store.acquire(base('t')); // falls back
    h.at(100);
    // The fallback's budget is 40% of 5: 2 per window. Both answers come back at 600.
    const first = await h.store.acquire(base('t'));
    const second = await h.store.acquire(base('t'));
    h.at(600);
    await h.store.settle?.(base('t'), (first as { at: number }).at);
    await h.store.settle?.(base('t'), (second as { at: number }).at);
    expect(h.primary.settles).toBe(1); // nothing sent to a primary that is down
    // Counted from 600, not 100: still full at 1100, free at 1600.
    h.at(1100);
    expect((await h.store.acquire(base('t'))).admitted).toBe(false);
    h.at(1600);
    expect((await h.store.acquire(base('t'))).admitted).toBe(true);
  });

  it('rethrows invalid keys instead of falling back, and validates its options', async () => {
    const h = harness();
    await expect(h.store.acquire([{ key: 'base:a', limit: 0 }])).rejects.toMatchObject({
      code: 'LIMITS_INVALID_KEYS',
    });
    expect(h.store.mode()).toBe('primary');
    expect(h.events).toEqual([]);
    const primary = createMemoryStore({ windowMs: 1000, safetyMarginMs: 0 });
    expect(() => createResilientStore({ primary, fallback: primary, log: () => {}, timeoutMs: 0 })).toThrow(
      expect.objectContaining({ code: 'LIMITS_INVALID_SETTINGS' }),
    );
  });
});

const redisServer = (process.env.PATH ?? '')
  .split(delimiter)
  .map((dir) => join(dir, 'redis-server'))
  .find((file) => existsSync(file));

describe.skipIf(!redisServer)('createResilientStore through a real Redis outage', () => {
  const spawned: ChildProcess[] = [];
  let port = 0;
  let server: ChildProcess | undefined;
  let client: Redis;

  async function freePort(): Promise<number> {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const address = probe.address();
    await new Promise((resolve) => probe.close(resolve));
    if (address === null || typeof address === 'string') throw new Error('no port');
    return address.port;
  }

  async function startServer(): Promise<void> {
    const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
    const child = spawn(redisServer as string, args, { stdio: 'ignore' });
    spawned.push(child);
    server = child;
    const check = new Redis({ port, host: '127.0.0.1', lazyConnect: true, retryStrategy: () => null });
    check.on('error', () => {});
    for (let attempt = 0; ; attempt++) {
      try {
        await check.connect();
        await check.ping();
        break;
      } catch (error) {
        if (attempt > 100) throw error;
        await sleep(20);
      }
    }
    check.disconnect();
  }

  async function stopServer(): Promise<void> {
    const child = server;
    if (child === undefined || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }

  beforeAll(async () => {
    port = await freePort();
    await startServer();
    client = new Redis({
      port,
      host: '127.0.0.1',
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      retryStrategy: () => 50,
    });
    client.on('error', () => {});
    await new Promise((resolve) => client.once('ready', resolve));
  });

  afterAll(async () => {
    client?.disconnect();
    for (const child of spawned)
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });

  it('keeps admitting from the fallback while Redis is down, and goes back when it returns', async () => {
    const events: ResilientStoreEvent[] = [];
    const settings = { windowMs: 200, safetyMarginMs: 10 };
    const store = createResilientStore({
      primary: createRedisStore(client, { ...settings, prefix: 'outage:' }),
      fallback: scaleLimits(createMemoryStore(settings), 0.6),
      log: (event) => events.push(event),
      retryPrimaryAfterMs: 100,
      timeoutMs: 200,
      handoverMs: 210,
    });
    const key = [{ key: 'base:appOutage', limit: 5 }];

    /** Three callers for `ms`; returns the times and modes of their admissions. */
    async function run(ms: number): Promise<{ at: number; mode: string }[]> {
      const admitted: { at: number; mode: string }[] = [];
      const until = performance.now() + ms;
      await Promise.all(
        Array.from({ length: 3 }, async () => {
          while (performance.now() < until) {
            const result = await store.acquire(key);
            if (result.admitted) admitted.push({ at: performance.now(), mode: store.mode() });
            else await sleep(result.retryInMs);
          }
        }),
      );
      return admitted;
    }

    const before = await run(500);
    expect(before.length).toBeGreaterThanOrEqual(10);
    expect(new Set(before.map((a) => a.mode))).toEqual(new Set(['primary']));
    expect(events).toEqual([]);

    await stopServer();
    const during = await run(700);
    expect(store.mode()).toBe('fallback');
    expect(events).toEqual(['fallback']);
    const fromFallback = during.filter((a) => a.mode === 'fallback');
    expect(fromFallback.length).toBeGreaterThanOrEqual(6);
    // The fallback's budget is 60% of 5: 3 per window of 210 ms.
    const times = fromFallback.map((a) => a.at);
    for (let i = 3; i < times.length; i++)
      expect((times[i] as number) - (times[i - 3] as number)).toBeGreaterThan(200);

    await startServer(); // same port, empty: the script cache is gone too
    const after = await run(800);
    expect(events).toEqual(['fallback', 'rejoined']);
    expect(store.mode()).toBe('primary');
    expect(after.filter((a) => a.mode === 'primary').length).toBeGreaterThanOrEqual(5);
    // The next admission is written to the restarted Redis.
    for (let result = await store.acquire(key); !result.admitted; result = await store.acquire(key)) {
      await sleep(result.retryInMs);
    }
    expect(await client.zcard('outage:base:appOutage:log')).toBeGreaterThan(0);
    console.info(
      `resilient store outage: ${before.length} admitted before, ${during.length} during (fallback), ` +
        `${after.length} after; events ${events.join(', ')}`,
    );
    await store.close();
  });
});
