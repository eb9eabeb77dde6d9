import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GatewayError } from '../errors.ts';
import { createAirtableGateway } from './airtable-gateway.ts';
import { BASE, type ClientRig, ITEMS, numbered, SEEDED, startClientRig, TOKEN } from './test-kit.ts';

/** Every error these specs saw, to check that none carries a token. */
const seen: unknown[] = [];
async function failure(promise: Promise<unknown>): Promise<GatewayError> {
  try {
    await promise;
  } catch (error) {
    seen.push(error);
    expect(error).toBeInstanceOf(GatewayError);
    return error as GatewayError;
  }
  throw new Error('expected a rejection');
}

afterAll(() => {
  for (const error of seen) {
    const text = `${(error as Error).message} ${JSON.stringify(error)}`;
    expect(text).not.toContain(TOKEN);
    expect(text).not.toContain('wrong-token');
  }
});

describe('Airtable refusing after the gateway retried', () => {
  let rig: ClientRig;
  beforeAll(async () => {
    rig = await startClientRig({
      rateLimits: { penaltyMs: 100 },
      engine: { penaltyMs: 100, maxRateLimitRetries: 1 },
    });
    await rig.gateway.whoami();
  });
  afterAll(() => rig.close());

  it('maps a 429 that outlasts the retries to AIRTABLE_RATE_LIMITED, for reads, writes and metadata', async () => {
    await rig.admin('/faults', { force429: 2 }, 'PUT');
    expect(await failure(rig.gateway.listRecords(BASE, SEEDED))).toMatchObject({
      code: 'AIRTABLE_RATE_LIMITED',
      upstreamStatus: 429,
      airtableType: 'RATE_LIMIT_REACHED',
    });
    await rig.admin('/faults', { force429: 2 }, 'PUT');
    expect(await failure(rig.gateway.listBases())).toMatchObject({ code: 'AIRTABLE_RATE_LIMITED' });

    await rig.admin('/faults', { force429: 2 }, 'PUT');
    const result = await rig.gateway.createMany(BASE, ITEMS, numbered(3));
    expect(result.error).toMatchObject({ code: 'AIRTABLE_RATE_LIMITED', upstreamStatus: 429, batchIndex: 0 });
    expect(result.records.map((r) => r.status)).toEqual(['failed', 'failed', 'failed']);
  });

  it('maps a 429 the gateway absorbed to success', async () => {
    await rig.admin('/faults', { force429: 1 }, 'PUT');
    const result = await rig.gateway.createMany(BASE, ITEMS, numbered(3));
    expect(result).toMatchObject({ ok: true, written: 3, upstreamCalls: 1 });
  });

  it('maps a bad token to AIRTABLE_ERROR 401 without echoing it', async () => {
    const stranger = createAirtableGateway({ engine: rig.engine, token: 'wrong-token-0123456789' });
    try {
      expect(await failure(stranger.getRecord(BASE, SEEDED, 'recAAAAAAAAAAAAAA'))).toMatchObject({
        code: 'AIRTABLE_ERROR',
        upstreamStatus: 401,
        airtableType: 'AUTHENTICATION_REQUIRED',
      });
      expect(await failure(stranger.whoami())).toMatchObject({ code: 'AIRTABLE_ERROR', upstreamStatus: 401 });
    } finally {
      await stranger.close();
    }
  });
});

