import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  createGatewayEngine,
  type GatewayEngine,
  type RunningGatewayServer,
  startGatewayServer,
} from '../index.ts';
import {
  AUTH,
  distinctListQuery,
  itemsBase,
  type LimitedEmulator,
  maxInAnyWindow,
  recordingFetch,
  round3,
  startLimitedEmulator,
  steadyRate,
  sustainedRate,
  timesFor,
  type UpstreamSend,
} from './support.ts';

// Acceptance: budgets are per base, so bases do not slow each other down; and the owner's
// 50 req/s budget holds across every base the token reaches, again without one 429.

let emu: LimitedEmulator;
let running: { engine: GatewayEngine; server: RunningGatewayServer } | undefined;

beforeAll(async () => {
  emu = await startLimitedEmulator();
});
afterEach(async () => {
  await running?.server.close();
  await running?.engine.close();
  running = undefined;
});
afterAll(async () => {
  await emu?.close();
});

/** A fresh gateway (nothing cached, owner not yet resolved), as after a restart. */
async function freshGateway(): Promise<{ url: string; sends: UpstreamSend[] }> {
  const upstream = recordingFetch();
  const engine = await createGatewayEngine({ upstreamUrl: emu.url, fetch: upstream.fetch });
  const server = await startGatewayServer({ engine, port: 0 });
  running = { engine, server };
  return { url: server.url, sends: upstream.sends };
}

/** `perBase` distinct list requests to each base, all at once; resolves the statuses. */
async function burst(url: string, baseIds: string[], perBase: number): Promise<number[]> {
  const calls = baseIds.flatMap((baseId) =>
    Array.from({ length: perBase }, async (_, i) => {
      const response = await fetch(`${url}/v0/${baseId}/Items${distinctListQuery(i)}`, { headers: AUTH });
      await response.arrayBuffer();
      return response.status;
    }),
  );
  return Promise.all(calls);
}

describe('many bases, real limits (5/s per base, 50/s per owner, 30 s penalty)', () => {
  it('gives two bases ~5 req/s each in parallel: 2 × 60 requests in ≈12 s, not 24', async () => {
    const baseIds = await emu.loadBases([itemsBase('Parallel A', 3), itemsBase('Parallel B', 3)]);
    const gateway = await freshGateway();
    const started = performance.now();
    const statuses = await burst(gateway.url, baseIds, 60);
    const elapsedS = (performance.now() - started) / 1000;

    expect(statuses.filter((s) => s !== 200)).toEqual([]);
    const stats = await emu.stats();
    expect(stats.rateLimited).toBe(0);
    const rates = baseIds.map((id) => sustainedRate(timesFor(gateway.sends, id)));
    console.info(
      `many-bases/two: 120 lists in ${round3(elapsedS)} s; per-base upstream ${rates.map(round3).join(' and ')} req/s; ` +
        `429s ${stats.rateLimited}`,
    );
    for (const id of baseIds) {
      const times = timesFor(gateway.sends, id);
      expect(times).toHaveLength(60);
      expect(sustainedRate(times)).toBeGreaterThanOrEqual(4.5);
      expect(steadyRate(times, 5)).toBeLessThanOrEqual(5);
      expect(maxInAnyWindow(times, 1000)).toBeLessThanOrEqual(5);
    }
    // One shared 5/s queue would need 120 / 5 = 24 s.
    expect(elapsedS).toBeLessThan(15);
  }, 60_000);

  it('holds one token owner across 12 bases to ≤ 50 req/s, zero 429s, ≥ 40 req/s', async () => {
    const baseIds = await emu.loadBases(
      Array.from({ length: 12 }, (_, i) => itemsBase(`Owner load ${i}`, 2)),
    );
    const gateway = await freshGateway();
    // Steady state: the gateway already knows whose budget the token spends.
    expect(await burst(gateway.url, baseIds.slice(0, 1), 1)).toEqual([200]);
    await sleep(1_100);
    await emu.admin('/stats', { method: 'DELETE' });
    gateway.sends.length = 0;

    const started = performance.now();
    const statuses = await burst(gateway.url, baseIds, 50);
    const elapsedS = (performance.now() - started) / 1000;

    expect(statuses.filter((s) => s !== 200)).toEqual([]);
    const stats = await emu.stats();
    const times = gateway.sends.map((s) => s.at).sort((a, b) => a - b);
    console.info(
      `many-bases/owner: 600 lists over 12 bases in ${round3(elapsedS)} s; upstream (n-1)/span ` +
        `${round3(sustainedRate(times))} req/s, steady ${round3(steadyRate(times, 50))} req/s, ` +
        `max in any 1 s ${maxInAnyWindow(times, 1000)}; 429s ${stats.rateLimited}`,
    );
    expect(stats.rateLimited).toBe(0);
    expect(times).toHaveLength(600);
    expect(maxInAnyWindow(times, 1000)).toBeLessThanOrEqual(50);
    expect(steadyRate(times, 50)).toBeLessThanOrEqual(50);
    // Measured 44–48 req/s in clean-clone CI runs (42.8 once, on a machine busy installing
    // packages). The floor only has to show the gateway is not needlessly slow; that the owner
    // budget, not 12 × 5 per-base budgets, binds is what the ≤ 50 checks above prove.
    expect(sustainedRate(times)).toBeGreaterThanOrEqual(40);
  }, 120_000);

  // Runs last: when it fails, Airtable's 30 s penalty lands on the owner.
  it("counts a fresh gateway's whoami against the owner's 50 req/s", async () => {
    const baseIds = await emu.loadBases(
      Array.from({ length: 12 }, (_, i) => itemsBase(`Cold start ${i}`, 2)),
    );
    await sleep(1_100);
    await emu.admin('/stats', { method: 'DELETE' });
    const gateway = await freshGateway();
    // 12 bases × 5 = 60 calls the base budgets would allow at once; the owner allows 50,
    // and the whoami that resolves the owner is one of them: Airtable counts it against the
    // same owner, whatever key the gateway budgeted it under.
    const statuses = await burst(gateway.url, baseIds, 5);
    const stats = await emu.stats();
    const times = gateway.sends.map((s) => s.at).sort((a, b) => a - b);
    console.info(
      `many-bases/cold: ${gateway.sends.length} upstream calls (whoami included), ` +
        `max in any 1 s ${maxInAnyWindow(times, 1000)}; 429s ${stats.rateLimited}`,
    );
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
    expect(stats.rateLimited).toBe(0);
    expect(maxInAnyWindow(times, 1000)).toBeLessThanOrEqual(50);
  }, 60_000);
});
