import { describe, expect, it } from 'vitest';
import { newId, randomBase62, randomToken, safeEqualHex, sha256Hex } from './opaque-token.ts';

describe('opaque tokens and ids', () => {
  it('makes base64url tokens of the requested size', () => {
    expect(randomToken()).toMatch(/^[\w-]{43}$/);
    expect(Buffer.from(randomToken(16), 'base64url')).toHaveLength(16);
    expect(randomToken()).not.toBe(randomToken());
  });

  it('hashes with sha256 and compares digests in constant time', () => {
    const digest = sha256Hex('abc');
    expect(digest).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(safeEqualHex(digest, sha256Hex('abc'))).toBe(true);
    expect(safeEqualHex(digest, sha256Hex('abd'))).toBe(false);
    expect(safeEqualHex(digest, digest.slice(0, 62))).toBe(false);
    expect(safeEqualHex(digest, `${digest.slice(0, 62)}zz`)).toBe(false);
    expect(safeEqualHex('', '')).toBe(true);
  });

  it('makes prefixed base62 ids', () => {
    for (const prefix of ['usr', 'wsp', 'key', 'con', 'ses', 'rtk']) {
      expect(newId(prefix)).toMatch(new RegExp(`^${prefix}_[0-9A-Za-z]{16}$`));
    }
    expect(randomBase62(1000)).toMatch(/^[0-9A-Za-z]{1000}$/);
  });

  it('makes audit ids that sort by time', () => {
    const earlier = newId('aud', Date.UTC(2025, 0, 1));
    const later = newId('aud', Date.UTC(2025, 0, 1) + 1);
    const muchLater = newId('aud', Date.UTC(2090, 0, 1));
    expect(earlier).toMatch(/^aud_[0-9a-z]{10}[0-9A-Za-z]{16}$/);
    expect([muchLater, later, earlier].sort()).toEqual([earlier, later, muchLater]);
  });
});
