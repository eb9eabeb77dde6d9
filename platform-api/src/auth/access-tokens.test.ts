import { randomBytes } from 'node:crypto';
import { base64url, decodeProtectedHeader, exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSecretBox } from '../crypto/secret-box.ts';
import { openTestDatabase, type TestDatabase } from '../db/test-database.ts';
import { PlatformError } from '../errors.ts';
import { type AccessTokens, createAccessTokens } from './access-tokens.ts';
import { createSigningKeyRing, type SigningKeyRing } from './signing-keys.ts';

const ISSUER = 'https://airsuite.test';
const AUDIENCE = 'airsuite-api';
const subject = { userId: 'usr_0123456789abcdef', sessionId: 'ses_0123456789abcdef' };

let testDb: TestDatabase;
let keyRing: SigningKeyRing;
let t = Date.UTC(2025, 0, 1);
const now = () => new Date(t);
let tokens: AccessTokens;

beforeAll(async () => {
  testDb = await openTestDatabase();
  keyRing = createSigningKeyRing({ db: testDb.db, secretBox: createSecretBox(randomBytes(32)), now });
  tokens = createAccessTokens({ keyRing, issuer: ISSUER, audience: AUDIENCE, now });
});
afterAll(() => testDb?.close());

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(PlatformError);
    expect((error as PlatformError).status).toBe(401);
    return (error as PlatformError).code;
  }
  throw new Error('expected the token to be refused');
}

/** Signs `claims` with the ring's real current key, with header overrides. */
async function signWithRing(claims: Record<string, unknown>, header: Record<string, unknown> = {}) {
  const { kid, privateKey } = await keyRing.current();
  const iat = Math.floor(t / 1000);
  return new SignJWT({ sid: subject.sessionId, jti: 'jti-1', ...claims })
    .setProtectedHeader({ alg: 'EdDSA', kid, typ: 'at+jwt', ...header })
    .setSubject(subject.userId)
    .setIssuedAt(iat)
    .setExpirationTime(iat + 900)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .sign(privateKey);
}

const encode = (value: unknown) => base64url.encode(JSON.stringify(value));

