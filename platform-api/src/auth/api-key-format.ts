import { randomBase62, sha256Hex } from '../crypto/opaque-token.ts';

/**
 * API keys look like `ask_live_<keyId>_<secret>`: a fixed prefix that secret scanners can
 * match, the public key id (the row is `key_<keyId>`), and the secret. Both parts are base62
 * because `_` separates them. Only sha256(secret) is stored: the secret carries 256 bits of
 * entropy, so a fast hash is enough (no argon2 on every request).
 */
export const API_KEY_PREFIX = 'ask_live_';
const KEY_ID_LENGTH = 16;
const SECRET_LENGTH = 43; // 43 × log2(62) ≈ 256.03 bits, as much as 32 random bytes
const API_KEY_PATTERN = /^ask_live_([0-9A-Za-z]{16})_([0-9A-Za-z]{43})$/;

export interface GeneratedApiKey {
  /** The row id, `key_<keyId>`. */
  id: string;
  /** The whole key; shown to its creator once, never stored. */
  token: string;
  /** sha256 hex of the secret part; what the database keeps. */
  secretHash: string;
}

export function generateApiKey(): GeneratedApiKey {
  const keyId = randomBase62(KEY_ID_LENGTH);
  const secret = randomBase62(SECRET_LENGTH);
  return {
    id: `key_${keyId}`,
    token: `${API_KEY_PREFIX}${keyId}_${secret}`,
    secretHash: hashApiKeySecret(secret),
  };
}

/** The row id and secret of a well-formed key; null for anything else (never throws). */
export function parseApiKey(token: string): { id: string; secret: string } | null {
  const match = API_KEY_PATTERN.exec(token);
  if (!match) return null;
  return { id: `key_${match[1]!}`, secret: match[2]! };
}

/**
 * True when a bearer token is meant as an API key (rather than an access JWT), so that a
 * mistyped key is reported as a bad API key, not as a bad JWT.
 */
export function looksLikeApiKey(token: string): boolean {
  return token.startsWith('ask_');
}

/** What `secretHash` holds; compare with `safeEqualHex`. */
export function hashApiKeySecret(secret: string): string {
  return sha256Hex(secret);
}
