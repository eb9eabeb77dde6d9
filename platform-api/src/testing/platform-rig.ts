import { randomBytes } from 'node:crypto';
import { createEmulator, type RunningEmulator } from '@airsuite/airtable-emulator';
import { createGatewayEngine, type GatewayEngine } from '@airsuite/airtable-gateway';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll } from 'vitest';
import { openTestDatabase, type TestDatabase } from '../db/test-database.ts';
import { createPlatform, type Platform, type PlatformOptions } from '../platform.ts';
import { buildPlatformApp } from '../server.ts';

export const SAMPLE_CRM = 'appJRG6RjcS0ZVuqz';
export const SAMPLE_ROADMAP = 'appnasRgpDkkrIM6c';
/** Meets the password policy; every rig user shares it. */
export const PASSWORD = 'correct horse battery staple';

export interface RigUser {
  id: string;
  email: string;
  accessToken: string;
  refreshToken: string;
  auth: { authorization: string };
}

export interface PlatformRig {
  app(): FastifyInstance;
  platform(): Platform;
  db(): TestDatabase['db'];
  emulator(): RunningEmulator;
  /** The emulator's token (valid for a connection). */
  airtableToken(): string;
  /** Registers and signs in a new user with a unique email. */
  user(label?: string): Promise<RigUser>;
  /** A workspace owned by `owner`, optionally with a connection to the emulator. */
  workspace(owner: RigUser, options?: { connect?: boolean; bases?: string[] }): Promise<string>;
  /** Adds `member` to the workspace with `role` (as `owner`). */
  addMember(owner: RigUser, workspaceId: string, member: RigUser, role: string): Promise<void>;
  apiKey(
    owner: RigUser,
    workspaceId: string,
    role: string,
  ): Promise<{ id: string; key: string; auth: { authorization: string } }>;
  call(
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    url: string,
    options?: { auth?: { authorization: string }; body?: unknown; headers?: Record<string, string> },
  ): Promise<LightMyRequestResponse>;
}

/** What a rig starts, filled in as it starts, so a failed start still closes what did start. */
interface RigParts {
  database?: TestDatabase;
  emulator?: RunningEmulator;
  engine?: GatewayEngine;
  platform?: Platform;
  app?: FastifyInstance;
}

async function startRig(
  parts: RigParts,
  token: string,
  options: Partial<Omit<PlatformOptions, 'db' | 'engine' | 'secretKey'>>,
): Promise<void> {
  const database = await openTestDatabase();
  parts.database = database;
  const emulator = await createEmulator({
    port: 0,
    seed: 'sample',
    tokens: [token],
    rateLimits: { enabled: true, perBase: 50, perOwner: 200, penaltyMs: 2000 },
  });
  parts.emulator = emulator;
  const engine = await createGatewayEngine({
    upstreamUrl: emulator.url,
    perBaseLimit: 50,
    perOwnerLimit: 200,
  });
  parts.engine = engine;
  const platform = await createPlatform({ db: database.db, engine, secretKey: randomBytes(32), ...options });
  parts.platform = platform;
  parts.app = await buildPlatformApp({ platform });
}

async function stopRig(parts: RigParts): Promise<void> {
  await parts.app?.close();
  await parts.platform?.close();
  await parts.engine?.close();
  await parts.emulator?.close();
  await parts.database?.close();
}

type Call = PlatformRig['call'];

async function signUp(call: Call, email: string): Promise<RigUser> {
  const registered = await call('POST', '/v1/auth/register', { body: { email, password: PASSWORD } });
  if (registered.statusCode !== 201) throw new Error(`register failed: ${registered.body}`);
  const login = await call('POST', '/v1/auth/login', { body: { email, password: PASSWORD } });
  if (login.statusCode !== 200) throw new Error(`login failed: ${login.body}`);
  const tokens = login.json() as { access_token: string; refresh_token: string };
  return {
    id: (registered.json() as { id: string }).id,
    email,
    accessToken: tokens.access_token,
    refreshToken: tokens.refresh_token,
    auth: { authorization: `Bearer ${tokens.access_token}` },
  };
}

