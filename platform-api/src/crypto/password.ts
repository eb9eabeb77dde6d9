import { type Algorithm, hash, parseOptions, verify } from '@node-rs/argon2';

/**
 * OWASP Password Storage Cheat Sheet parameters for argon2id: 19 MiB, 2 passes, 1 lane
 * (~28 ms per hash on the reference 2-core VM). Changing them makes `needsRehash` true for
 * every stored hash, so they upgrade at the next successful sign-in.
 */
export const PASSWORD_HASH_PARAMS = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

// `Algorithm` is an ambient const enum, which isolatedModules cannot inline; 2 is Argon2id.
const ARGON2ID = 2 as Algorithm;

// NFC so that the same password typed on systems that compose characters differently
// (macOS input methods may send NFD) hashes the same. No trimming, no case change.
const normalise = (password: string): string => password.normalize('NFC');

/** Hashes a password into a PHC string (`$argon2id$v=19$m=19456,t=2,p=1$salt$hash`). */
export function hashPassword(password: string): Promise<string> {
  return hash(normalise(password), { ...PASSWORD_HASH_PARAMS, algorithm: ARGON2ID });
}

/**
 * True when `password` matches `storedHash`. A wrong password gives false; so does a stored
 * hash that is not a valid argon2 PHC string (a corrupt row must not become a 500 that tells
 * an attacker which accounts are broken).
 */
export async function verifyPassword(storedHash: string, password: string): Promise<boolean> {
  try {
    return await verify(storedHash, normalise(password));
  } catch {
    return false;
  }
}

/** True when `storedHash` was made with other parameters (or another algorithm) than today's. */
export function needsRehash(storedHash: string): boolean {
  try {
    const used = parseOptions(storedHash);
    return (
      used.algorithm !== ARGON2ID ||
      used.memoryCost !== PASSWORD_HASH_PARAMS.memoryCost ||
      used.timeCost !== PASSWORD_HASH_PARAMS.timeCost ||
      used.parallelism !== PASSWORD_HASH_PARAMS.parallelism
    );
  } catch {
    return true;
  }
}
