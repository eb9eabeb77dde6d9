import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';

/** Digits, then upper, then lower case: ASCII order, and safe in URLs and ids. */
export const BASE62_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const ID_RANDOM_LENGTH = 16; // 16 × log2(62) ≈ 95 bits: unguessable, no collisions in practice
const ID_TIME_LENGTH = 10; // base36 milliseconds; 10 digits last until the year 115,000
/** Prefixes whose ids sort by creation time (audit events are paged by id). */
const TIME_ORDERED_PREFIXES: ReadonlySet<string> = new Set(['aud', 'evt', 'msg']);

/** `bytes` random bytes as base64url: refresh tokens, nonces. */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/** `length` uniformly random base62 characters (randomInt rejects biased draws). */
export function randomBase62(length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += BASE62_ALPHABET[randomInt(62)];
  return out;
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** Constant-time comparison of two hex digests; false (not a throw) when lengths differ. */
export function safeEqualHex(a: string, b: string): boolean {
  const left = Buffer.from(a, 'hex');
  const right = Buffer.from(b, 'hex');
  // Buffer.from(…, 'hex') stops at the first bad character; compare lengths of the text too.
  if (left.length !== right.length || a.length !== b.length || left.length * 2 !== a.length) return false;
  return timingSafeEqual(left, right);
}

/**
 * A new random id such as `usr_3kTq…` (prefix, underscore, 16 base62 characters). Ids never
 * reveal counts. For time-ordered prefixes (`aud`) the random part is preceded by the
 * creation time in fixed-width base36, so ids sort by time under any collation.
 */
export function newId(prefix: string, now: number = Date.now()): string {
  const time = TIME_ORDERED_PREFIXES.has(prefix) ? now.toString(36).padStart(ID_TIME_LENGTH, '0') : '';
  return `${prefix}_${time}${randomBase62(ID_RANDOM_LENGTH)}`;
}