describe('access tokens', () => {
  it('issues an EdDSA at+jwt that verifies back to its claims', async () => {
    const { token, expiresIn } = await tokens.issue(subject);
    expect(expiresIn).toBe(900);
    const header = decodeProtectedHeader(token);
    expect(header).toEqual({ alg: 'EdDSA', kid: (await keyRing.current()).kid, typ: 'at+jwt' });
    const claims = await tokens.verify(token);
    expect(claims).toMatchObject(subject);
    expect(claims.jti).toMatch(/^[\w-]{22}$/);
    expect(claims.expiresAt.getTime()).toBe(Math.floor(t / 1000) * 1000 + 900_000);
  });

  it('reports an expired token as AUTH_TOKEN_EXPIRED, cached or not', async () => {
    const { token } = await tokens.issue(subject);
    await tokens.verify(token); // now cached
    const { token: uncached } = await tokens.issue({ ...subject, sessionId: 'ses_other' });
    t += 899_000;
    await expect(tokens.verify(token)).resolves.toMatchObject(subject);
    t += 1_000;
    expect(await codeOf(tokens.verify(token))).toBe('AUTH_TOKEN_EXPIRED');
    expect(await codeOf(tokens.verify(uncached))).toBe('AUTH_TOKEN_EXPIRED');
  });

  it('refuses a token signed by a key outside the ring, even with a known kid', async () => {
    const { kid } = await keyRing.current();
    const impostor = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
    const iat = Math.floor(t / 1000);
    const forged = await new SignJWT({ sid: subject.sessionId, jti: 'x' })
      .setProtectedHeader({ alg: 'EdDSA', kid, typ: 'at+jwt' })
      .setSubject(subject.userId)
      .setIssuedAt(iat)
      .setExpirationTime(iat + 900)
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .sign(impostor.privateKey);
    expect(await codeOf(tokens.verify(forged))).toBe('AUTH_INVALID_TOKEN');

    // Nor does embedding the impostor's public key (jwk header) or pointing at it (jku) help.
    const embedded = await new SignJWT({ sid: subject.sessionId, jti: 'x' })
      .setProtectedHeader({
        alg: 'EdDSA',
        typ: 'at+jwt',
        jwk: await exportJWK(impostor.publicKey),
        jku: 'https://evil.test/jwks.json',
      })
      .setSubject(subject.userId)
      .setIssuedAt(iat)
      .setExpirationTime(iat + 900)
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .sign(impostor.privateKey);
    expect(await codeOf(tokens.verify(embedded))).toBe('AUTH_INVALID_TOKEN');
  });

  it('refuses a hand-built alg:none token', async () => {
    const { kid } = await keyRing.current();
    const iat = Math.floor(t / 1000);
    const payload = {
      ...subject,
      sub: subject.userId,
      sid: subject.sessionId,
      jti: 'x',
      iat,
      exp: iat + 900,
    };
    const unsigned = `${encode({ alg: 'none', kid, typ: 'at+jwt' })}.${encode({ ...payload, iss: ISSUER, aud: AUDIENCE })}.`;
    expect(await codeOf(tokens.verify(unsigned))).toBe('AUTH_INVALID_TOKEN');
  });

  it('refuses the wrong audience, issuer or type', async () => {
    const elsewhere = createAccessTokens({ keyRing, issuer: ISSUER, audience: 'another-api', now });
    expect(await codeOf(tokens.verify((await elsewhere.issue(subject)).token))).toBe('AUTH_INVALID_TOKEN');
    const otherIssuer = createAccessTokens({ keyRing, issuer: 'https://evil.test', audience: AUDIENCE, now });
    expect(await codeOf(tokens.verify((await otherIssuer.issue(subject)).token))).toBe('AUTH_INVALID_TOKEN');
    expect(await codeOf(tokens.verify(await signWithRing({}, { typ: 'JWT' })))).toBe('AUTH_INVALID_TOKEN');
    // The same token with the right type does verify: the refusals above are about the claim.
    await expect(tokens.verify(await signWithRing({}))).resolves.toMatchObject(subject);
  });

  it('refuses tokens missing a claim it needs', async () => {
    expect(await codeOf(tokens.verify(await signWithRing({ sid: undefined })))).toBe('AUTH_INVALID_TOKEN');
    expect(await codeOf(tokens.verify(await signWithRing({ sid: 42 })))).toBe('AUTH_INVALID_TOKEN');
  });

  it('refuses a tampered payload', async () => {
    const { token } = await tokens.issue(subject);
    const [header, payload, signature] = token.split('.');
    const claims = JSON.parse(new TextDecoder().decode(base64url.decode(payload!)));
    const tampered = `${header}.${encode({ ...claims, sub: 'usr_admin000000000000' })}.${signature}`;
    expect(await codeOf(tokens.verify(tampered))).toBe('AUTH_INVALID_TOKEN');
  });

  it('refuses garbage with a generic message', async () => {
    for (const garbage of ['', 'abc', 'a.b.c', 'ask_live_x', `${'x'.repeat(5000)}`, '...', 'eyJ.eyJ.']) {
      const error = await tokens.verify(garbage).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(PlatformError);
      expect(error).toMatchObject({ code: 'AUTH_INVALID_TOKEN', message: 'the access token is not valid' });
    }
  });

  it('refuses an unknown kid', async () => {
    expect(await codeOf(tokens.verify(await signWithRing({}, { kid: 'sk_00000000000000000' })))).toBe(
      'AUTH_INVALID_TOKEN',
    );
  });

  it('verifies a token once, then answers from the cache', async () => {
    let lookups = 0;
    const counting: SigningKeyRing = {
      ...keyRing,
      verificationKey: (kid) => {
        lookups++;
        return keyRing.verificationKey(kid);
      },
    };
    const cached = createAccessTokens({ keyRing: counting, issuer: ISSUER, audience: AUDIENCE, now });
    const { token } = await cached.issue(subject);
    for (let i = 0; i < 5; i++) await expect(cached.verify(token)).resolves.toMatchObject(subject);
    expect(lookups).toBe(1);
    // Callers get their own copy: mutating it does not poison the cache.
    (await cached.verify(token)).userId = 'usr_mallory';
    await expect(cached.verify(token)).resolves.toMatchObject(subject);
  });

  it('passes on internal failures instead of blaming the token', async () => {
    const broken: SigningKeyRing = {
      ...keyRing,
      verificationKey: () => Promise.reject(new Error('database unavailable')),
    };
    const failing = createAccessTokens({ keyRing: broken, issuer: ISSUER, audience: AUDIENCE, now });
    const { token } = await tokens.issue(subject);
    const error = await failing.verify(token).catch((caught: unknown) => caught);
    expect(error).not.toBeInstanceOf(PlatformError);
    expect((error as Error).message).toBe('database unavailable');
  });
});
