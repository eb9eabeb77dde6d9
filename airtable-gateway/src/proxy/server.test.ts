import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CRM, type GatewayRig, startRig } from '../testing/gateway-rig.ts';

let rig: GatewayRig;
beforeAll(async () => {
  rig = await startRig();
});
afterAll(async () => {
  await rig.close();
});

describe('the Airtable-compatible proxy', () => {
  it.each([
    ['a records list', `/v0/${CRM}/Deals?pageSize=3&sort%5B0%5D%5Bfield%5D=Amount`],
    ['an unknown base (bare 404)', '/v0/appNope000000000/Deals'],
    ['an unknown table (403)', `/v0/${CRM}/Nope`],
    ['a bad formula (422)', `/v0/${CRM}/Deals?filterByFormula=AND(`],
    ['the schema', `/v0/meta/bases/${CRM}/tables`],
  ])('passes %s through unchanged in status and body', async (_, path) => {
    const [proxied, direct] = await Promise.all([rig.viaGateway(path), rig.direct(path)]);
    expect(proxied.status).toBe(direct.status);
    const [a, b] = (await Promise.all([proxied.json(), direct.json()])) as Record<string, unknown>[];
    // List offsets name server-side cursors, so two listings differ there and only there.
    expect({ ...a, offset: typeof a?.offset }).toEqual({ ...b, offset: typeof b?.offset });
  });

  it('passes writes and their errors through', async () => {
    const created = await rig.viaGateway(`/v0/${CRM}/Companies`, {
      method: 'POST',
      body: JSON.stringify({ fields: { Name: 'Via Gateway Ltd' } }),
    });
    expect(created.status).toBe(200);
    expect(((await created.json()) as { fields: { Name: string } }).fields.Name).toBe('Via Gateway Ltd');
    const bad = await rig.viaGateway(`/v0/${CRM}/Companies`, {
      method: 'POST',
      body: JSON.stringify({ fields: { Nope: 1 } }),
    });
    expect(bad.status).toBe(422);
    expect(((await bad.json()) as { error: { type: string } }).error.type).toBe('UNKNOWN_FIELD_NAME');
  });

  it("answers a missing token with Airtable's 401 without calling upstream", async () => {
    const before = (await rig.upstreamStats()).requests;
    const res = await fetch(`${rig.server.url}/v0/${CRM}/Deals`);
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { type: string } }).error.type).toBe('AUTHENTICATION_REQUIRED');
    expect((await rig.upstreamStats()).requests).toBe(before);
  });

  it('passes an unknown token on and returns Airtable’s 401', async () => {
    const res = await fetch(`${rig.server.url}/v0/${CRM}/Deals`, {
      headers: { authorization: 'Bearer not-a-real-token' },
    });
    expect(res.status).toBe(401);
  });

  it('answers paths outside /v0 with a bare 404', async () => {
    const res = await rig.viaGateway('/v1/whatever');
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: 'NOT_FOUND' });
  });

  it('reports health and the limiter mode', async () => {
    const res = await fetch(`${rig.server.url}/healthz`);
    expect(await res.json()).toEqual({ ok: true, limiter: 'local' });
  });

  it('exposes Prometheus metrics', async () => {
    await rig.viaGateway(`/v0/${CRM}/Deals?pageSize=1`);
    const text = await (await fetch(`${rig.server.url}/metrics`)).text();
    for (const name of [
      'airsuite_gateway_upstream_requests_total',
      'airsuite_gateway_queue_wait_seconds',
      'airsuite_gateway_queue_length',
      'airsuite_gateway_retries_total',
      'airsuite_gateway_coalesced_total',
      'airsuite_gateway_cache_lookups_total',
      'airsuite_gateway_upstream_429_total',
    ]) {
      expect(text).toContain(name);
    }
    expect(text).toMatch(
      /airsuite_gateway_upstream_requests_total\{base="appJRG6RjcS0ZVuqz",status="200"\} \d+/,
    );
  });

  it('sends a records list whose URL would pass 16,000 characters as POST listRecords', async () => {
    const ids = Array.from({ length: 900 }, (_, i) => `RECORD_ID()='rec${String(i).padStart(14, '0')}'`);
    const path = `/v0/${CRM}/Deals?filterByFormula=${encodeURIComponent(`OR(${ids.join(',')})`)}`;
    expect(path.length).toBeGreaterThan(16_000);
    const direct = await rig.direct(path);
    expect(direct.status).toBe(414);
    const proxied = await rig.viaGateway(path);
    expect(proxied.status).toBe(200);
    expect(await proxied.json()).toEqual({ records: [] });
  });
});
