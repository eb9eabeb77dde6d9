import { Readable, Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createHttpApp, DEFAULT_BODY_LIMIT_BYTES, type HttpAppOptions } from './create-app.ts';
import { INTERNAL_DETAIL } from './problem.ts';
import { buildSampleApp, validWidget, WIDGETS_URL } from './sample-app.fixture.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const opened: FastifyInstance[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((app) => app.close()));
});

async function sample(options: HttpAppOptions = {}): Promise<FastifyInstance> {
  const app = buildSampleApp(options);
  opened.push(app);
  await app.ready();
  return app;
}

function expectProblem(
  response: { statusCode: number; headers: Record<string, unknown>; json(): unknown },
  status: number,
  code: string,
) {
  expect(response.statusCode).toBe(status);
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(response.json()).toMatchObject({ status, code, request_id: expect.any(String) });
}

describe('bodies and content types', () => {
  it('answers malformed JSON with 400 MALFORMED_JSON', async () => {
    const app = await sample();
    const response = await app.inject({
      method: 'POST',
      url: WIDGETS_URL,
      headers: { 'content-type': 'application/json' },
      payload: '{"name": "x",',
    });
    expectProblem(response, 400, 'MALFORMED_JSON');
  });

  it('rejects prototype-poisoning keys as MALFORMED_JSON', async () => {
    const app = await sample();
    for (const payload of ['{"__proto__":{"isAdmin":true}}', '{"constructor":{"prototype":{"x":1}}}']) {
      const response = await app.inject({
        method: 'POST',
        url: WIDGETS_URL,
        headers: { 'content-type': 'application/json' },
        payload,
      });
      expectProblem(response, 400, 'MALFORMED_JSON');
    }
  });

  it('answers an oversized body with 413 BODY_TOO_LARGE, declared or streamed', async () => {
    const app = await sample({ bodyLimitBytes: 1024 });
    const big = JSON.stringify({ ...validWidget, name: 'x'.repeat(2000) });
    const declared = await app.inject({
      method: 'POST',
      url: WIDGETS_URL,
      headers: { 'content-type': 'application/json' },
      payload: big,
    });
    expectProblem(declared, 413, 'BODY_TOO_LARGE');

    const streamed = await app.inject({
      method: 'POST',
      url: WIDGETS_URL,
      headers: { 'content-type': 'application/json' },
      payload: Readable.from([big.slice(0, 800), big.slice(800)]),
    });
    expectProblem(streamed, 413, 'BODY_TOO_LARGE');
  });

  it('defaults the body limit to 1 MiB', async () => {
    const app = await sample();
    const response = await app.inject({
      method: 'POST',
      url: WIDGETS_URL,
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ ...validWidget, name: 'x'.repeat(DEFAULT_BODY_LIMIT_BYTES) }),
    });
    expectProblem(response, 413, 'BODY_TOO_LARGE');
  });

  it.each([
    'text/plain',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=x',
    'application/xml',
  ])('answers %s with 415 UNSUPPORTED_MEDIA_TYPE', async (contentType) => {
    const app = await sample();
    const response = await app.inject({
      method: 'POST',
      url: WIDGETS_URL,
      headers: { 'content-type': contentType },
      payload: JSON.stringify(validWidget),
    });
    expectProblem(response, 415, 'UNSUPPORTED_MEDIA_TYPE');
  });

  it.each(['application/json', 'application/json; charset=utf-8', 'Application/JSON; charset=UTF-8'])(
    'accepts %s',
    async (contentType) => {
      const app = await sample();
      const response = await app.inject({
        method: 'POST',
        url: WIDGETS_URL,
        headers: { 'content-type': contentType },
        payload: JSON.stringify(validWidget),
      });
      expect(response.statusCode).toBe(201);
    },
  );

  it('treats an empty JSON body as no body: VALIDATION_FAILED where one is required', async () => {
    const app = await sample();
    const response = await app.inject({
      method: 'POST',
      url: WIDGETS_URL,
      headers: { 'content-type': 'application/json' },
      payload: '',
    });
    expectProblem(response, 400, 'VALIDATION_FAILED');
  });

  it('serves a body-less POST with or without a content type', async () => {
    const app = await sample();
    expect((await app.inject({ method: 'POST', url: '/v1/logout' })).statusCode).toBe(204);
    const withType = await app.inject({
      method: 'POST',
      url: '/v1/logout',
      headers: { 'content-type': 'application/json' },
    });
    expect(withType.statusCode).toBe(204);
  });
});

