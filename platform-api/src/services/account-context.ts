import type { AccessTokens } from '../auth/access-tokens.ts';
import type { LoginThrottle } from '../auth/login-throttle.ts';
import type { Database } from '../db/database.ts';
import type { Principal } from '../principal.ts';
import type { AuditLog } from './audit-log.ts';
import type { CredentialCache } from './credential-cache.ts';

export interface User {
  id: string;
  email: string;
  name?: string;
  createdAt: string;
}

export interface TokenPair {
  access_token: string;
  refresh_token: string;
  token_type: 'Bearer';
  expires_in: number;
}

/** What every account operation works with: createAccounts' dependencies, the clock resolved. */
export interface AccountsContext {
  db: Database;
  audit: AuditLog;
  accessTokens: AccessTokens;
  throttle: LoginThrottle;
  sessions: CredentialCache<Extract<Principal, { kind: 'user' }>>;
  now: () => Date;
}

export interface UserRow {
  id: string;
  email: string;
  name: string | null;
  password_hash: string;
  created_at: Date | string;
  disabled_at: Date | string | null;
}

export const toUser = (row: UserRow): User => ({
  id: row.id,
  email: row.email,
  ...(row.name ? { name: row.name } : {}),
  createdAt: new Date(row.created_at).toISOString(),
});
