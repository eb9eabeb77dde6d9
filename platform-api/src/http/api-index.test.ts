import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import type { HttpAppOptions } from './create-app.ts';
import { buildSampleApp } from './sample-app.fixture.ts';

// The start banner links http://127.0.0.1:8080/v1, and people try the bare origin too: both
// say what the API is and where its reference is, instead of a 404.

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

describe('the API index at / and /v1', () => {
  it.each(['/', '/v1'])(
    '%s answers API clients with the name, version, links and every endpoint',
    async (url) => {
      const app = await sample();
      for (const accept of ['application/json', '*/*', undefined]) {
        const response = await app.inject({ method: 'GET', url, headers: accept ? { accept } : {} });
        expect(response.statusCode).toBe(200);
        expect(response.headers['content-type']).toMatch(/^application\/json/);
        expect(response.json()).toEqual({
          name: 'AirSuite Platform API',
          version: '1.0.0',
          links: { docs: '/docs', openapi: '/openapi.json', health: '/healthz' },
          endpoints: expect.arrayContaining(['POST /v1/workspaces/{workspaceId}/widgets']),
        });
      }
    },
  );

  it('lists exactly the operations of the OpenAPI document, and each link answers', async () => {
    const app = await sample();
    const index = (await app.inject({ method: 'GET', url: '/v1' })).json() as {
      links: Record<string, string>;
      endpoints: string[];
    };
    const document = (await app.inject({ method: 'GET', url: '/openapi.json' })).json() as {
      paths: Record<string, Record<string, unknown>>;
    };
    const documented = Object.entries(document.paths).flatMap(([path, operations]) =>
      Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(index.endpoints.sort()).toEqual(documented.sort());
    for (const link of Object.values(index.links)) {
      const response = await app.inject({ method: 'GET', url: link });
      expect(response.statusCode, link).toBeLessThan(400);
    }
  });

  it.each(['/', '/v1'])('%s sends browsers to the reference at /docs', async (url) => {
    const app = await sample();
    const response = await app.inject({
      method: 'GET',
      url,
      headers: { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' },
    });
    expect(response.statusCode).toBe(302);
    expect(response.headers.location).toBe('/docs');
  });

  it('names the API it indexes (the chat server has its own title)', async () => {
    const app = await sample({ title: 'AirSuite Chat API', version: '2.0.0' });
    expect((await app.inject({ method: 'GET', url: '/v1' })).json()).toMatchObject({
      name: 'AirSuite Chat API',
      version: '2.0.0',
    });
  });

  it('leaves / to whoever owns it when indexUrls says so', async () => {
    const app = await sample({ indexUrls: ['/v1'] });
    const response = await app.inject({ method: 'GET', url: '/' });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ code: 'NOT_FOUND' });
    expect((await app.inject({ method: 'GET', url: '/v1' })).statusCode).toBe(200);
  });
});
