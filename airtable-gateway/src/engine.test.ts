import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createGatewayEngine } from './engine.ts';
import { CRM, type GatewayRig, refusedUrl, startRig, TOKEN } from './testing/gateway-rig.ts';

const rigs: GatewayRig[] = [];
async function rig(...args: Parameters<typeof startRig>) {
  const r = await startRig(...args);
  rigs.push(r);
  return r;
}
afterEach(async () => {
  await Promise.all(rigs.splice(0).map((r) => r.close()));
});

const list = (search = '?pageSize=5') => ({ method: 'GET', path: `/v0/${CRM}/Deals`, search, token: TOKEN });
const crmRequests = async (r: GatewayRig) => (await r.upstreamStats()).byBase[CRM]?.requests ?? 0;

describe('gateway engine', () => {
  it('merges identical concurrent reads into one upstream call', async () => {
    const r = await rig();
    const answers = await Promise.all(Array.from({ length: 10 }, () => r.engine.request(list())));
    expect(new Set(answers.map((a) => a.body)).size).toBe(1);
    expect(answers.filter((a) => a.source === 'coalesced')).toHaveLength(9);
    expect(await crmRequests(r)).toBe(1);
  });

  it('serves repeated record reads from the cache until a write to the base', async () => {
    const r = await rig({ recordCacheTtlMs: 60_000 });
    const cached = { ...list(), allowCache: true };
    expect((await r.engine.request(cached)).source).toBe('upstream');
    expect((await r.engine.request(cached)).source).toBe('cache');
    expect((await r.engine.request(list())).source).toBe('upstream');
    const write = await r.engine.request({
      method: 'POST',
      path: `/v0/${CRM}/Companies`,
      search: '',
      token: TOKEN,
      body: JSON.stringify({ fields: { Name: 'Invalidator' } }),
    });
    expect(write.status).toBe(200);
    expect((await r.engine.request(cached)).source).toBe('upstream');
  });

  it('caches base schemas and drops them on a schema write', async () => {
    const r = await rig();
    const schema = { method: 'GET', path: `/v0/meta/bases/${CRM}/tables`, search: '', token: TOKEN };
    await r.engine.request(schema);
    expect((await r.engine.request(schema)).source).toBe('cache');
    const field = await r.engine.request({
      method: 'POST',
      path: `/v0/meta/bases/${CRM}/tables/Companies/fields`,
      search: '',
      token: TOKEN,
      body: JSON.stringify({ name: 'Segment', type: 'singleLineText' }),
    });
    expect(field.status).toBe(200);
    const fresh = await r.engine.request(schema);
    expect(fresh.source).toBe('upstream');
    expect(fresh.body).toContain('Segment');
  });

  it("pauses the base after Airtable's 429 and retries, so the caller sees success", async () => {
    const r = await rig({ penaltyMs: 300 }, { penaltyMs: 300 });
    await r.admin('/faults', { force429: 1 });
    const started = Date.now();
    const answer = await r.engine.request(list());
    expect(answer.status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    const metrics = await r.engine.metrics.registry.getSingleMetricAsString(
      'airsuite_gateway_upstream_429_total',
    );
    expect(metrics).toContain('type="RATE_LIMIT_REACHED"} 1');
  });

  it('never retries the billing cap and hands it back as Airtable sent it', async () => {
    let calls = 0;
    const billing = JSON.stringify({ error: { type: 'PUBLIC_API_BILLING_LIMIT_EXCEEDED', message: 'cap' } });
    const engine = await createGatewayEngine({
      upstreamUrl: 'http://127.0.0.1:9',
      fetch: async (input) => {
        calls++;
        if (String(input).endsWith('/whoami'))
          return new Response(JSON.stringify({ id: 'usrA' }), { status: 200 });
        return new Response(billing, { status: 429 });
      },
    });
    try {
      const answer = await engine.request(list());
      expect({ status: answer.status, body: answer.body }).toEqual({ status: 429, body: billing });
      expect(calls).toBe(2);
    } finally {
      await engine.close();
    }
  });

  it('rejects a call without a token with GATEWAY_UNAUTHENTICATED', async () => {
    const r = await rig();
    await expect(r.engine.request({ ...list(), token: '' })).rejects.toMatchObject({
      code: 'GATEWAY_UNAUTHENTICATED',
    });
  });

  it('never writes a token into its logs, even when things fail', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const secret = 'patSECRETsecret1234.abcdef';
    const engine = await createGatewayEngine({
      upstreamUrl: await refusedUrl(),
      logger: pino({ level: 'trace' }, sink),
      maxAttempts: 2,
      backoffBaseMs: 1,
    });
    try {
      await expect(
        engine.request({ ...list(), token: secret, method: 'POST', body: '{}' }),
      ).rejects.toMatchObject({
        code: 'GATEWAY_UPSTREAM_UNAVAILABLE',
      });
    } finally {
      await engine.close();
    }
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.join('\n')).not.toContain(secret);
  });

  it('refuses invalid options with GATEWAY_INVALID_OPTIONS', async () => {
    await expect(createGatewayEngine({ perBaseLimit: 0 })).rejects.toMatchObject({
      code: 'GATEWAY_INVALID_OPTIONS',
    });
    await expect(createGatewayEngine({ upstreamUrl: 'not a url' })).rejects.toMatchObject({
      code: 'GATEWAY_INVALID_OPTIONS',
    });
  });
});

describe.skipIf(!process.env.REDIS_URL)('gateway engines sharing Redis', () => {
  it('drop cached reads when another process writes to the base', async () => {
    const r = await rig({ recordCacheTtlMs: 60_000, redisUrl: process.env.REDIS_URL });
    const other = await createGatewayEngine({
      upstreamUrl: r.emulator.url,
      perBaseLimit: 50,
      perOwnerLimit: 200,
      redisUrl: process.env.REDIS_URL,
    });
    try {
      await r.engine.request({ ...list('?pageSize=4'), allowCache: true });
      expect((await r.engine.request({ ...list('?pageSize=4'), allowCache: true })).source).toBe('cache');
      const write = await other.request({
        method: 'POST',
        path: `/v0/${CRM}/Companies`,
        search: '',
        token: TOKEN,
        body: JSON.stringify({ fields: { Name: 'Written elsewhere' } }),
      });
      expect(write.status).toBe(200);
      await expect
        .poll(async () => (await r.engine.request({ ...list('?pageSize=4'), allowCache: true })).source, {
          timeout: 2000,
        })
        .toBe('upstream');
      expect(r.engine.limiterMode()).toBe('shared');
    } finally {
      await other.close();
    }
  });
});
