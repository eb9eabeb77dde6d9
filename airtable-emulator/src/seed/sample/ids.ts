import { mulberry32 } from './prng.ts';

/** Airtable id prefixes used by the sample fixture. */
export type IdPrefix = 'app' | 'tbl' | 'fld' | 'viw' | 'rec' | 'sel' | 'att' | 'com' | 'usr';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const ID_BODY_LENGTH = 14;

/** A pair of independent 32-bit hashes (FNV-1a with two offset bases), i.e. ~64 bits of key. */
function hashPair(text: string): [number, number] {
  let a = 0x811c9dc5;
  let b = 0x01234567;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 13;
  }
  return [a >>> 0, b >>> 0];
}

/**
 * A valid 17-character Airtable id (`prefix` + 14 alphanumerics) derived from a stable key,
 * e.g. `stableId('fld', 'crm/Deals/Stage')`. The same key always gives the same id, and ids
 * do not shift when unrelated data changes.
 */
export function stableId(prefix: IdPrefix, key: string): string {
  const [h1, h2] = hashPair(`${prefix}:${key}`);
  const first = mulberry32(h1);
  const second = mulberry32(h2);
  let body = '';
  for (let i = 0; i < ID_BODY_LENGTH; i++) {
    const draw = i % 2 === 0 ? first() : second();
    body += ALPHABET[Math.floor(draw * ALPHABET.length)];
  }
  return prefix + body;
}

/** Matches a well-formed Airtable id with the given prefix. */
export function isAirtableId(value: unknown, prefix: IdPrefix): boolean {
  return typeof value === 'string' && new RegExp(`^${prefix}[A-Za-z0-9]{14}$`).test(value);
}
