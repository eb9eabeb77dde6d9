import { PlatformConfigError } from '../crypto/config-error.ts';
import { type SecretBox, SecretBoxError } from '../crypto/secret-box.ts';
import type { Database } from '../db/database.ts';
import { createSigningKeyRing, type SigningKeyRing } from './signing-keys.ts';

/** The signing key ring, its current key already readable: a secret key that cannot open it is a setting to fix. */
export async function openKeyRing(
  db: Database,
  secretBox: SecretBox,
  now: () => Date,
): Promise<SigningKeyRing> {
  const keyRing = createSigningKeyRing({ db, secretBox, now });
  try {
    await keyRing.current();
  } catch (error) {
    if (error instanceof SecretBoxError) {
      throw new PlatformConfigError(
        'PLATFORM_SECRET_KEY_MISMATCH',
        "the database holds secrets encrypted with another AIRSUITE_SECRET_KEY: start with the key it was created with (or point DATABASE_URL / AIRSUITE_DATA_DIR at this key's database)",
      );
    }
    throw error;
  }
  return keyRing;
}
