import { createRequire } from 'node:module';

/** How many of the most frequent leaked passwords we refuse (ASVS 6.2.4 asks for ≥ 3,000). */
export const COMMON_PASSWORD_COUNT = 10_000;

type LanguageCommon = typeof import('@zxcvbn-ts/language-common');

let common: ReadonlySet<string> | undefined;

/**
 * True when `password` (compared lower-cased) is among the most frequent leaked passwords.
 * The list is zxcvbn-ts's `passwords-common` (MIT; ranked by frequency, all lower case).
 * Loaded on first use, synchronously through require, so importing this module costs
 * nothing and the check stays a plain function (~20 ms once to decompress the dictionary).
 */
export function isCommonPassword(password: string): boolean {
  if (!common) {
    const require = createRequire(import.meta.url);
    const { dictionary } = require('@zxcvbn-ts/language-common') as LanguageCommon;
    common = new Set(dictionary['passwords-common'].slice(0, COMMON_PASSWORD_COUNT));
  }
  return common.has(password.toLowerCase());
}
