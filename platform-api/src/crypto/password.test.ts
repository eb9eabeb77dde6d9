import { hash } from '@node-rs/argon2';
import { describe, expect, it } from 'vitest';
import { hashPassword, needsRehash, PASSWORD_HASH_PARAMS, verifyPassword } from './password.ts';

describe('password hashing', () => {
  it('hashes with argon2id at the OWASP parameters and verifies', async () => {
    const stored = await hashPassword('correct horse battery staple');
    expect(stored).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await verifyPassword(stored, 'correct horse battery staple')).toBe(true);
    expect(needsRehash(stored)).toBe(false);
  });

  it('gives false for a wrong password, without throwing', async () => {
    const stored = await hashPassword('correct horse battery staple');
    expect(await verifyPassword(stored, 'Correct horse battery staple')).toBe(false);
    expect(await verifyPassword(stored, '')).toBe(false);
  });

  it('salts: the same password hashes differently each time', async () => {
    expect(await hashPassword('same password')).not.toBe(await hashPassword('same password'));
  });

  it('gives false for a malformed stored hash', async () => {
    for (const bad of [
      '',
      'not a hash',
      '$argon2id$v=19$m=19456,t=2,p=1$',
      '$2b$10$abcdefghijklmnopqrstuv',
    ]) {
      expect(await verifyPassword(bad, 'whatever')).toBe(false);
    }
  });

  it('verifies an NFD-typed password against its NFC hash', async () => {
    const stored = await hashPassword('caf\u00e9-au-lait');
    expect(await verifyPassword(stored, 'cafe\u0301-au-lait')).toBe(true);
  });

  it('asks for a rehash when parameters changed or the hash is unreadable', async () => {
    const old = await hash('pw', { memoryCost: 4096, timeCost: 3, parallelism: 1 });
    expect(needsRehash(old)).toBe(true);
    expect(await verifyPassword(old, 'pw')).toBe(true);
    expect(needsRehash('garbage')).toBe(true);
    expect(PASSWORD_HASH_PARAMS).toEqual({ memoryCost: 19456, timeCost: 2, parallelism: 1 });
  });
});
