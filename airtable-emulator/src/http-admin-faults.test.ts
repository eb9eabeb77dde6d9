import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { expectError, json, PRODUCT_ROADMAP_BASE_ID, SALES_CRM_BASE_ID } from './http-test-helpers.ts';
import { startTestEmulator, type TestEmulator } from './test-support.ts';

// The admin API under /__emulator: fault injection and request stats.

const B = SALES_CRM_BASE_ID;
const P = PRODUCT_ROADMAP_BASE_ID;

let t: TestEmulator;

beforeAll(async () => {
  t = await startTestEmulator();
});
afterAll(() => t.close());
beforeEach(async () => {
  await json(await t.admin('/reset', { body: { seed: 'sample' } }));
});

const putFaults = async (body: Record<string, unknown>) =>
  json(await t.admin('/faults', { method: 'PUT', body }));
const readDeals = () => t.api(`/v0/${B}/Deals?pageSize=1`);
const readFeatures = () => t.api(`/v0/${P}/Features?pageSize=1`);

describe('faults', () => {
  beforeEach(async () => {
    await json(await t.admin('/faults', { method: 'DELETE' }));
  });

  it('errorRate 1 answers every request with 503 RETRIABLE_ERROR', async () => {
    await putFaults({ errorRate: 1 });
    for (let i = 0; i < 3; i++) await expectError(await readDeals(), 503, 'RETRIABLE_ERROR');
    await json(await t.admin('/faults', { method: 'DELETE' }));
    await json(await readDeals());
  });

  it('errorStatus chooses 500 or 502 instead', async () => {
    await putFaults({ errorRate: 1, errorStatus: 500 });
    await expectError(await readDeals(), 500, 'SERVER_ERROR');
    await putFaults({ errorRate: 1, errorStatus: 502 });
    expect((await readDeals()).status).toBe(502);
  });

  it('injected errors come before authentication, as an upstream outage would', async () => {
    await putFaults({ errorRate: 1 });
    await expectError(await fetch(`${t.url}/v0/${B}/Deals`), 503, 'RETRIABLE_ERROR');
  });

  it('force429: 2 gives exactly two 429s, then service as usual', async () => {
    await putFaults({ force429: 2 });
    for (let i = 0; i < 2; i++) {
      const res = await readDeals();
      expect(res.status).toBe(429);
      expect(await res.json()).toEqual({
        error: { type: 'RATE_LIMIT_REACHED', message: 'Rate limit exceeded. Please try again later' },
      });
    }
    await json(await readDeals());
    expect(await json(await t.admin('/faults'))).toMatchObject({ force429: 0 });
  });

  it('passFirst: 2 lets two requests through before the outage begins (one that starts mid-write)', async () => {
    await putFaults({ errorRate: 1, passFirst: 2 });
    await json(await readDeals());
    await json(await readDeals());
    await expectError(await readDeals(), 503, 'RETRIABLE_ERROR');
    expect(await json(await t.admin('/faults'))).toMatchObject({ passFirst: 0, errorRate: 1 });
  });

  it('dropRate 1 drops the connection, so fetch rejects', async () => {
    await putFaults({ dropRate: 1 });
    await expect(readDeals()).rejects.toThrow();
    await json(await t.admin('/faults', { method: 'DELETE' }));
    expect((await readDeals()).status).toBe(200);
  });

  it('latencyMs delays every answer', async () => {
    await putFaults({ latencyMs: 300 });
    const started = performance.now();
    await json(await readDeals());
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
  });

  it('baseId limits faults to one base; other bases and requests without a base are untouched', async () => {
    await putFaults({ errorRate: 1, baseId: P });
    await expectError(await readFeatures(), 503, 'RETRIABLE_ERROR');
    await expectError(await t.api(`/v0/meta/bases/${P}/tables`), 503, 'RETRIABLE_ERROR');
    await json(await readDeals());
    await json(await t.api('/v0/meta/whoami'));
  });

  it('never touches the admin API itself', async () => {
    await putFaults({ errorRate: 1, latencyMs: 0 });
    expect(await json(await t.admin('/health'))).toEqual({ ok: true });
  });

  it('refuses bad settings with 422 EMULATOR_INVALID_REQUEST and keeps the old ones', async () => {
    await putFaults({ latencyMs: 5 });
    for (const body of [{ errorRate: 2 }, { errorStatus: 504 }, { latencyMs: -1 }, { chaos: true }]) {
      await expectError(await t.admin('/faults', { method: 'PUT', body }), 422, 'EMULATOR_INVALID_REQUEST');
    }
    expect(await json(await t.admin('/faults'))).toMatchObject({ latencyMs: 5, errorRate: 0 });
  });
});

describe('stats', () => {
  it('counts /v0 requests by status and base, and DELETE resets them', async () => {
    await json(await t.admin('/stats', { method: 'DELETE' }));
    await readDeals();
    await readDeals();
    await t.api(`/v0/${B}/Nope`);
    await readFeatures();
    await t.api('/v0/meta/whoami');
    await t.admin('/health');
    expect(await json(await t.admin('/stats'))).toEqual({
      requests: 5,
      rateLimited: 0,
      byStatus: { 200: 4, 403: 1 },
      byBase: { [B]: { requests: 3, rateLimited: 0 }, [P]: { requests: 1, rateLimited: 0 } },
    });
    expect(await json(await t.admin('/stats', { method: 'DELETE' }))).toEqual({
      requests: 0,
      rateLimited: 0,
      byStatus: {},
      byBase: {},
    });
  });
});
