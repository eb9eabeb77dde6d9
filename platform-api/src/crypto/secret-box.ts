import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { codedError } from '@airsuite/tools';

const ALGORITHM = 'aes-256-gcm';
const VERSION = 'v1';
const IV_BYTES = 12; // the GCM standard nonce; random, so at most ~2^32 seals per key
const TAG_BYTES = 16;

/** A sealed value could not be opened: wrong key, wrong AAD, or altered text. */
export class SecretBoxError extends codedError<'SECRET_UNREADABLE'>('SecretBoxError') {
  constructor() {
    // Deliberately says nothing about the input: it may be a secret.
    super('SECRET_UNREADABLE', 'the sealed secret cannot be read with this key');
  }
}

export interface SecretBox {
  /**
   * Encrypts `plaintext`, bound to `aad` (e.g. the row id), as `v1.<iv>.<tag>.<ciphertext>`
   * (base64url parts). Text is stored as UTF-8, so a lone surrogate comes back as U+FFFD.
   */
  seal(plaintext: string, aad: string): string;
  /** Decrypts what `seal` made with the same key and `aad`; throws SecretBoxError otherwise. */
  open(sealed: string, aad: string): string;
}

/**
 * AES-256-GCM for secrets at rest (Airtable tokens, private signing keys). The AAD ties a
 * ciphertext to its row, so one copied into another row does not decrypt.
 */
export function createSecretBox(key: Buffer): SecretBox {
  if (key.length !== 32) throw new RangeError('a secret box key must be 32 bytes');
  const secret = Buffer.from(key); // our own copy: the caller may reuse or wipe theirs
  return {
    seal(plaintext, aad) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv(ALGORITHM, secret, iv, { authTagLength: TAG_BYTES });
      cipher.setAAD(Buffer.from(aad, 'utf8'));
      const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      const parts = [iv, cipher.getAuthTag(), ciphertext].map((part) => part.toString('base64url'));
      return [VERSION, ...parts].join('.');
    },
    open(sealed, aad) {
      const [version, iv, tag, ciphertext, ...rest] = sealed.split('.');
      if (version !== VERSION || iv === undefined || tag === undefined || ciphertext === undefined) {
        throw new SecretBoxError();
      }
      if (rest.length > 0) throw new SecretBoxError();
      const ivBytes = decodeCanonical(iv);
      const tagBytes = decodeCanonical(tag);
      const cipherBytes = decodeCanonical(ciphertext);
      if (ivBytes?.length !== IV_BYTES || tagBytes?.length !== TAG_BYTES || !cipherBytes) {
        throw new SecretBoxError();
      }
      try {
        const decipher = createDecipheriv(ALGORITHM, secret, ivBytes, { authTagLength: TAG_BYTES });
        decipher.setAAD(Buffer.from(aad, 'utf8'));
        decipher.setAuthTag(tagBytes);
        const plain = Buffer.concat([decipher.update(cipherBytes), decipher.final()]);
        return plain.toString('utf8');
      } catch {
        throw new SecretBoxError();
      }
    },
  };
}

/**
 * Buffer's base64url decoder skips bad characters and ignores stray trailing bits, so two
 * different texts can decode alike; accept only the one canonical spelling of each part.
 */
function decodeCanonical(text: string): Buffer | undefined {
  const bytes = Buffer.from(text, 'base64url');
  return bytes.toString('base64url') === text ? bytes : undefined;
}
