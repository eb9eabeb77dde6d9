import { randomBytes } from 'node:crypto';
import { createGatewayEngine, type GatewayEngine } from '@airsuite/airtable-gateway';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase } from './db/test-database.ts';
import { createPlatform, DEFAULT_AUDIENCE, DEFAULT_ISSUER, type Platform } from './platform.ts';
import { buildPlatformApp } from './server.ts';
import { PASSWORD, type RigUser, usePlatformRig } from './testing/platform-rig.ts';

/**
 * Every way of presenting a credential that is not (or no longer) good is refused at the
 * HTTP edge with a 401 problem and a stable code, and nothing about it reaches a handler.
 */

/** The platform's clock; tests only ever move it forward. */
let clock = Date.now();
const TTL_SECONDS = 30;
const rig = usePlatformRig({ now: () => new Date(clock), accessTokenTtlSeconds: TTL_SECONDS });

let owner: RigUser;

beforeAll(async () => {
  owner = await rig.user('owner');
}, 60_000);

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
const decode = (part: string) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));

function expectUnauthorized(response: LightMyRequestResponse, code: string): void {
  expect(response.statusCode, response.body).toBe(401);
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(response.json().code).toBe(code);
}

const me = (auth: { authorization: string }) => rig.call('GET', '/v1/me', { auth });

async function currentKid(): Promise<string> {
  const jwks = await rig.call('GET', '/.well-known/jwks.json');
  const [key] = jwks.json().keys;
  return key.kid;
}

/** Claims shaped exactly like the platform's own, for the owner's session. */
function claimsLike(token: string) {
  const [header, payload] = token.split('.') as [string, string];
  return { header: decode(header), payload: decode(payload) };
}

