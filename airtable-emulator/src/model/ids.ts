import { randomInt } from 'node:crypto';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** Airtable ids: a 3-letter prefix and 14 alphanumerics, 17 characters in all. */
export type IdPrefix = 'app' | 'tbl' | 'fld' | 'viw' | 'rec' | 'usr' | 'com' | 'sel' | 'att' | 'itr' | 'ach';

export type IdGenerator = (prefix: IdPrefix) => string;

/** `randomIndex(n)` returns an integer in [0, n); injected so tests can make ids predictable. */
export function createIdGenerator(randomIndex: (n: number) => number = randomInt): IdGenerator {
  return (prefix) => {
    let id = prefix;
    for (let i = 0; i < 14; i++) id += ALPHABET[randomIndex(ALPHABET.length)];
    return id;
  };
}

const ID_PATTERN = /^[a-z]{3}[A-Za-z0-9]{14}$/;

export function isAirtableId(value: string, prefix?: IdPrefix): boolean {
  return ID_PATTERN.test(value) && (prefix === undefined || value.startsWith(prefix));
}
