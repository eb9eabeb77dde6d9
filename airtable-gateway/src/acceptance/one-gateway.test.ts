import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
} from './support.ts';

// Acceptance: one gateway keeps a burst of 200 callers on one base inside Airtable's
// 5 req/s without a single 429, and uses nearly all of that budget.

const REQUESTS = 200;
const ROWS = 7;

let emu: LimitedEmulator;
let engine: GatewayEngine;
let server: RunningGatewayServer;
let baseId: string;
const upstream = recordingFetch();

beforeAll(async () => {
  emu = await startLimitedEmulator();
  [baseId] = (await emu.loadBases([itemsBase('One gateway', ROWS)])) as [string];
  engine = await createGatewayEngine({ upstreamUrl: emu.url, fetch: upstream.fetch });
  server = await startGatewayServer({ engine, port: 0 });
});

afterAll(async () => {
  await server?.close();
  await engine?.close();
  await emu?.close();
});

describe('one gateway, one base, real limits (5/s, 30 s penalty)', () => {
  it('answers 200 concurrent list requests with 200, zero 429s, at 4.5–5 req/s upstream', async () => {
    const started = performance.now();
    const answers = await Promise.all(
      Array.from({ length: REQUESTS }, async (_, i) => {
        const response = await fetch(`${server.url}/v0/${baseId}/Items${distinctListQuery(i)}`, {
          headers: AUTH,
        });
        const body = (await response.json()) as { records?: unknown[] };
        return { status: response.status, records: body.records?.length };
      }),
    );
    const elapsedS = (performance.now() - started) / 1000;

    expect(answers.filter((a) => a.status !== 200)).toEqual([]);
    expect(answers.every((a) => a.records === ROWS)).toBe(true);

    const stats = await emu.stats();
    expect(stats.rateLimited).toBe(0);
    expect(stats.byBase[baseId]).toEqual({ requests: REQUESTS, rateLimited: 0 });

    const times = timesFor(upstream.sends, baseId);
    expect(times).toHaveLength(REQUESTS);
    const rate = sustainedRate(times);
    const steady = steadyRate(times, 5);
    console.info(
      `one-gateway: ${REQUESTS} lists in ${round3(elapsedS)} s; upstream (n-1)/span ${round3(rate)} req/s, ` +
        `steady ${round3(steady)} req/s, max in any 1 s ${maxInAnyWindow(times, 1000)}, 429s ${stats.rateLimited}`,
    );
    expect(rate).toBeGreaterThanOrEqual(4.5);
    expect(steady).toBeLessThanOrEqual(5);
    // Airtable's own rule, checked on the send times: never 6 calls inside one second.
    expect(maxInAnyWindow(times, 1000)).toBeLessThanOrEqual(5);
  }, 90_000);
});
