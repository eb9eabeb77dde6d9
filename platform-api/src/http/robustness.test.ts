import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import type { Response as InjectResponse } from 'light-my-request';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSampleApp, validWidget, WIDGETS_URL } from './sample-app.fixture.ts';

/**
 * Hostile and odd input must never reach a 500: every failure is a problem+json 4xx with a
 * `code`. The app allows 256 KiB bodies so the long-string cases reach the validator.
 */

let app: FastifyInstance;
beforeAll(async () => {
  app = buildSampleApp({ bodyLimitBytes: 256 * 1024 });
  await app.ready();
});
afterAll(() => app.close());

function postRaw(payload: string | Buffer, contentType = 'application/json', url = WIDGETS_URL) {
  return app.inject({ method: 'POST', url, headers: { 'content-type': contentType }, payload });
}

function expectNoServerFault(response: InjectResponse): void {
  expect(response.statusCode).toBeLessThan(500);
  if (response.statusCode >= 400) {
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(typeof response.json().code).toBe('string');
  }
}

describe('unicode and size edge cases', () => {
  it.each([
    ['a lone high surrogate escape', '"\\ud800"'],
    ['a lone low surrogate escape', '"\\udfff"'],
    ['reversed surrogates', '"\\udc00\\ud800"'],
    ['an escaped NUL', '"a\\u0000b"'],
    ['RTL override and emoji', '"\\u202egizmo 👩‍👩‍👧‍👦 مرحبا"'],
    ['combining marks', `"${'a\u0301\u0302\u0303'.repeat(1000)}"`],
    ['a BOM and zero-width characters', '"\\ufeff\\u200b\\u200d"'],
  ])('accepts %s in a string field', async (_label, jsonString) => {
    const response = await postRaw(`{"name":${jsonString},"email":"ada@example.com","count":1}`);
    expect(response.statusCode).toBe(201);
    // The reply is still parseable JSON (lone surrogates come back escaped).
    expect(typeof response.json().name).toBe('string');
  });

  it('rejects a raw control character inside a JSON string as MALFORMED_JSON', async () => {
    const response = await postRaw('{"name":"a\u0000b","email":"ada@example.com","count":1}');
    expect(response.statusCode).toBe(400);
    expect(response.json().code).toBe('MALFORMED_JSON');
  });

  it('survives invalid UTF-8 bytes', async () => {
    const head = Buffer.from('{"name":"');
    const tail = Buffer.from('","email":"ada@example.com","count":1}');
    const response = await postRaw(
      Buffer.concat([head, Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0xed, 0xa0, 0x80]), tail]),
    );
    expectNoServerFault(response);
  });

  it('rejects a string longer than the schema allows with VALIDATION_FAILED', async () => {
    const response = await postRaw(JSON.stringify({ ...validWidget, name: 'é'.repeat(110_000) }));
    expect(response.statusCode).toBe(400);
    expect(response.json().code).toBe('VALIDATION_FAILED');
  });

  it('survives deeply nested JSON', async () => {
    const depth = 50_000;
    const response = await postRaw(
      `{"name":"x","email":"ada@example.com","count":1,"tags":${'['.repeat(depth)}${']'.repeat(depth)}}`,
    );
    expectNoServerFault(response);
    expect(response.statusCode).toBe(400);
  });

  it.each([
    ['NUL in the path', '/v1/workspaces/ws_%00/widgets'],
    ['an emoji workspace id', '/v1/workspaces/%F0%9F%98%80/widgets'],
    ['a broken escape in the query', `${WIDGETS_URL}?dryRun=%E0%A4%A`],
    ['an RTL query value', `${WIDGETS_URL}?dryRun=%E2%80%AEtrue`],
    ['a repeated query key', `${WIDGETS_URL}?dryRun=true&dryRun=false`],
  ])('answers %s without a 500', async (_label, url) => {
    expectNoServerFault(await postRaw(JSON.stringify(validWidget), 'application/json', url));
  });
});

describe('property: arbitrary input never causes a 500', () => {
  const contentTypes = fc.constantFrom(
    'application/json',
    'application/json; charset=utf-8',
    'text/plain',
    'application/octet-stream',
    'application/x-www-form-urlencoded',
    'application/json; charset=latin1',
  );

  it('for any JSON value as the body', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue(), async (value) => {
        expectNoServerFault(await postRaw(JSON.stringify(value) ?? 'null'));
      }),
      { numRuns: 300 },
    );
  });

  it('for widget-shaped objects with arbitrary field values', async () => {
    const anything = fc.oneof(fc.jsonValue(), fc.string({ unit: 'binary' }));
    await fc.assert(
      fc.asyncProperty(
        fc.record(
          { name: anything, email: anything, count: anything, tags: anything, extra: anything },
          { requiredKeys: [] },
        ),
        async (value) => {
          expectNoServerFault(await postRaw(JSON.stringify(value)));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('for any string as the raw body, under any content type', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ unit: 'binary', maxLength: 500 }),
        contentTypes,
        async (raw, contentType) => {
          expectNoServerFault(await postRaw(raw, contentType));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('for any bytes as the raw body', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 500 }), async (bytes) => {
        expectNoServerFault(await postRaw(Buffer.from(bytes)));
      }),
      { numRuns: 200 },
    );
  });

  it('for any path segment and query string', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ unit: 'binary', maxLength: 80 }),
        fc.string({ maxLength: 80 }),
        async (id, query) => {
          const url = `/v1/workspaces/${encodeURIComponent(id)}/widgets?dryRun=${encodeURIComponent(query)}`;
          expectNoServerFault(await postRaw(JSON.stringify(validWidget), 'application/json', url));
        },
      ),
      { numRuns: 200 },
    );
  });
});
