import { randomBytes } from 'node:crypto';
import { ALL_SCOPES, type Scope, type TokenGrant } from './http/auth.ts';
import type { IdGenerator } from './model/ids.ts';

/** A token shaped like Airtable's personal access tokens: `pat<14>.<64 hex>`. */
export function generateToken(ids: IdGenerator): string {
  return `pat${ids('usr').slice(3)}.${randomBytes(32).toString('hex')}`;
}

export function fullAccessGrant(token: string, userId: string): TokenGrant {
  return { token, userId, scopes: [...ALL_SCOPES], bases: 'all' };
}

export function isScope(value: string): value is Scope {
  return (ALL_SCOPES as readonly string[]).includes(value);
}

/** Shows enough of a token to recognise it in a log, never enough to use it. */
export function maskToken(token: string): string {
  return token.length <= 8 ? '****' : `${token.slice(0, 6)}…${token.slice(-4)}`;
}