describe('answers the gateway does not retry', () => {
  let rig: ClientRig;
  const billing = JSON.stringify({
    error: { type: 'PUBLIC_API_BILLING_LIMIT_EXCEEDED', message: 'API billing plan limit exceeded.' },
  });
  beforeAll(async () => {
    rig = await startClientRig({
      engine: {
        // In front of the emulator: a table on a spent plan, and a table whose writes lose the connection.
        fetch: async (input, init) => {
          const url = new URL(String(input));
          if (
            url.pathname.includes('/Billing') ||
            url.pathname.startsWith('/v0/meta/bases/appBillingLimit01')
          )
            return new Response(billing, { status: 429, headers: { 'content-type': 'application/json' } });
          if (url.pathname.includes('/Flaky') && init?.method === 'POST')
            throw Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNRESET' } });
          return fetch(input, init);
        },
      },
    });
  });
  afterAll(() => rig.close());

  it('maps a billing 429 to AIRTABLE_BILLING_LIMIT, for reads, writes and metadata', async () => {
    expect(await failure(rig.gateway.getRecord(BASE, 'Billing', 'recAAAAAAAAAAAAAA'))).toMatchObject({
      code: 'AIRTABLE_BILLING_LIMIT',
      upstreamStatus: 429,
      airtableType: 'PUBLIC_API_BILLING_LIMIT_EXCEEDED',
    });
    const result = await rig.gateway.createMany(BASE, 'Billing', numbered(12));
    expect(result.error).toMatchObject({ code: 'AIRTABLE_BILLING_LIMIT', batchIndex: 0 });
    expect(result.upstreamCalls).toBe(1);
    expect(await failure(rig.gateway.getBaseSchema('appBillingLimit01'))).toMatchObject({
      code: 'AIRTABLE_BILLING_LIMIT',
    });
  });

  it('reports a write whose connection broke as GATEWAY_WRITE_OUTCOME_UNKNOWN, record by record', async () => {
    const result = await rig.gateway.createMany(BASE, 'Flaky', numbered(15));
    expect(result).toMatchObject({ ok: false, written: 0, upstreamCalls: 1 });
    expect(result.error).toMatchObject({ code: 'GATEWAY_WRITE_OUTCOME_UNKNOWN', batchIndex: 0 });
    expect(result.records.map((r) => r.status)).toEqual([
      ...Array(10).fill('failed'),
      ...Array(5).fill('not-attempted'),
    ]);
    expect(result.records[0]).toMatchObject({ error: { code: 'GATEWAY_WRITE_OUTCOME_UNKNOWN' } });
  });
});

describe("the gateway's own refusals", () => {
  it('reports GATEWAY_QUEUE_FULL per record when the base queue overflows', async () => {
    const rig = await startClientRig({ engine: { perBaseLimit: 5, maxQueueLength: 1 } });
    try {
      await rig.gateway.whoami();
      const results = await Promise.all(
        Array.from({ length: 12 }, (_, i) => rig.gateway.createMany(BASE, ITEMS, numbered(2, i * 2))),
      );
      const refused = results.filter((r) => r.error?.code === 'GATEWAY_QUEUE_FULL');
      expect(refused.length).toBeGreaterThan(0);
      for (const result of refused) {
        expect(result.records).toEqual([
          expect.objectContaining({
            status: 'failed',
            error: expect.objectContaining({ code: 'GATEWAY_QUEUE_FULL' }),
          }),
          expect.objectContaining({ status: 'failed' }),
        ]);
      }
      const written = results.reduce((sum, r) => sum + r.written, 0);
      expect(await rig.gateway.listRecords(BASE, ITEMS)).toHaveLength(written);
      expect((await rig.stats()).rateLimited).toBe(0);
    } finally {
      await rig.close();
    }
  });
});

describe('client lifecycle', () => {
  it('refuses a missing token, an unknown priority, and calls after close', async () => {
    const rig = await startClientRig();
    try {
      expect(() => createAirtableGateway({ engine: rig.engine, token: '' })).toThrow(
        expect.objectContaining({ code: 'GATEWAY_UNAUTHENTICATED' }),
      );
      expect(() => rig.gateway.withPriority('urgent' as never)).toThrow(
        expect.objectContaining({ code: 'GATEWAY_INVALID_REQUEST' }),
      );
      expect((await rig.gateway.listRecords(BASE, SEEDED, { maxRecords: 1 })).length).toBe(1);
      await rig.gateway.close();
      expect(await failure(rig.gateway.listRecords(BASE, SEEDED))).toMatchObject({
        code: 'GATEWAY_INVALID_REQUEST',
      });
      expect(await failure(rig.gateway.whoami())).toMatchObject({ code: 'GATEWAY_INVALID_REQUEST' });
    } finally {
      await rig.close();
    }
  });
});
