import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createSecretBox, SecretBoxError } from './secret-box.ts';

const box = createSecretBox(randomBytes(32));

function unreadable(action: () => unknown): SecretBoxError {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(SecretBoxError);
    expect((error as SecretBoxError).code).toBe('SECRET_UNREADABLE');
    return error as SecretBoxError;
  }
  throw new Error('expected SECRET_UNREADABLE');
}

/** Flips one bit of the decoded part `index` (1 iv, 2 tag, 3 ciphertext) and re-encodes it. */
function flip(sealed: string, index: number): string {
  const parts = sealed.split('.');
  const bytes = Buffer.from(parts[index]!, 'base64url');
  bytes[0]! ^= 1;
  parts[index] = bytes.toString('base64url');
  return parts.join('.');
}

describe('secret box', () => {
  it('round-trips and uses the v1 format with a 12-byte IV', () => {
    const sealed = box.seal('patXXXX.secret-token', 'con_1');
    expect(sealed).toMatch(/^v1\.[\w-]{16}\.[\w-]{22}\.[\w-]+$/);
    expect(Buffer.from(sealed.split('.')[1]!, 'base64url')).toHaveLength(12);
    expect(box.open(sealed, 'con_1')).toBe('patXXXX.secret-token');
  });

  it('seals the same text differently each time (random IV)', () => {
    expect(box.seal('same', 'a')).not.toBe(box.seal('same', 'a'));
  });

  it('refuses a wrong AAD, a wrong key and tampered parts, without revealing the text', () => {
    const sealed = box.seal('top secret', 'con_1');
    const error = unreadable(() => box.open(sealed, 'con_2'));
    expect(error.message).not.toContain('top secret');
    unreadable(() => createSecretBox(randomBytes(32)).open(sealed, 'con_1'));
    for (const part of [1, 2, 3]) unreadable(() => box.open(flip(sealed, part), 'con_1'));
  });

  it('refuses malformed input', () => {
    const sealed = box.seal('x', 'a');
    const [, iv, tag, ciphertext] = sealed.split('.');
    for (const bad of [
      '',
      'v1',
      'v1...',
      `v2.${iv}.${tag}.${ciphertext}`,
      `v1.${iv}.${tag}`,
      `${sealed}.extra`,
      `v1.${iv}.${tag}.${ciphertext}!`,
      `v1.${iv}AA.${tag}.${ciphertext}`,
    ]) {
      unreadable(() => box.open(bad, 'a'));
    }
  });

  it('needs a 32-byte key', () => {
    expect(() => createSecretBox(randomBytes(16))).toThrow(RangeError);
  });

  it('round-trips any well-formed string under any AAD (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), fc.string({ unit: 'grapheme' }), (text, aad) => {
        expect(box.open(box.seal(text, aad), aad)).toBe(text);
      }),
    );
  });
});
