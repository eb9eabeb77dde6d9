import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createGatewayEngine,
  type GatewayEngine,
  type RunningGatewayServer,
  startGatewayServer,
} from '../index.ts';
import { AUTH, distinctListQuery, itemsBase, type LimitedEmulator, startLimitedEmulator } from './support.ts';

// Acceptance: with Airtable failing (503s, dropped connections, 2-second stalls) no read is
// lost and no write is applied twice. A create either succeeds or says its outcome is
// unknown; afterwards each created record exists at most once (exactly once if it succeeded).
//
// Limits stay on with the real 30 s penalty, raised to keep the run short. The gateway gets
// half of the emulator's budgets: this spec is about faults, not about pacing to the limit
// (the emulator counts a request when it arrives, however long its stall).

const READS = 60;
const WRITES = 24;
const ROWS = 12;
const EXPECTED_NAMES = Array.from({ length: ROWS }, (_, i) => `item-${i}`).sort();

let emu: LimitedEmulator;
let baseId: string;
const gateways: { engine: GatewayEngine; server: RunningGatewayServer }[] = [];

beforeAll(async () => {
  emu = await startLimitedEmulator({ perBase: 50, perOwner: 100 });
  [baseId] = (await emu.loadBases([itemsBase('Faults', ROWS, ['Writes'])])) as [string];
});
afterAll(async () => {
  for (const { engine, server } of gateways) {
    await server.close();
    await engine.close();
  }
  await emu?.close();
});

async function startGateway(requestTimeoutMs: number): Promise<{ url: string; engine: GatewayEngine }> {
  const engine = await createGatewayEngine({
    upstreamUrl: emu.url,
    perBaseLimit: 25,
    perOwnerLimit: 50,
    requestTimeoutMs,
    // 0.2^8: a read failing every attempt would take ~1 in 400,000.
    maxAttempts: 8,
    backoffBaseMs: 50,
    backoffMaxMs: 500,
  });
  const server = await startGatewayServer({ engine, port: 0 });
  gateways.push({ engine, server });
  return { url: server.url, engine };
}

interface WriteOutcome {
  marker: string;
  status: number;
  errorType?: string;
}

/** READS list calls and WRITES single-record creates, all at once, through the gateway. */
async function mixedLoad(url: string, phase: string) {
  const reads = Array.from({ length: READS }, async (_, i) => {
    const response = await fetch(`${url}/v0/${baseId}/Items${distinctListQuery(i)}`, { headers: AUTH });
    const body = (await response.json()) as { records?: { fields: { Name?: string } }[] };
    const names = (body.records ?? []).map((r) => r.fields.Name ?? '').sort();
    return { status: response.status, names };
  });
  const writes = Array.from({ length: WRITES }, async (_, i): Promise<WriteOutcome> => {
    const marker = `${phase}-${i}`;
    const response = await fetch(`${url}/v0/${baseId}/Writes`, {
      method: 'POST',
      headers: { ...AUTH, 'content-type': 'application/json' },
      body: JSON.stringify({ records: [{ fields: { Name: marker, Marker: marker } }] }),
    });
    const body = (await response.json()) as { error?: { type?: string } };
    return { marker, status: response.status, errorType: body.error?.type };
  });
  return { reads: await Promise.all(reads), writes: await Promise.all(writes) };
}

/** How many records of the Writes table carry each marker (read straight from the emulator). */
async function markerCounts(): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  let offset: string | undefined;
  do {
    const query = `?pageSize=100&fields%5B%5D=Marker${offset ? `&offset=${offset}` : ''}`;
    const response = await fetch(`${emu.url}/v0/${baseId}/Writes${query}`, { headers: AUTH });
    expect(response.status).toBe(200);
    const page = (await response.json()) as { records: { fields: { Marker?: string } }[]; offset?: string };
    for (const record of page.records) {
      const marker = record.fields.Marker ?? '';
      counts.set(marker, (counts.get(marker) ?? 0) + 1);
    }
    offset = page.offset;
  } while (offset);
  return counts;
}

/** Runs the load under `faults`, then checks reads, writes and the emulator's 429 count. */
async function underFaults(url: string, engine: GatewayEngine, phase: string, faults: object) {
  await emu.admin('/faults', { method: 'PUT', body: faults });
  const { reads, writes } = await mixedLoad(url, phase);
  await emu.admin('/faults', { method: 'DELETE' });
  // A stalled create still lands when its stall ends, after the gateway gave up on it.
  await sleep(2_500);
  const counts = await markerCounts();

  expect(reads.filter((r) => r.status !== 200)).toEqual([]);
  for (const read of reads) expect(read.names).toEqual(EXPECTED_NAMES);

  const unknown = writes.filter((w) => w.status !== 200);
  for (const write of unknown) {
    expect(write).toMatchObject({ status: 502, errorType: 'GATEWAY_WRITE_OUTCOME_UNKNOWN' });
    expect(counts.get(write.marker) ?? 0).toBeLessThanOrEqual(1);
  }
  for (const write of writes.filter((w) => w.status === 200)) expect(counts.get(write.marker)).toBe(1);
  expect((await emu.stats()).rateLimited).toBe(0);

  const retries = (await engine.metrics.retries.get()).values.map((v) => `${v.labels.reason}=${v.value}`);
  const landed = unknown.filter((w) => counts.get(w.marker) === 1).length;
  console.info(
    `faults/${phase}: ${READS} reads all 200; ${WRITES - unknown.length}/${WRITES} creates ok, ` +
      `${unknown.length} GATEWAY_WRITE_OUTCOME_UNKNOWN (${landed} of them applied once, none twice); ` +
      `gateway retries so far ${retries.join(' ') || 'none'}`,
  );
  return { unknown };
}

describe('faults: no read lost, no write duplicated (limits on, 30 s penalty)', () => {
  let gateway: { url: string; engine: GatewayEngine };
  beforeAll(async () => {
    gateway = await startGateway(5_000);
  });

  it('20% 503 RETRIABLE_ERROR: reads and writes retried, every create applied exactly once', async () => {
    const { unknown } = await underFaults(gateway.url, gateway.engine, '503', {
      errorRate: 0.2,
      errorStatus: 503,
    });
    // Airtable's 503 RETRIABLE_ERROR says the request was not processed: writes retry too.
    expect(unknown).toEqual([]);
  }, 60_000);

  it('20% dropped connections: reads retried, creates never retried blind', async () => {
    await underFaults(gateway.url, gateway.engine, 'drop', { dropRate: 0.2 });
  }, 60_000);

  it('20% 2-second stalls, request timeout (5 s) above the stall: everything succeeds', async () => {
    const { unknown } = await underFaults(gateway.url, gateway.engine, 'slow-above', {
      slowRate: 0.2,
      slowMs: 2_000,
    });
    expect(unknown).toEqual([]);
  }, 60_000);

  it('20% 2-second stalls, request timeout (1 s) below the stall: reads retried, writes reported unknown', async () => {
    const short = await startGateway(1_000);
    await underFaults(short.url, short.engine, 'slow-below', { slowRate: 0.2, slowMs: 2_000 });
  }, 60_000);
});