describe('access tokens', () => {
  it('accepts the real one (the baseline)', async () => {
    expect((await me(owner.auth)).statusCode).toBe(200);
  });

  it('refuses a token signed by another key under our kid', async () => {
    const kid = await currentKid();
    const { payload } = claimsLike(owner.accessToken);
    const { privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
    const forged = await new SignJWT(payload)
      .setProtectedHeader({ alg: 'EdDSA', kid, typ: 'at+jwt' })
      .sign(privateKey);
    expectUnauthorized(await me(bearer(forged)), 'AUTH_INVALID_TOKEN');
  });

  it('refuses alg: none', async () => {
    const { header, payload } = claimsLike(owner.accessToken);
    for (const alg of ['none', 'None', 'NONE']) {
      const unsigned = `${b64({ ...header, alg })}.${b64(payload)}.`;
      expectUnauthorized(await me(bearer(unsigned)), 'AUTH_INVALID_TOKEN');
      // With the real signature left on, too.
      const [, , signature] = owner.accessToken.split('.');
      expectUnauthorized(
        await me(bearer(`${b64({ ...header, alg })}.${b64(payload)}.${signature}`)),
        'AUTH_INVALID_TOKEN',
      );
    }
  });

  it('refuses an HMAC token keyed with the public key (algorithm confusion)', async () => {
    const jwks = (await rig.call('GET', '/.well-known/jwks.json')).json();
    const { header, payload } = claimsLike(owner.accessToken);
    const secret = new TextEncoder().encode(JSON.stringify(jwks.keys[0]));
    const hs = await new SignJWT(payload).setProtectedHeader({ ...header, alg: 'HS256' }).sign(secret);
    expectUnauthorized(await me(bearer(hs)), 'AUTH_INVALID_TOKEN');
  });

  it('refuses a tampered payload that keeps the signature', async () => {
    const other = await rig.user('other');
    const [header, payload, signature] = owner.accessToken.split('.') as [string, string, string];
    const claims = decode(payload);
    for (const changed of [
      { ...claims, sub: other.id },
      { ...claims, exp: claims.exp + 3600 },
      { ...claims, aud: 'other' },
    ]) {
      expectUnauthorized(await me(bearer(`${header}.${b64(changed)}.${signature}`)), 'AUTH_INVALID_TOKEN');
    }
    // A flipped bit in the signature.
    const last = signature.at(-2) === 'A' ? 'B' : 'A';
    expectUnauthorized(
      await me(bearer(`${header}.${payload}.${signature.slice(0, -2)}${last}${signature.at(-1)}`)),
      'AUTH_INVALID_TOKEN',
    );
    // And the owner's real token still works afterwards.
    expect((await me(owner.auth)).statusCode).toBe(200);
  });

  it('refuses a token whose kid is unknown or missing', async () => {
    const [, payload, signature] = owner.accessToken.split('.') as [string, string, string];
    const { header } = claimsLike(owner.accessToken);
    for (const changed of [
      { ...header, kid: 'nope' },
      { ...header, kid: undefined },
      { ...header, kid: 42 },
    ]) {
      expectUnauthorized(await me(bearer(`${b64(changed)}.${payload}.${signature}`)), 'AUTH_INVALID_TOKEN');
    }
  });

  it.each([
    ['garbage', 'garbage'],
    ['three empty parts', '..'],
    ['three junk parts', 'a.b.c'],
    ['non-JSON base64 parts', `${Buffer.from('{').toString('base64url')}.e30.x`],
    ['a huge token', `${'a'.repeat(5000)}.${'b'.repeat(5000)}.c`],
    ['unicode', 'ünïcödé.tökën.✓'],
  ])('refuses %s', async (_label, token) => {
    expectUnauthorized(await me(bearer(token)), 'AUTH_INVALID_TOKEN');
  });

  it.each([
    ['no header', undefined],
    ['an empty header', ''],
    ['"Bearer" alone', 'Bearer'],
    ['"Bearer " with blanks', 'Bearer    '],
    ['another scheme', `Basic ${Buffer.from('a:b').toString('base64')}`],
  ])('asks for credentials with %s', async (_label, header) => {
    const response = await rig.call('GET', '/v1/me', {
      ...(header !== undefined ? { headers: { authorization: header } } : {}),
    });
    expectUnauthorized(response, 'AUTH_REQUIRED');
  });

  it('refuses a refresh token used as a bearer', async () => {
    expectUnauthorized(await me(bearer(owner.refreshToken)), 'AUTH_INVALID_TOKEN');
  });

  it('refuses a token that expired, and accepts a fresh one at the same moment', async () => {
    const user = await rig.user('expiring');
    expect((await me(user.auth)).statusCode).toBe(200);
    clock += (TTL_SECONDS - 1) * 1000;
    expect((await me(user.auth)).statusCode).toBe(200);
    clock += 2000;
    expectUnauthorized(await me(user.auth), 'AUTH_TOKEN_EXPIRED');
    const refreshed = await rig.call('POST', '/v1/auth/refresh', {
      body: { refresh_token: user.refreshToken },
    });
    expect(refreshed.statusCode).toBe(200);
    expect((await me(bearer(refreshed.json().access_token))).statusCode).toBe(200);
    expect(refreshed.json().expires_in).toBe(TTL_SECONDS);
  });
});

describe('tokens of another deployment', () => {
  let database: TestDatabase;
  let engine: GatewayEngine;
  const platforms: Platform[] = [];
  const apps: FastifyInstance[] = [];

  afterAll(async () => {
    for (const app of apps) await app.close();
    for (const platform of platforms) await platform.close();
    await engine?.close();
    await database?.close();
  });

  async function deployment(options: { audience?: string; issuer?: string }, secretKey: Buffer) {
    const platform = await createPlatform({ db: database.db, engine, secretKey, ...options });
    platforms.push(platform);
    const app = await buildPlatformApp({ platform });
    apps.push(app);
    return app;
  }

  async function signIn(app: FastifyInstance, email: string): Promise<string> {
    await app.inject({ method: 'POST', url: '/v1/auth/register', payload: { email, password: PASSWORD } });
    const login = await app.inject({
      method: 'POST',
      url: '/v1/auth/login',
      payload: { email, password: PASSWORD },
    });
    expect(login.statusCode).toBe(200);
    return login.json().access_token;
  }

  it('refuses a token from a separate deployment (other database, other keys, other audience)', async () => {
    database = await openTestDatabase();
    engine = await createGatewayEngine({ upstreamUrl: rig.emulator().url });
    const foreign = await deployment({ audience: 'other' }, randomBytes(32));
    const token = await signIn(foreign, `foreign-${randomBytes(3).toString('hex')}@example.com`);
    expectUnauthorized(await me(bearer(token)), 'AUTH_INVALID_TOKEN');
  });

  it('refuses a correctly signed token for another audience or issuer (same keys)', async () => {
    // Two more deployments on that database and secret key: they share the signing key ring,
    // so only the audience (or issuer) tells their tokens apart.
    const secretKey = randomBytes(32);
    const fresh = await openTestDatabase();
    const previous = database;
    database = fresh;
    const ours = await deployment({}, secretKey);
    const otherAudience = await deployment({ audience: 'other' }, secretKey);
    const otherIssuer = await deployment({ issuer: 'someone-else' }, secretKey);
    const email = `shared-${randomBytes(3).toString('hex')}@example.com`;
    const token = await signIn(ours, email);
    const { header, payload } = claimsLike(token);
    expect(payload).toMatchObject({ aud: DEFAULT_AUDIENCE, iss: DEFAULT_ISSUER });
    const ask = (app: FastifyInstance) =>
      app.inject({ method: 'GET', url: '/v1/me', headers: bearer(token) });
    expect((await ask(ours)).statusCode).toBe(200);
    expect(header.kid).toBe(claimsLike(await signIn(otherAudience, `x-${email}`)).header.kid);
    expectUnauthorized(await ask(otherAudience), 'AUTH_INVALID_TOKEN');
    expectUnauthorized(await ask(otherIssuer), 'AUTH_INVALID_TOKEN');
    for (const app of apps.splice(0)) await app.close();
    for (const platform of platforms.splice(0)) await platform.close();
    await fresh.close();
    database = previous;
  });
});

describe('API keys', () => {
  // Access tokens live 30 s on this clock and earlier tests moved it: a fresh owner here.
  let keyOwner: RigUser;
  let space: string;
  beforeAll(async () => {
    keyOwner = await rig.user('key-owner');
    space = await rig.workspace(keyOwner);
  });

  it('refuses a key with one character changed', async () => {
    const { key, auth } = await rig.apiKey(keyOwner, space, 'viewer');
    expect((await me(auth)).statusCode).toBe(200);
    const flip = (c: string) => (c === 'a' ? 'b' : 'a');
    const secretAt = key.length - 5;
    const idAt = 'ask_live_'.length + 3;
    for (const at of [secretAt, idAt, key.length - 1]) {
      const changed = `${key.slice(0, at)}${flip(key[at]!)}${key.slice(at + 1)}`;
      expectUnauthorized(await me(bearer(changed)), 'AUTH_INVALID_TOKEN');
    }
    expectUnauthorized(await me(bearer(key.slice(0, -1))), 'AUTH_INVALID_TOKEN');
    expectUnauthorized(await me(bearer(`${key}x`)), 'AUTH_INVALID_TOKEN');
    expectUnauthorized(await me(bearer(key.replace('ask_live_', 'ask_test_'))), 'AUTH_INVALID_TOKEN');
    expect((await me(auth)).statusCode).toBe(200);
  });

  it('stops a revoked key on the very next request', async () => {
    const { id, auth } = await rig.apiKey(keyOwner, space, 'editor');
    // Used twice first, so it is cached.
    expect((await me(auth)).statusCode).toBe(200);
    expect((await rig.call('GET', `/v1/workspaces/${space}`, { auth })).statusCode).toBe(200);
    const revoked = await rig.call('DELETE', `/v1/workspaces/${space}/api-keys/${id}`, {
      auth: keyOwner.auth,
    });
    expect(revoked.statusCode).toBe(204);
    expectUnauthorized(await rig.call('GET', `/v1/workspaces/${space}`, { auth }), 'AUTH_API_KEY_REVOKED');
    expectUnauthorized(await me(auth), 'AUTH_API_KEY_REVOKED');
  });

  it("stops a deleted workspace's keys on the very next request", async () => {
    const doomed = await rig.workspace(keyOwner);
    const { auth } = await rig.apiKey(keyOwner, doomed, 'admin');
    // Used first, so it is cached.
    expect((await me(auth)).statusCode).toBe(200);
    const deleted = await rig.call('DELETE', `/v1/workspaces/${doomed}`, { auth: keyOwner.auth });
    expect(deleted.statusCode).toBe(204);
    expectUnauthorized(await me(auth), 'AUTH_INVALID_TOKEN');
    expectUnauthorized(await rig.call('GET', `/v1/workspaces/${doomed}`, { auth }), 'AUTH_INVALID_TOKEN');
  });

  it('refuses an expired key with AUTH_TOKEN_EXPIRED', async () => {
    const created = await rig.call('POST', `/v1/workspaces/${space}/api-keys`, {
      auth: keyOwner.auth,
      body: { name: 'Short', role: 'viewer', expires_at: new Date(clock + 60_000).toISOString() },
    });
    expect(created.statusCode).toBe(201);
    const auth = bearer(created.json().key);
    expect((await me(auth)).statusCode).toBe(200);
    clock += 61_000;
    expectUnauthorized(await me(auth), 'AUTH_TOKEN_EXPIRED');
  });
});

describe('membership', () => {
  it("a removed member's still-valid token no longer reaches the workspace", async () => {
    // The owner's token expired when the clock moved; sign in afresh.
    const boss = await rig.user('boss');
    const space = await rig.workspace(boss);
    const member = await rig.user('member');
    await rig.addMember(boss, space, member, 'editor');
    expect((await rig.call('GET', `/v1/workspaces/${space}`, { auth: member.auth })).statusCode).toBe(200);
    const removed = await rig.call('DELETE', `/v1/workspaces/${space}/members/${member.id}`, {
      auth: boss.auth,
    });
    expect(removed.statusCode).toBe(204);
    for (const [method, url] of [
      ['GET', `/v1/workspaces/${space}`],
      ['GET', `/v1/workspaces/${space}/members`],
      ['GET', `/v1/workspaces/${space}/tools`],
      ['POST', `/v1/workspaces/${space}/tools/whoami`],
    ] as const) {
      const response = await rig.call(method, url, {
        auth: member.auth,
        ...(method === 'POST' ? { body: {} } : {}),
      });
      expect(response.statusCode, `${method} ${url}`).toBe(404);
      expect(response.json().code).toBe('WORKSPACE_NOT_FOUND');
    }
    // The token itself is still good elsewhere.
    expect((await me(member.auth)).statusCode).toBe(200);
  });
});