async function createWorkspaceFor(
  call: Call,
  token: string,
  owner: RigUser,
  wsOptions: { connect?: boolean; bases?: string[] },
): Promise<string> {
  const created = await call('POST', '/v1/workspaces', {
    auth: owner.auth,
    body: { name: 'Team space' },
  });
  if (created.statusCode !== 201) throw new Error(`workspace failed: ${created.body}`);
  const id = (created.json() as { id: string }).id;
  if (wsOptions.connect) {
    const connected = await call('POST', `/v1/workspaces/${id}/connections`, {
      auth: owner.auth,
      body: { name: 'Emulator', token, ...(wsOptions.bases ? { bases: wsOptions.bases } : {}) },
    });
    if (connected.statusCode !== 201) throw new Error(`connection failed: ${connected.body}`);
  }
  return id;
}

async function addMemberAs(
  call: Call,
  owner: RigUser,
  workspaceId: string,
  member: RigUser,
  role: string,
): Promise<void> {
  const added = await call('POST', `/v1/workspaces/${workspaceId}/members`, {
    auth: owner.auth,
    body: { email: member.email, role },
  });
  if (added.statusCode !== 201) throw new Error(`add member failed: ${added.body}`);
}

async function createApiKeyAs(
  call: Call,
  owner: RigUser,
  workspaceId: string,
  role: string,
): ReturnType<PlatformRig['apiKey']> {
  const created = await call('POST', `/v1/workspaces/${workspaceId}/api-keys`, {
    auth: owner.auth,
    body: { name: `${role} key`, role },
  });
  if (created.statusCode !== 201) throw new Error(`api key failed: ${created.body}`);
  const body = created.json() as { id: string; key: string };
  return { id: body.id, key: body.key, auth: { authorization: `Bearer ${body.key}` } };
}

const ready = <T>(value: T | undefined): T => {
  if (value === undefined) throw new Error('usePlatformRig: used outside a test');
  return value;
};

/**
 * Everything a platform spec needs, started once per file: a fresh migrated database (real
 * PostgreSQL when DATABASE_URL is set), the sample emulator behind a gateway engine, the
 * platform services and the Fastify app (tested through `inject()`).
 */
export function usePlatformRig(
  options: Partial<Omit<PlatformOptions, 'db' | 'engine' | 'secretKey'>> = {},
): PlatformRig {
  const parts: RigParts = {};
  const token = `pat${randomBytes(12).toString('hex')}.${randomBytes(16).toString('hex')}`;
  let counter = 0;

  beforeAll(() => startRig(parts, token, options), 60_000);
  afterAll(() => stopRig(parts));

  const call: Call = (method, url, opts = {}) =>
    ready(parts.app).inject({
      method,
      url,
      headers: { ...(opts.auth ?? {}), ...(opts.headers ?? {}) },
      ...(opts.body !== undefined ? { payload: opts.body as object } : {}),
    });
  return {
    app: () => ready(parts.app),
    platform: () => ready(parts.platform),
    db: () => ready(parts.database).db,
    emulator: () => ready(parts.emulator),
    airtableToken: () => token,
    call,
    user(label = 'user') {
      counter += 1;
      return signUp(call, `${label}-${counter}-${randomBytes(3).toString('hex')}@example.com`);
    },
    workspace: (owner, wsOptions = {}) => createWorkspaceFor(call, token, owner, wsOptions),
    addMember: (owner, workspaceId, member, role) => addMemberAs(call, owner, workspaceId, member, role),
    apiKey: (owner, workspaceId, role) => createApiKeyAs(call, owner, workspaceId, role),
  };
}
export { openTestDatabase, type TestDatabase } from '../db/test-database.ts';
export { constantAnswer, WAT, wasmOf } from '../plugins/testing/wat-fixtures.ts';
export { type CuttableLink, startCuttableLink } from './cuttable-link.ts';
export {
  callRest,
  createApiKey,
  createWorkspace,
  type RestAnswer,
  type RestUser,
  signUp,
} from './rest-client.ts';
export { type RestStream, type StreamReport, type StreamSample, startRestStream } from './rest-stream.ts';
export { createScratchDatabase, type ScratchDatabase } from './scratch-database.ts';
