import { errors } from './errors.ts';

export const ALL_SCOPES = [
  'data.records:read',
  'data.records:write',
  'data.recordComments:read',
  'data.recordComments:write',
  'schema.bases:read',
  'schema.bases:write',
  'user.email:read',
  'webhook:manage',
] as const;

export type Scope = (typeof ALL_SCOPES)[number];

export interface TokenGrant {
  token: string;
  /** The token's owner: Airtable's 50 req/s budget is per owner, not per token. */
  userId: string;
  scopes: Scope[];
  /** The bases the token may reach, or 'all'. */
  bases: string[] | 'all';
}

/** Known tokens and what each may do. Owned by one emulator instance. */
export class TokenRegistry {
  readonly #grants = new Map<string, TokenGrant>();

  add(grant: TokenGrant): void {
    this.#grants.set(grant.token, grant);
  }

  list(): TokenGrant[] {
    return [...this.#grants.values()];
  }

  clear(): void {
    this.#grants.clear();
  }

  /** The grant for an `Authorization` header; a missing or unknown token is Airtable's 401. */
  authenticate(header: string | undefined): TokenGrant {
    const m = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
    const grant = m ? this.#grants.get(m[1] as string) : undefined;
    if (!grant) throw errors.authenticationRequired();
    return grant;
  }
}

/** Airtable answers a missing scope or an unreachable base with the same 403, so existence does not leak. */
export function requireAccess(grant: TokenGrant, scope: Scope, baseId?: string): void {
  if (!grant.scopes.includes(scope)) throw errors.modelNotFound();
  if (baseId !== undefined && grant.bases !== 'all' && !grant.bases.includes(baseId))
    throw errors.modelNotFound();
}

export function canReachBase(grant: TokenGrant, baseId: string): boolean {
  return grant.bases === 'all' || grant.bases.includes(baseId);
}
