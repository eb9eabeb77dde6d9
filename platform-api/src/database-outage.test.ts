import { randomBytes } from 'node:crypto';
import { createGatewayEngine, type GatewayEngine } from '@airsuite/airtable-gateway';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from './db/database.ts';
import { createIsolatedSchema, type IsolatedSchema } from './db/isolated-schema.ts';
import { migrate } from './db/migrate.ts';
import { openPostgresDatabase } from './db/pg-database.ts';
import { createPlatform, type Platform } from './platform.ts';
import { buildPlatformApp, listenHttpApp, type RunningHttpServer } from './server.ts';
import { type CuttableLink, startCuttableLink } from './testing/cuttable-link.ts';
import { usePlatformRig } from './testing/platform-rig.ts';
import {
  callRest,
  createApiKey,
  createWorkspace,
  type RestAnswer,
  type RestUser,
  signUp,
} from './testing/rest-client.ts';

/**
 * PostgreSQL out of reach of one process for a while (its connections reset, new ones
 * refused), while another process on the same database goes on: the first answers 503 with a
 * code and Retry-After, says so on /healthz, recovers by itself, and what the other process
 * revoked or removed in the meantime (a NOTIFY it could not hear) holds on its next request.
 */

const serverUrl = process.env.DATABASE_URL;

async function until<T>(probe: () => Promise<T>, done: (value: T) => boolean, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe.skipIf(!serverUrl)('a platform process that loses PostgreSQL for a while', () => {
  const secretKey = randomBytes(32);
  let schema: IsolatedSchema;
  let link: CuttableLink;
  let engine: GatewayEngine;
  const databases: Database[] = [];
  const platforms: Platform[] = [];
  let server: RunningHttpServer;
  /** The other process, reaching the database directly. */
  let other: Platform;

  async function platformOver(url: string): Promise<Platform> {
    const db = await openPostgresDatabase({ connectionString: url, max: 4, connectionTimeoutMillis: 1_000 });
    databases.push(db);
    await migrate(db);
    const platform = await createPlatform({ db, engine, secretKey });
    platforms.push(platform);
    return platform;
  }

  beforeAll(async () => {
    schema = await createIsolatedSchema(serverUrl ?? '', 'outage');
    link = await startCuttableLink(schema.url);
    engine = await createGatewayEngine({ upstreamUrl: 'http://127.0.0.1:9' });
    other = await platformOver(schema.url);
    server = await listenHttpApp(
      await buildPlatformApp({ platform: await platformOver(link.url) }),
      '127.0.0.1',
      0,
    );
  }, 60_000);
  afterAll(async () => {
    server?.app.server.closeAllConnections();
    await server?.close();
    for (const platform of platforms) await platform.close();
    for (const db of databases) await db.close();
    await engine?.close();
    await link?.close();
    await schema?.drop();
  });

  const me = (bearer: string) => callRest(server.url, 'GET', '/v1/me', { bearer });
  const health = () => callRest(server.url, 'GET', '/healthz');

  it('answers 503 DATABASE_UNAVAILABLE meanwhile, heals by itself, and forgets what it could not hear', async () => {
    const owner = await signUp(server.url, 'owner');
    const member: RestUser = await signUp(server.url, 'member');
    const workspaceId = await createWorkspace(server.url, owner);
    const added = await callRest(server.url, 'POST', `/v1/workspaces/${workspaceId}/members`, {
      bearer: owner.accessToken,
      body: { email: member.email, role: 'editor' },
    });
    expect(added.status).toBe(201);
    const key = await createApiKey(server.url, owner, workspaceId);
    const workspaceOfMember = () =>
      callRest(server.url, 'GET', `/v1/workspaces/${workspaceId}`, { bearer: member.accessToken });
    // Both answers are now cached in this process.
    expect((await me(key.key)).status).toBe(200);
    expect((await workspaceOfMember()).status).toBe(200);
    expect(await health()).toMatchObject({ status: 200, body: { status: 'ok', database: 'ok' } });

    await link.cut();
    const refused = await until(
      () => me(key.key),
      (answer) => answer.status !== 200,
    );
    expect(refused.status).toBe(503);
    expect(refused.code).toBe('DATABASE_UNAVAILABLE');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await workspaceOfMember()).code).toBe('DATABASE_UNAVAILABLE');
    expect(await health()).toMatchObject({
      status: 503,
      body: { status: 'unavailable', database: 'unreachable', code: 'DATABASE_UNAVAILABLE' },
    });

    // The other process revokes the key and removes the member: NOTIFYs this one cannot hear.
    const ownerThere = await other.authenticate(owner.accessToken);
    const access = await other.workspaces.access(ownerThere, workspaceId);
    await other.apiKeys.revoke(access, key.id);
    await other.members.remove(access, member.id);

    await link.restore();
    const healed = await until(health, (answer: RestAnswer) => answer.status === 200);
    expect(healed.body).toEqual({ status: 'ok', database: 'ok' });
    expect((await me(key.key)).code).toBe('AUTH_API_KEY_REVOKED');
    expect((await workspaceOfMember()).code).toBe('WORKSPACE_NOT_FOUND');
    expect((await me(owner.accessToken)).status).toBe(200);
  });
});

describe('/healthz of the platform', () => {
  const rig = usePlatformRig();

  it('reports the database (embedded or PostgreSQL) as ok when it answers', async () => {
    const answer = await rig.app().inject({ method: 'GET', url: '/healthz' });
    expect(answer.statusCode).toBe(200);
    expect(answer.json()).toEqual({ status: 'ok', database: 'ok' });
  });
});
