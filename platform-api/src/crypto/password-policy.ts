import { PlatformError } from '../errors.ts';
import { isCommonPassword } from './common-passwords.ts';

/** ASVS 6.2.1 minimum; counted in Unicode code points after NFC normalisation. */
export const PASSWORD_MIN_LENGTH = 8;
/** Generous (ASVS 6.2.9 asks to allow ≥ 64) yet bounded, so nobody makes us hash megabytes. */
export const PASSWORD_MAX_LENGTH = 256;
// A local part this short ("jo@…") would reject half of all passwords if we looked for it inside.
const MIN_LOCAL_PART_TO_SEARCH = 3;

export type PasswordWeakness = 'too_short' | 'too_long' | 'common' | 'contains_email' | 'equals_name';

export interface PasswordOwner {
  email: string;
  name?: string | null;
}

const weak = (reason: PasswordWeakness, message: string): PlatformError =>
  new PlatformError('PASSWORD_TOO_WEAK', message, { reason });

/**
 * Throws PASSWORD_TOO_WEAK (with `details.reason`) unless `password` is acceptable for
 * `owner`. Only length, a common-password list and the owner's own email/name are checked:
 * no composition rules (ASVS 6.2.5). Nothing is trimmed, truncated or case-folded.
 */
export function checkPassword(password: string, owner: PasswordOwner): void {
  const normalised = password.normalize('NFC');
  const length = [...normalised].length;
  if (length < PASSWORD_MIN_LENGTH) {
    throw weak('too_short', `Use at least ${PASSWORD_MIN_LENGTH} characters; a short phrase works well.`);
  }
  if (length > PASSWORD_MAX_LENGTH) {
    throw weak('too_long', `Use at most ${PASSWORD_MAX_LENGTH} characters.`);
  }
  const lower = normalised.toLowerCase();
  if (isCommonPassword(lower)) {
    throw weak('common', 'This password is among the most commonly used ones; choose another.');
  }
  for (const part of localParts(owner.email)) {
    if (lower === part || ([...part].length >= MIN_LOCAL_PART_TO_SEARCH && lower.includes(part))) {
      throw weak('contains_email', 'Do not use your email address in your password.');
    }
  }
  const name = owner.name?.normalize('NFC').toLowerCase().trim();
  if (name && (lower === name || lower === name.replace(/\s+/g, ''))) {
    throw weak('equals_name', 'Do not use your name as your password.');
  }
}

/** "Jane.Doe+work@x.com" → ["jane.doe+work", "jane.doe"]: the tag-less form is guessable too. */
function localParts(email: string): string[] {
  const at = email.lastIndexOf('@');
  const local = (at > 0 ? email.slice(0, at) : email).normalize('NFC').toLowerCase();
  const untagged = local.split('+')[0] ?? '';
  return [...new Set([local, untagged])].filter((part) => part.length > 0);
}
