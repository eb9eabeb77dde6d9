import { randomBytes } from 'node:crypto';
import { createGatewayEngine, type GatewayEngine } from '@airsuite/airtable-gateway';
import {
  buildPlatformApp,
  createIsolatedSchema,
  createPlatform,
  type Database,
  type IsolatedSchema,
  listenHttpApp,
  openDatabase,
  type Platform,
  type RunningHttpServer,
} from '@airsuite/platform-api';
import {
  type CuttableLink,
  createApiKey,
  createWorkspace,
  signUp,
  startCuttableLink,
} from '@airsuite/platform-api/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningMcpHttpServer, startMcpHttpServer } from './http-server.ts';
import { createPlatformAuthenticator } from './platform-authenticator.ts';

/**
 * MCP over HTTP while the platform's PostgreSQL cannot be reached: the credentials cannot be
 * checked, which is neither the client's fault (401) nor a crash (500): 503 with the code
 * DATABASE_UNAVAILABLE and Retry-After, and service again once the database is back.
 */

const serverUrl = process.env.DATABASE_URL;

const initialize = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
};

describe.skipIf(!serverUrl)('MCP over HTTP while PostgreSQL cannot be reached', () => {
  let schema: IsolatedSchema;
  let link: CuttableLink;
  let engine: GatewayEngine;
  let db: Database;
  let platform: Platform;
  let rest: RunningHttpServer;
  let mcp: RunningMcpHttpServer;

  beforeAll(async () => {
    schema = await createIsolatedSchema(serverUrl ?? '', 'mcp_outage');
    link = await startCuttableLink(schema.url);
    engine = await createGatewayEngine({ upstreamUrl: 'http://127.0.0.1:9' });
    db = await openDatabase({ databaseUrl: link.url, dataDir: '.' });
    platform = await createPlatform({ db, engine, secretKey: randomBytes(32) });
    rest = await listenHttpApp(await buildPlatformApp({ platform }), '127.0.0.1', 0);
    mcp = await startMcpHttpServer({ authenticate: createPlatformAuthenticator(platform), port: 0 });
  }, 60_000);
  afterAll(async () => {
    await mcp?.close();
    rest?.app.server.closeAllConnections();
    await rest?.close();
    await platform?.close();
    await db?.close();
    await engine?.close();
    await link?.close();
    await schema?.drop();
  });

  it('answers 503 DATABASE_UNAVAILABLE with Retry-After, then serves the same key again', async () => {
    const owner = await signUp(rest.url, 'owner');
    const key = await createApiKey(rest.url, owner, await createWorkspace(rest.url, owner));
    const post = () =>
      fetch(mcp.url, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${key.key}`,
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
        },
        body: JSON.stringify(initialize),
      });
    expect((await post()).status).toBe(200);

    await link.cut();
    // The cut takes a moment to be noticed; until then a cached credential may still answer.
    let refused = await post();
    for (let i = 0; i < 200 && refused.status === 200; i++) {
      await new Promise((r) => setTimeout(r, 25));
      refused = await post();
    }
    expect(refused.status).toBe(503);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    const body = (await refused.json()) as { error: { data?: { code?: string } } };
    expect(body.error.data?.code).toBe('DATABASE_UNAVAILABLE');

    await link.restore();
    let back = await post();
    for (let i = 0; i < 400 && back.status !== 200; i++) {
      await new Promise((r) => setTimeout(r, 25));
      back = await post();
    }
    expect(back.status).toBe(200);
  });
});
