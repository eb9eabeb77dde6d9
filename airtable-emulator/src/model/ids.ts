import { createHash, randomInt } from 'node:crypto';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** Airtable ids: a 3-letter prefix and 14 alphanumerics, 17 characters in all. */
export type IdPrefix = 'app' | 'tbl' | 'fld' | 'viw' | 'rec' | 'usr' | 'com' | 'sel' | 'att' | 'itr' | 'ach';

/** Makes ids; `restart`, where there is one, starts a seeded sequence over (an emulator reset). */
export type IdGenerator = ((prefix: IdPrefix) => string) & { restart?: () => void };

/** `randomIndex(n)` returns an integer in [0, n); injected so tests can make ids predictable. */
export function createIdGenerator(randomIndex: (n: number) => number = randomInt): IdGenerator {
  return (prefix) => {
    let id = prefix;
    for (let i = 0; i < 14; i++) id += ALPHABET[randomIndex(ALPHABET.length)];
    return id;
  };
}

/**
 * Ids drawn from `seed` instead of at random: the same calls after each `restart` make the same
 * ids, so a conversation recorded against the emulator replays against it with its record ids
 * still right. SHA-256 of the seed and a counter; the modulo's bias over 62 letters is harmless.
 */
export function createSeededIdGenerator(seed: string): IdGenerator {
  let counter = 0;
  let pool: number[] = [];
  const randomIndex = (n: number) => {
    if (pool.length === 0) pool = [...createHash('sha256').update(`${seed}:${counter++}`).digest()];
    return (pool.pop() as number) % n;
  };
  const generate: IdGenerator = createIdGenerator(randomIndex);
  generate.restart = () => {
    counter = 0;
    pool = [];
  };
  return generate;
}

const ID_PATTERN = /^[a-z]{3}[A-Za-z0-9]{14}$/;

export function isAirtableId(value: string, prefix?: IdPrefix): boolean {
  return ID_PATTERN.test(value) && (prefix === undefined || value.startsWith(prefix));
}
