import type { SecretBox } from '../crypto/secret-box.ts';
import type { Database } from '../db/database.ts';
import type { Principal } from '../principal.ts';
import { type Accounts, createAccounts } from '../services/accounts.ts';
import type { CachedApiKey } from '../services/api-keys.ts';
import type { AuditLog } from '../services/audit-log.ts';
import { type CredentialCache, createCredentialCache } from '../services/credential-cache.ts';
import { type AccessTokensOptions, createAccessTokens } from './access-tokens.ts';
import { createLoginThrottle } from './login-throttle.ts';
import { openKeyRing } from './open-key-ring.ts';
import type { SigningKeyRing } from './signing-keys.ts';

/** What tells a caller apart: the signing keys, the accounts, and what credentials resolved to. */
export interface Credentials {
  keyRing: SigningKeyRing;
  accounts: Accounts;
  sessionCache: CredentialCache<Extract<Principal, { kind: 'user' }>>;
  keyCache: CredentialCache<CachedApiKey>;
}

export interface CredentialsDeps {
  db: Database;
  audit: AuditLog;
  secretBox: SecretBox;
  now: () => Date;
  /** The access tokens' `iss`, `aud` and lifetime. */
  tokens: Omit<AccessTokensOptions, 'keyRing' | 'now'>;
}

export async function openCredentials({
  db,
  audit,
  secretBox,
  now,
  tokens,
}: CredentialsDeps): Promise<Credentials> {
  const keyRing = await openKeyRing(db, secretBox, now);
  const accessTokens = createAccessTokens({ keyRing, ...tokens, now });
  const sessionCache = await createCredentialCache<Extract<Principal, { kind: 'user' }>>(db);
  const keyCache = await createCredentialCache<CachedApiKey>(db);
  const accounts = createAccounts({
    db,
    audit,
    accessTokens,
    throttle: createLoginThrottle(db, { now }),
    sessions: sessionCache,
    now,
  });
  return { keyRing, accounts, sessionCache, keyCache };
}
