import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSecretBox } from '../crypto/secret-box.ts';
import type { Database } from '../db/database.ts';
import { openTestDatabase, type TestDatabase } from '../db/test-database.ts';
import { createSigningKeyRing, type SigningKeyRingOptions } from './signing-keys.ts';

const DAY = 24 * 60 * 60 * 1000;
const secretBox = createSecretBox(randomBytes(32));
let testDb: TestDatabase;
let db: Database;

beforeAll(async () => {
  testDb = await openTestDatabase();
  db = testDb.db;
});
afterAll(() => testDb?.close());
beforeEach(async () => {
  await db.query('DELETE FROM signing_keys');
});

function clock(start = Date.UTC(2025, 0, 1)) {
  let t = start;
  return { now: () => new Date(t), advance: (ms: number) => (t += ms) };
}

const ring = (now: () => Date, extra: Partial<SigningKeyRingOptions> = {}) =>
  createSigningKeyRing({ db, secretBox, now, ...extra });

interface Row {
  kid: string;
  private_jwk_ciphertext: string;
  retired_at: Date | string | null;
  expires_at: Date | string | null;
}
const rows = () =>
  db.query<Row>(
    'SELECT kid, private_jwk_ciphertext, retired_at, expires_at FROM signing_keys ORDER BY created_at',
  );
const ms = (value: Date | string | null) => (value === null ? null : new Date(value).getTime());

describe('signing key ring', () => {
  it('creates one key on first use, sealed at rest, and reuses it', async () => {
    const keys = ring(clock().now);
    const first = await keys.current();
    expect((await keys.current()).kid).toBe(first.kid);
    const stored = await rows();
    expect(stored).toHaveLength(1);
    expect(stored[0]!.kid).toBe(first.kid);
    expect(stored[0]!.private_jwk_ciphertext).toMatch(/^v1\./);
    const privateJwk = JSON.parse(secretBox.open(stored[0]!.private_jwk_ciphertext, first.kid));
    expect(privateJwk).toMatchObject({ kty: 'OKP', crv: 'Ed25519' });
    expect(() => secretBox.open(stored[0]!.private_jwk_ciphertext, 'another-kid')).toThrow();
    expect(first.privateKey.type).toBe('private');
    expect(await keys.verificationKey(first.kid)).toBeDefined();
  });

  it('rotates after rotateAfterMs; the retired key verifies until it expires', async () => {
    const time = clock();
    const keys = ring(time.now);
    const first = await keys.current();
    time.advance(29 * DAY);
    expect((await keys.current()).kid).toBe(first.kid);
    time.advance(2 * DAY);
    const retiredAt = time.now().getTime();
    const second = await keys.current();
    expect(second.kid).not.toBe(first.kid);

    const stored = await rows();
    expect(stored.map((row) => row.kid)).toEqual([first.kid, second.kid]);
    expect(ms(stored[0]!.retired_at)).toBe(retiredAt);
    expect(ms(stored[0]!.expires_at)).toBe(retiredAt + 60 * DAY);
    expect(stored[1]!.retired_at).toBeNull();

    expect(await keys.verificationKey(first.kid)).toBeDefined();
    time.advance(60 * DAY - 1);
    expect(await keys.verificationKey(first.kid)).toBeDefined();
    time.advance(1);
    expect(await keys.verificationKey(first.kid)).toBeUndefined();
    // A fresh ring (another process) agrees.
    expect(await ring(time.now).verificationKey(first.kid)).toBeUndefined();
  });

  it('rotate() forces a new key and deletes expired ones', async () => {
    const time = clock();
    const keys = ring(time.now);
    const a = await keys.current();
    const b = await keys.rotate();
    expect(b.kid).not.toBe(a.kid);
    expect((await keys.current()).kid).toBe(b.kid);
    time.advance(61 * DAY);
    const c = await keys.rotate();
    expect((await rows()).map((row) => row.kid)).toEqual([b.kid, c.kid]);
  });

  it('serves every unexpired public key as a JWKS, without private parts', async () => {
    const time = clock();
    const keys = ring(time.now);
    const a = await keys.current();
    const b = await keys.rotate();
    const { keys: jwks } = await keys.jwks();
    expect(jwks.map((jwk) => jwk.kid).sort()).toEqual([a.kid, b.kid].sort());
    for (const jwk of jwks) {
      expect(jwk).toMatchObject({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA', use: 'sig' });
      expect(jwk.x).toEqual(expect.any(String));
      expect(jwk).not.toHaveProperty('d');
    }
    time.advance(60 * DAY);
    expect((await keys.jwks()).keys.map((jwk) => jwk.kid)).toEqual([b.kid]);
  });

  it('shares keys between rings on the same database (other processes)', async () => {
    const time = clock();
    const one = ring(time.now);
    const two = ring(time.now);
    const first = await one.current();
    expect((await two.current()).kid).toBe(first.kid);
    expect(await two.verificationKey('sk_unknown')).toBeUndefined();
    const next = await one.rotate();
    // Within the reload cool-down an unknown kid is not looked up again…
    expect(await two.verificationKey(next.kid)).toBeUndefined();
    time.advance(1000);
    // …after it, it is.
    expect(await two.verificationKey(next.kid)).toBeDefined();
    expect(await two.verificationKey(first.kid)).toBeDefined();
    // `two` still signs with its cached key until its re-check interval passes, then adopts.
    expect((await two.current()).kid).toBe(first.kid);
    time.advance(60_000);
    expect((await two.current()).kid).toBe(next.kid);
  });

  it('makes a single key when rings race on an empty table or an old key', async () => {
    const time = clock();
    const rings = Array.from({ length: 4 }, () => ring(time.now));
    const made = await Promise.all(rings.map((keys) => keys.current()));
    expect(new Set(made.map((key) => key.kid)).size).toBe(1);
    time.advance(31 * DAY);
    const rotated = await Promise.all(rings.map((keys) => keys.current()));
    expect(new Set(rotated.map((key) => key.kid)).size).toBe(1);
    expect(rotated[0]!.kid).not.toBe(made[0]!.kid);
    const stored = await rows();
    expect(stored).toHaveLength(2);
    expect(stored.filter((row) => row.retired_at === null)).toHaveLength(1);
  });
});
