import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { createHttpApp } from './create-app.ts';
import { defineRoute, registerRoute } from './define-route.ts';
import { buildSampleApp, validWidget, WIDGETS_URL } from './sample-app.fixture.ts';

let app: FastifyInstance;
beforeAll(async () => {
  app = buildSampleApp();
  await app.ready();
});
afterAll(() => app.close());

function post(payload: unknown, url = WIDGETS_URL) {
  return app.inject({
    method: 'POST',
    url,
    payload: JSON.stringify(payload),
    headers: { 'content-type': 'application/json' },
  });
}

function fieldsOf(body: { errors?: { field: string; location: string }[] }) {
  return (body.errors ?? []).map((e) => `${e.location}:${e.field}`);
}

describe('zod-validated routes', () => {
  it('accepts a valid request and types body, params and query from the schemas', async () => {
    const response = await app.inject({
      method: 'POST',
      url: `${WIDGETS_URL}?dryRun=true`,
      payload: { ...validWidget, tags: ['a'] },
    });
    expect(response.statusCode).toBe(201);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(response.json()).toEqual({
      id: 'wdg_1',
      workspaceId: 'ws_abc',
      dryRun: true,
      ...validWidget,
      tags: ['a'],
    });
  });

  it('names a missing field', async () => {
    const { email: _omitted, ...rest } = validWidget;
    const response = await post(rest);
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    const body = response.json();
    expect(body.code).toBe('VALIDATION_FAILED');
    expect(fieldsOf(body)).toEqual(['body:email']);
  });

  it('names every field with a wrong type, including nested paths', async () => {
    const response = await post({ ...validWidget, count: '3', tags: ['ok', 7] });
    expect(response.statusCode).toBe(400);
    expect(response.json().code).toBe('VALIDATION_FAILED');
    expect(fieldsOf(response.json()).sort()).toEqual(['body:count', 'body:tags.1']);
  });

  it('strips unknown keys instead of rejecting them', async () => {
    const response = await post({ ...validWidget, isAdmin: true, __extra: { deep: 1 } });
    expect(response.statusCode).toBe(201);
    expect(response.json()).not.toHaveProperty('isAdmin');
    expect(response.json()).not.toHaveProperty('__extra');
  });

  it.each([
    ['null', null],
    ['an array', [validWidget]],
    ['a string', 'widget'],
    ['a number', 42],
  ])('rejects a JSON %s body with VALIDATION_FAILED on the body itself', async (_label, payload) => {
    const response = await post(payload);
    expect(response.statusCode).toBe(400);
    expect(response.json().code).toBe('VALIDATION_FAILED');
    expect(fieldsOf(response.json())).toEqual(['body:body']);
  });

  it('validates params and query, naming their location', async () => {
    const badParam = await post(validWidget, '/v1/workspaces/WS-NOPE/widgets');
    expect(badParam.statusCode).toBe(400);
    expect(fieldsOf(badParam.json())).toEqual(['params:workspaceId']);

    const badQuery = await post(validWidget, `${WIDGETS_URL}?dryRun=maybe`);
    expect(badQuery.statusCode).toBe(400);
    expect(fieldsOf(badQuery.json())).toEqual(['query:dryRun']);
  });

  it('serializes replies with JSON.stringify, without stripping to the response schema', async () => {
    const own = createHttpApp();
    own.register(
      async (group) =>
        registerRoute(
          group,
          defineRoute({
            method: 'GET',
            url: '/loose',
            summary: 'Reply with more than the schema declares',
            tags: ['test'],
            operationId: 'loose',
            auth: 'none',
            response: { 200: z.object({ a: z.string() }) },
            handler: async () => ({ a: 'x', undeclared: 1 }),
          }),
        ),
      { prefix: '/v1' },
    );
    try {
      const response = await own.inject({ method: 'GET', url: '/v1/loose' });
      expect(response.json()).toEqual({ a: 'x', undeclared: 1 });
    } finally {
      await own.close();
    }
  });

  it('types handler requests from the zod outputs', () => {
    defineRoute({
      method: 'POST',
      url: '/typed/:id',
      summary: 's',
      tags: [],
      operationId: 'typed',
      auth: 'required',
      params: z.object({ id: z.string() }),
      query: z.object({ limit: z.coerce.number().optional() }),
      body: z.object({ name: z.string() }),
      response: { 200: z.object({ ok: z.boolean() }), 204: null },
      handler: async (request) => {
        expectTypeOf(request.body).toEqualTypeOf<{ name: string }>();
        expectTypeOf(request.params).toEqualTypeOf<{ id: string }>();
        expectTypeOf(request.query).toEqualTypeOf<{ limit?: number | undefined }>();
        return { ok: true };
      },
    });
  });
});

describe('OpenAPI document', () => {
  it('is OpenAPI 3.1.0 with the bearer scheme and the sample route’s schemas and security', async () => {
    const response = await app.inject({ method: 'GET', url: '/openapi.json' });
    expect(response.statusCode).toBe(200);
    const spec = response.json();
    expect(spec.openapi).toBe('3.1.0');
    expect(spec.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });

    const create = spec.paths['/v1/workspaces/{workspaceId}/widgets'].post;
    expect(create.operationId).toBe('createWidget');
    expect(create.security).toEqual([{ bearer: [] }]);
    const body = create.requestBody.content['application/json'].schema;
    expect(body.type).toBe('object');
    expect(Object.keys(body.properties)).toEqual(['name', 'email', 'count', 'tags']);
    expect(body.required).toEqual(['name', 'email', 'count']);
    expect(body).not.toHaveProperty('$schema');
    const parameters = create.parameters.map((p: { in: string; name: string }) => `${p.in}:${p.name}`);
    expect(parameters.sort()).toEqual(['path:workspaceId', 'query:dryRun']);
    expect(create.responses['201'].description).toBe('The widget as stored');
    expect(create.responses['201'].content['application/json'].schema.properties).toHaveProperty('id');
    expect(create.responses['409'].description).toBe('The name is taken');
    expect(create.responses['409'].content['application/problem+json'].schema.properties).toHaveProperty(
      'code',
    );

    const logout = spec.paths['/v1/logout'].post;
    expect(logout.security).toBeUndefined();
    expect(logout.responses['204']).toBeDefined();
  });

  it('leaves the infrastructure routes out', async () => {
    const spec = (await app.inject({ method: 'GET', url: '/openapi.json' })).json();
    const paths = Object.keys(spec.paths);
    expect(paths.every((path) => path.startsWith('/v1/'))).toBe(true);
  });
});