describe('errors thrown by handlers', () => {
  it('answers a PlatformError with its status, code, details and Retry-After', async () => {
    const app = await sample();
    const response = await app.inject({ method: 'GET', url: '/v1/boom/platform' });
    expectProblem(response, 429, 'RATE_LIMITED');
    expect(response.headers['retry-after']).toBe('3');
    expect(response.json()).toMatchObject({
      type: 'https://airsuite.dev/problems/rate-limited',
      instance: '/v1/boom/platform',
      retry_after_seconds: 2.5,
      scope: 'workspace',
    });
  });

  it.each(['plain', 'internal', 'unserializable'])(
    'answers a %s failure with 500 INTERNAL and no message or stack',
    async (kind) => {
      const app = await sample();
      const response = await app.inject({ method: 'GET', url: `/v1/boom/${kind}` });
      expectProblem(response, 500, 'INTERNAL');
      expect(response.json().detail).toBe(INTERNAL_DETAIL);
      expect(response.body).not.toMatch(/hunter2|db\.internal|stack|BigInt/i);
    },
  );

  it('logs the real 500 cause under the request id', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const app = await sample({ logger: pino({ level: 'info' }, sink) });
    const response = await app.inject({
      method: 'GET',
      url: '/v1/boom/plain',
      headers: { 'x-request-id': 'trace-500' },
    });
    expect(response.statusCode).toBe(500);
    const failure = lines.map((line) => JSON.parse(line)).find((entry) => entry.level === 50);
    expect(failure).toMatchObject({ request_id: 'trace-500', err: { type: 'Error' } });
  });

  it('answers an unknown route with 404 NOT_FOUND', async () => {
    const app = await sample();
    const response = await app.inject({ method: 'GET', url: '/v1/nothing-here?token=secret' });
    expectProblem(response, 404, 'NOT_FOUND');
    expect(response.json().instance).toBe('/v1/nothing-here');
    expect(response.body).not.toContain('secret');
  });

  it('answers a malformed URL with a 400 problem', async () => {
    const app = await sample();
    const response = await app.inject({ method: 'GET', url: '/v1/boom/%E0%A4%A' });
    expectProblem(response, 400, 'BAD_REQUEST');
  });
});

describe('request ids', () => {
  it('makes a UUID and echoes it in the header and in problems', async () => {
    const app = await sample();
    const ok = await app.inject({ method: 'GET', url: '/healthz' });
    expect(ok.headers['x-request-id']).toMatch(UUID);
    const notFound = await app.inject({ method: 'GET', url: '/v1/missing' });
    expect(notFound.json().request_id).toBe(notFound.headers['x-request-id']);
  });

  it('keeps a tame incoming x-request-id', async () => {
    const app = await sample();
    const response = await app.inject({
      method: 'GET',
      url: '/v1/missing',
      headers: { 'x-request-id': 'edge-01.ab_CD' },
    });
    expect(response.headers['x-request-id']).toBe('edge-01.ab_CD');
    expect(response.json().request_id).toBe('edge-01.ab_CD');
  });

  it.each([
    ['spaces', 'bad id'],
    ['markup', '<script>alert(1)</script>'],
    ['too long', 'a'.repeat(65)],
    ['empty', ''],
    ['newline escape', 'abc%0d%0aSet-Cookie:x'],
  ])('replaces an incoming x-request-id with %s', async (_label, incoming) => {
    const app = await sample();
    const response = await app.inject({
      method: 'GET',
      url: '/healthz',
      headers: { 'x-request-id': incoming },
    });
    expect(response.headers['x-request-id']).toMatch(UUID);
  });
});

describe('security headers and CORS', () => {
  it('sets helmet headers on successes and problems', async () => {
    const app = await sample();
    for (const url of ['/healthz', '/v1/missing']) {
      const response = await app.inject({ method: 'GET', url });
      expect(response.headers['x-content-type-options']).toBe('nosniff');
      expect(response.headers['x-frame-options']).toBe('SAMEORIGIN');
      expect(response.headers['strict-transport-security']).toBeDefined();
      expect(response.headers['content-security-policy']).toContain("default-src 'self'");
      expect(response.headers['content-security-policy']).not.toContain('upgrade-insecure-requests');
    }
  });

  it('sends no CORS headers by default', async () => {
    const app = await sample();
    const response = await app.inject({
      method: 'GET',
      url: '/healthz',
      headers: { origin: 'https://evil.example' },
    });
    expect(response.headers['access-control-allow-origin']).toBeUndefined();
    const preflight = await app.inject({
      method: 'OPTIONS',
      url: WIDGETS_URL,
      headers: { origin: 'https://app.example', 'access-control-request-method': 'POST' },
    });
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('allows only the configured origins', async () => {
    const app = await sample({ corsOrigins: ['https://app.example'] });
    const preflight = await app.inject({
      method: 'OPTIONS',
      url: WIDGETS_URL,
      headers: {
        origin: 'https://app.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization, content-type',
      },
    });
    expect(preflight.statusCode).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe('https://app.example');
    expect(String(preflight.headers['access-control-allow-headers'])).toContain('authorization');

    const other = await app.inject({
      method: 'GET',
      url: '/healthz',
      headers: { origin: 'https://evil.example' },
    });
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('infrastructure routes', () => {
  it('answers /healthz', async () => {
    const app = await sample();
    const response = await app.inject({ method: 'GET', url: '/healthz' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok' });
  });

  it('serves the interactive reference at /docs', async () => {
    const app = await sample();
    const response = await app.inject({ method: 'GET', url: '/docs' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/html/);
    // Same-origin scripts only, so the helmet CSP (script-src 'self') lets the page run.
    expect(response.body).not.toMatch(/<script>(?!\s*<\/script>)/);
    const initializer = await app.inject({ method: 'GET', url: '/docs/static/swagger-initializer.js' });
    expect(initializer.statusCode).toBe(200);
  });

  it('works without any route plugin', async () => {
    const app = createHttpApp();
    opened.push(app);
    const response = await app.inject({ method: 'GET', url: '/openapi.json' });
    expect(response.json().openapi).toBe('3.1.0');
  });

  it.each([
    ['a zero body limit', { bodyLimitBytes: 0 }],
    ['a fractional body limit', { bodyLimitBytes: 1.5 }],
    ['an empty CORS origin', { corsOrigins: [''] }],
  ])('refuses %s', (_label, options) => {
    expect(() => createHttpApp(options)).toThrow();
  });
});
