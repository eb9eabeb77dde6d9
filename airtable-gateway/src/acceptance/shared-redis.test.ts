import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliProcess, spawnGateway } from './cli-process.ts';
import {
  AUTH,
  distinctListQuery,
  itemsBase,
  type LimitedEmulator,
  round3,
  startLimitedEmulator,
  steadyRate,
  sustainedRate,
} from './support.ts';

// Acceptance: three gateway PROCESSES sharing budgets through Redis behave as one gateway:
// 200 concurrent lists on one base, spread over the three, keep Airtable's 5 req/s with
// zero 429s; and a write through one process invalidates the others' cached reads.
// Runs only with REDIS_URL (e.g. redis://127.0.0.1:6379). The combined rate comes from the
// completion times seen by the caller: a recording hop in front of the emulator would add
// jitter of its own, enough to cause 429s that the gateways did not.

const redisUrl = process.env.REDIS_URL;
const REQUESTS = 200;
const ROWS = 4;

/** Upstream 200s for `baseId` that one gateway process sent, from its `/metrics`. */
async function upstreamCount(gatewayUrl: string, baseId: string): Promise<number> {
  const text = await (await fetch(`${gatewayUrl}/metrics`)).text();
  const line = text
    .split('\n')
    .find(
      (l) =>
        l.startsWith('airsuite_gateway_upstream_requests_total{') &&
        l.includes(`base="${baseId}"`) &&
        l.includes('status="200"'),
    );
  return line ? Number(line.split(' ').at(-1)) : 0;
}

describe.skipIf(!redisUrl)('three gateway processes sharing Redis, real limits (5/s, 30 s penalty)', () => {
  let emu: LimitedEmulator;
  let gateways: CliProcess[] = [];
  let baseId: string;

  beforeAll(async () => {
    emu = await startLimitedEmulator();
    // A base made for this run: budgets key on the base id, so no earlier run's keys count.
    [baseId] = (await emu.loadBases([itemsBase('Shared Redis', ROWS)])) as [string];
    const flags = ['--upstream', emu.url, '--redis', redisUrl as string, '--cache-ttl-ms', '60000'];
    const started = await Promise.allSettled([0, 1, 2].map(() => spawnGateway(flags)));
    gateways = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
    const failed = started.find((s) => s.status === 'rejected');
    if (failed) throw (failed as PromiseRejectedResult).reason;
    for (const gateway of gateways) {
      const health = (await (await fetch(`${gateway.url}/healthz`)).json()) as { limiter: string };
      expect(health.limiter).toBe('shared');
    }
  }, 60_000);

  afterAll(async () => {
    await Promise.all(gateways.map((g) => g.stop()));
    await emu?.close();
  });

  it('answers 200 lists spread over 3 processes with 200, zero 429s, 4.5–5 req/s combined', async () => {
    const started = performance.now();
    const answers = await Promise.all(
      Array.from({ length: REQUESTS }, async (_, i) => {
        const gateway = gateways[i % gateways.length] as CliProcess;
        const response = await fetch(`${gateway.url}/v0/${baseId}/Items${distinctListQuery(i)}`, {
          headers: AUTH,
        });
        const body = (await response.json()) as { records?: unknown[]; error?: { type?: string } };
        const ok = response.status === 200 && body.records?.length === ROWS;
        return { ok, at: performance.now(), what: `${response.status} ${body.error?.type ?? ''}` };
      }),
    );
    const elapsedS = (performance.now() - started) / 1000;
    const failures = answers.filter((a) => !a.ok).map((a) => a.what);
    const stats = await emu.stats();
    const times = answers.map((a) => a.at).sort((a, b) => a - b);
    const perProcess = await Promise.all(gateways.map((g) => upstreamCount(g.url, baseId)));
    console.info(
      `shared-redis: ${REQUESTS} lists via 3 processes (upstream calls ${perProcess.join('+')}) in ` +
        `${round3(elapsedS)} s; completions (n-1)/span ${round3(sustainedRate(times))} req/s, ` +
        `steady ${round3(steadyRate(times, 5))} req/s; 429s ${stats.rateLimited}; failures ${failures.length}`,
    );
    expect(failures).toEqual([]);
    expect(stats.rateLimited).toBe(0);
    expect(stats.byBase[baseId]?.requests).toBe(REQUESTS);
    // Every process really went upstream: the budget was shared, not won by one process.
    for (const count of perProcess) expect(count).toBeGreaterThan(0);
    expect(sustainedRate(times)).toBeGreaterThanOrEqual(4.5);
    expect(steadyRate(times, 5)).toBeLessThanOrEqual(5);
  }, 90_000);

  it("a create through one process drops every process's cached reads of the base", async () => {
    const [a, b] = gateways as [CliProcess, CliProcess];
    // `--cache-ttl-ms` turns the record cache on for the proxy's reads.
    const cachedList = async (gateway: CliProcess) => {
      const response = await fetch(`${gateway.url}/v0/${baseId}/Items`, {
        headers: AUTH,
      });
      const body = (await response.json()) as { records: { fields: { Name?: string } }[] };
      return {
        source: response.headers.get('x-airsuite-source'),
        names: body.records.map((r) => r.fields.Name),
      };
    };
    const create = async (gateway: CliProcess, name: string) => {
      const response = await fetch(`${gateway.url}/v0/${baseId}/Items`, {
        method: 'POST',
        headers: { ...AUTH, 'content-type': 'application/json' },
        body: JSON.stringify({ records: [{ fields: { Name: name } }] }),
      });
      expect(response.status).toBe(200);
    };

    await cachedList(a);
    await cachedList(b);
    expect((await cachedList(a)).source).toBe('cache');
    expect((await cachedList(b)).source).toBe('cache');

    await create(a, 'written-through-a');
    await sleep(500);
    const seenByA = await cachedList(a);
    const seenByB = await cachedList(b);
    console.info(
      `shared-redis/invalidation: after a write via A, A answers from ${seenByA.source}, B from ${seenByB.source}`,
    );
    expect(seenByA.names).toContain('written-through-a');
    expect(seenByB.source).not.toBe('cache');
    expect(seenByB.names).toContain('written-through-a');
  }, 30_000);
});
