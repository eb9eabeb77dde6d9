import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { safeEqualHex, sha256Hex } from '../crypto/opaque-token.ts';
import { generateApiKey, hashApiKeySecret, looksLikeApiKey, parseApiKey } from './api-key-format.ts';

describe('API key format', () => {
  it('generates ask_live_<16 base62>_<43 base62> keys whose id and hash line up', () => {
    const { id, token, secretHash } = generateApiKey();
    expect(token).toMatch(/^ask_live_[0-9A-Za-z]{16}_[0-9A-Za-z]{43}$/);
    const parsed = parseApiKey(token);
    expect(parsed?.id).toBe(id);
    expect(id).toBe(`key_${token.slice(9, 25)}`);
    expect(safeEqualHex(hashApiKeySecret(parsed!.secret), secretHash)).toBe(true);
    expect(secretHash).toBe(sha256Hex(token.slice(26)));
    expect(looksLikeApiKey(token)).toBe(true);
  });

  it('never repeats', () => {
    const tokens = new Set(Array.from({ length: 200 }, () => generateApiKey().token));
    expect(tokens.size).toBe(200);
  });

  it('rejects malformed keys', () => {
    const { token } = generateApiKey();
    for (const bad of [
      '',
      'ask_live_',
      token.slice(0, -1),
      `${token}x`,
      token.replace('ask_live_', 'ask_test_'),
      token.replace('ask_live_', 'ASK_LIVE_'),
      ` ${token}`,
      `${token}\n`,
      `${token.slice(0, 30)}-${token.slice(31)}`,
      `${token.slice(0, 30)}_${token.slice(31)}`,
      'eyJhbGciOiJFZERTQSJ9.e30.sig',
    ]) {
      expect(parseApiKey(bad)).toBeNull();
    }
    expect(looksLikeApiKey('eyJhbGciOiJFZERTQSJ9.e30.sig')).toBe(false);
  });

  it('parseApiKey never throws and only accepts the exact shape (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 120 }), (text) => {
        const parsed = parseApiKey(text);
        if (parsed) expect(text).toMatch(/^ask_live_[0-9A-Za-z]{16}_[0-9A-Za-z]{43}$/);
      }),
    );
  });
});
