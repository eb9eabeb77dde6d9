import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase } from '../db/test-database.ts';
import { type CredentialCache, createCredentialCache } from './credential-cache.ts';

describe('the credential cache', () => {
  let database: TestDatabase;
  let clock = 0;
  let one: CredentialCache<string>;
  let two: CredentialCache<string>;
  beforeAll(async () => {
    database = await openTestDatabase();
    one = await createCredentialCache<string>(database.db, { ttlMs: 1000, now: () => clock });
    two = await createCredentialCache<string>(database.db, { ttlMs: 1000, now: () => clock });
  });
  afterAll(async () => {
    await one.close();
    await two.close();
    await database.close();
  });

  it('remembers a credential until its time is up', () => {
    one.set('key_a', 'principal', one.generation());
    expect(one.get('key_a')).toBe('principal');
    clock += 1001;
    expect(one.get('key_a')).toBeUndefined();
  });

  it('drops a credential in every cache sharing the database when it is revoked', async () => {
    one.set('key_b', 'principal', one.generation());
    two.set('key_b', 'principal', two.generation());
    await one.invalidate('key_b');
    expect(one.get('key_b')).toBeUndefined();
    for (let i = 0; i < 100 && two.get('key_b'); i++) await new Promise((r) => setTimeout(r, 10));
    expect(two.get('key_b')).toBeUndefined();
  });

  it('ignores a read that a revocation overtook, here or in another process', async () => {
    const here = one.generation();
    await one.invalidate('key_c');
    one.set('key_c', 'stale', here);
    expect(one.get('key_c')).toBeUndefined();

    const there = two.generation();
    await one.invalidate('key_d');
    for (let i = 0; i < 100 && two.generation() === there; i++) await new Promise((r) => setTimeout(r, 10));
    two.set('key_d', 'stale', there);
    expect(two.get('key_d')).toBeUndefined();
  });
});
