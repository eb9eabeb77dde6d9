import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SALES_CRM_BASE_ID } from './http-test-helpers.ts';
import { startTestEmulator, TEST_TOKEN, type TestEmulator } from './test-support.ts';

// A web page can reach 127.0.0.1 by DNS rebinding (its own name, resolved to this machine) or
// by a form post: the emulator answers only requests whose Host names this machine (or a
// configured host) and whose Origin, if any, is a local page; an admin token can be required.

interface Answer {
  status: number;
  type: string | undefined;
  body: unknown;
}

/** A request with headers fetch may not set (Host); resolves the status and Airtable's error type. */
function raw(
  t: TestEmulator,
  path: string,
  init: { method?: string; headers?: Record<string, string>; body?: unknown } = {},
): Promise<Answer> {
  const target = new URL(path, t.url);
  const body = init.body === undefined ? undefined : JSON.stringify(init.body);
  return new Promise((resolve, reject) => {
    const req = request(
      target,
      {
        method: init.method ?? 'GET',
        headers: { ...(body ? { 'content-type': 'text/plain' } : {}), ...init.headers },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          text += chunk;
        });
        res.on('end', () => {
          const parsed = JSON.parse(text) as { error?: { type?: string } };
          resolve({ status: res.statusCode ?? 0, type: parsed.error?.type, body: parsed });
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const API = `/v0/${SALES_CRM_BASE_ID}/Deals?pageSize=1`;
const withToken = { authorization: `Bearer ${TEST_TOKEN}` };

describe('Host: a guard against DNS rebinding', () => {
  let t: TestEmulator;
  beforeAll(async () => {
    t = await startTestEmulator();
  });
  afterAll(() => t.close());

  it('refuses the admin API to a foreign Host with 403 EMULATOR_HOST_NOT_ALLOWED, exporting nothing', async () => {
    const answer = await raw(t, '/__emulator/export', {
      headers: { host: `rebind.example:${t.emulator.port}` },
    });
    expect({ status: answer.status, type: answer.type }).toEqual({
      status: 403,
      type: 'EMULATOR_HOST_NOT_ALLOWED',
    });
    expect(JSON.stringify(answer.body)).not.toContain('Deals');
  });

  it('refuses /v0 to a foreign Host too, even with a valid token', async () => {
    const answer = await raw(t, API, { headers: { ...withToken, host: 'rebind.example' } });
    expect({ status: answer.status, type: answer.type }).toEqual({
      status: 403,
      type: 'EMULATOR_HOST_NOT_ALLOWED',
    });
  });

  it.each(['localhost', '127.0.0.1', '[::1]', 'LOCALHOST'])('serves Host %s', async (name) => {
    const host = `${name}:${t.emulator.port}`;
    expect((await raw(t, '/__emulator/export', { headers: { host } })).status).toBe(200);
    expect((await raw(t, API, { headers: { ...withToken, host } })).status).toBe(200);
  });
});

describe('Origin: pages on other sites cannot post to the admin API', () => {
  let t: TestEmulator;
  beforeAll(async () => {
    t = await startTestEmulator();
  });
  afterAll(() => t.close());

  it('refuses a reset posted from a foreign page with 403 EMULATOR_ORIGIN_NOT_ALLOWED, and nothing changes', async () => {
    const before = await (await t.admin('/export')).text();
    const answer = await raw(t, '/__emulator/reset', {
      method: 'POST',
      headers: { origin: 'https://evil.example' },
      body: { seed: 'empty' },
    });
    expect({ status: answer.status, type: answer.type }).toEqual({
      status: 403,
      type: 'EMULATOR_ORIGIN_NOT_ALLOWED',
    });
    expect(await (await t.admin('/export')).text()).toBe(before);
  });

  it('refuses an Origin that is not a URL, and /v0 calls from foreign pages', async () => {
    for (const [path, origin] of [
      ['/__emulator/stats', 'null'],
      [API, 'https://evil.example'],
    ] as const) {
      const answer = await raw(t, path, { headers: { ...withToken, origin } });
      expect({ path, status: answer.status, type: answer.type }).toEqual({
        path,
        status: 403,
        type: 'EMULATOR_ORIGIN_NOT_ALLOWED',
      });
    }
  });

  it('serves local pages (any port) and clients that send no Origin', async () => {
    expect((await raw(t, '/__emulator/stats', { headers: { origin: 'http://localhost:3000' } })).status).toBe(
      200,
    );
    expect((await raw(t, '/__emulator/stats', { headers: { origin: 'http://127.0.0.1:5173' } })).status).toBe(
      200,
    );
    expect((await raw(t, '/__emulator/stats')).status).toBe(200);
  });
});

describe('configured hosts and origins', () => {
  let t: TestEmulator;
  afterAll(() => t?.close());

  it('allowedHosts and allowedOrigins add names (a docker-compose service) and pages', async () => {
    t = await startTestEmulator({ allowedHosts: ['emulator'], allowedOrigins: ['https://app.example/'] });
    const host = `emulator:${t.emulator.port}`;
    expect((await raw(t, API, { headers: { ...withToken, host } })).status).toBe(200);
    const page = { host, origin: 'https://app.example' };
    expect((await raw(t, '/__emulator/stats', { headers: page })).status).toBe(200);
    expect((await raw(t, '/__emulator/stats', { headers: { host: 'other:1' } })).type).toBe(
      'EMULATOR_HOST_NOT_ALLOWED',
    );
  });

  it('accepts the address it listens on as Host', async () => {
    const bound = await startTestEmulator({ host: '127.0.0.2' });
    try {
      const host = `127.0.0.2:${bound.emulator.port}`;
      expect((await raw(bound, API, { headers: { ...withToken, host } })).status).toBe(200);
      expect((await raw(bound, API, { headers: { ...withToken, host: '127.0.0.3' } })).status).toBe(403);
    } finally {
      await bound.close();
    }
  });
});

describe('the admin token', () => {
  const ADMIN_TOKEN = 'admin-token-for-tests-0123';
  let t: TestEmulator;
  beforeAll(async () => {
    t = await startTestEmulator({ adminToken: ADMIN_TOKEN });
  });
  afterAll(() => t.close());

  it('refuses admin calls without it, or with another token (the Airtable token too), with 401 EMULATOR_ADMIN_UNAUTHORIZED', async () => {
    for (const headers of [{}, { authorization: 'Bearer wrong-token' }, withToken]) {
      const answer = await raw(t, '/__emulator/export', { headers });
      expect({ status: answer.status, type: answer.type }).toEqual({
        status: 401,
        type: 'EMULATOR_ADMIN_UNAUTHORIZED',
      });
    }
  });

  it('serves admin calls that send it', async () => {
    const answer = await raw(t, '/__emulator/reset', {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      body: { seed: 'sample' },
    });
    expect(answer.status).toBe(200);
  });

  it('leaves the health probe and /v0 (which has its own tokens) as they were', async () => {
    expect((await raw(t, '/__emulator/health')).status).toBe(200);
    expect((await raw(t, API, { headers: withToken })).status).toBe(200);
  });
});
