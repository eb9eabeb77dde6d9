import { roleAtLeast, type WorkspaceRole } from '@airsuite/tools';
import { generateApiKey, parseApiKey } from '../auth/api-key-format.ts';
import { safeEqualHex, sha256Hex } from '../crypto/opaque-token.ts';
import type { Database } from '../db/database.ts';
import { PlatformError } from '../errors.ts';
import { actorOf, type Principal, type WorkspaceAccess } from '../principal.ts';
import { changeEvent, keysRevokedEvents } from '../webhooks/change-event.ts';
import type { Outbox } from '../webhooks/outbox.ts';
import type { AuditLog } from './audit-log.ts';
import type { CredentialCache } from './credential-cache.ts';
import { requireRole } from './workspaces.ts';

export interface ApiKey {
  id: string;
  name: string;
  role: WorkspaceRole;
  /** The first characters of the key, to recognise it: `ask_live_AbCd…`. */
  prefix: string;
  createdAt: string;
  createdBy?: string;
  expiresAt?: string;
  lastUsedAt?: string;
  revokedAt?: string;
}

interface ApiKeyRow {
  id: string;
  workspace_id: string;
  name: string;
  role: WorkspaceRole;
  secret_hash: string;
  created_by: string | null;
  created_at: Date | string;
  expires_at: Date | string | null;
  last_used_at: Date | string | null;
  revoked_at: Date | string | null;
}

const iso = (value: Date | string | null) => (value === null ? undefined : new Date(value).toISOString());

const toApiKey = (row: ApiKeyRow): ApiKey => {
  const fields = {
    id: row.id,
    name: row.name,
    role: row.role,
    prefix: `ask_live_${row.id.slice('key_'.length, 'key_'.length + 4)}…`,
    createdAt: new Date(row.created_at).toISOString(),
    createdBy: row.created_by ?? undefined,
    expiresAt: iso(row.expires_at),
    lastUsedAt: iso(row.last_used_at),
    revokedAt: iso(row.revoked_at),
  };
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as unknown as ApiKey;
};

/** last_used_at is written at most this often per key, so reads do not turn into writes. */
const LAST_USED_RESOLUTION_MS = 60_000;

export interface ApiKeys {
  create(
    access: WorkspaceAccess,
    input: { name: string; role: WorkspaceRole; expiresAt?: Date },
    requestId?: string,
  ): Promise<{ key: ApiKey; token: string }>;
  list(access: WorkspaceAccess): Promise<ApiKey[]>;
  revoke(access: WorkspaceAccess, keyId: string, requestId?: string): Promise<void>;
  /** The principal an `ask_live_…` bearer speaks for; AUTH_* errors otherwise. */
  authenticate(token: string): Promise<Principal>;
}

interface CachedKey {
  principal: Extract<Principal, { kind: 'api_key' }>;
  secretHash: string;
  expiresAt?: number;
  lastUsedAt: number;
}

/** What the API-key operations share. */
interface ApiKeysContext {
  db: Database;
  audit: AuditLog;
  cache: CredentialCache<CachedKey>;
  now: () => Date;
  outbox: Outbox;
}

const invalid = () => new PlatformError('AUTH_INVALID_TOKEN', 'the API key is not valid');

/** Notes a key's use in the database, at most once per LAST_USED_RESOLUTION_MS, without waiting. */
function touch({ db, now }: ApiKeysContext, keyId: string, entry: CachedKey): void {
  const at = now().getTime();
  if (at - entry.lastUsedAt < LAST_USED_RESOLUTION_MS) return;
  entry.lastUsedAt = at;
  db.query('UPDATE api_keys SET last_used_at = $2 WHERE id = $1', [keyId, new Date(at)]).catch(() => {});
}

/** A key never has more rights than its maker, and expires, if at all, in the future. */
function checkNewKey(
  { now }: ApiKeysContext,
  access: WorkspaceAccess,
  input: Parameters<ApiKeys['create']>[1],
): void {
  requireRole(access, 'admin', 'creating API keys');
  if (!roleAtLeast(access.role, input.role)) {
    throw new PlatformError(
      'FORBIDDEN',
      `you cannot create a key with more rights (${input.role}) than your own (${access.role})`,
    );
  }
  if (input.expiresAt && input.expiresAt.getTime() <= now().getTime()) {
    throw new PlatformError('VALIDATION_FAILED', 'expires_at must be in the future', {
      errors: [{ field: 'expires_at', message: 'must be in the future' }],
    });
  }
}

async function create(
  ctx: ApiKeysContext,
  access: WorkspaceAccess,
  input: Parameters<ApiKeys['create']>[1],
  requestId?: string,
): Promise<{ key: ApiKey; token: string }> {
  checkNewKey(ctx, access, input);
  const generated = generateApiKey();
  const createdBy =
    access.principal.kind === 'user' ? access.principal.userId : (access.principal.createdBy ?? null);
  const [row] = await ctx.db.transaction(async (tx) => {
    const rows = await tx.query<ApiKeyRow>(
      `INSERT INTO api_keys (id, workspace_id, name, role, secret_hash, created_by, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *`,
      [
        generated.id,
        access.workspaceId,
        input.name,
        input.role,
        generated.secretHash,
        createdBy,
        input.expiresAt ?? null,
      ],
    );
    await ctx.audit.record(
      {
        workspaceId: access.workspaceId,
        actor: actorOf(access.principal),
        action: 'api_key.create',
        target: { type: 'api_key', id: generated.id },
        outcome: 'success',
        requestId,
        details: {
          name: input.name,
          role: input.role,
          ...(input.expiresAt ? { expires_at: input.expiresAt.toISOString() } : {}),
        },
      },
      tx,
    );
    await ctx.outbox.emit(tx, [
      changeEvent(access, requestId, 'api_key.created', {
        key_id: generated.id,
        name: input.name,
        role: input.role,
      }),
    ]);
    return rows;
  });
  if (!row) throw new Error('api key insert returned nothing');
  return { key: toApiKey(row), token: generated.token };
}

async function list({ db }: ApiKeysContext, access: WorkspaceAccess): Promise<ApiKey[]> {
  requireRole(access, 'admin', 'listing API keys');
  const rows = await db.query<ApiKeyRow>(
    'SELECT * FROM api_keys WHERE workspace_id = $1 ORDER BY created_at DESC, id',
    [access.workspaceId],
  );
  return rows.map(toApiKey);
}

async function revoke(
  { db, audit, cache, outbox }: ApiKeysContext,
  access: WorkspaceAccess,
  keyId: string,
  requestId?: string,
): Promise<void> {
  requireRole(access, 'admin', 'revoking API keys');
  const revoked = await db.transaction(async (tx) => {
    // Revoking a revoked key succeeds again but stops nothing: only the first revocation is an event.
    const stopped = await tx.query<{ id: string; name: string }>(
      `UPDATE api_keys SET revoked_at = now()
        WHERE id = $1 AND workspace_id = $2 AND revoked_at IS NULL RETURNING id, name`,
      [keyId, access.workspaceId],
    );
    if (stopped.length === 0) {
      const [known] = await tx.query<{ id: string }>(
        'SELECT id FROM api_keys WHERE id = $1 AND workspace_id = $2',
        [keyId, access.workspaceId],
      );
      if (!known) return false;
    }
    await audit.record(
      {
        workspaceId: access.workspaceId,
        actor: actorOf(access.principal),
        action: 'api_key.revoke',
        target: { type: 'api_key', id: keyId },
        outcome: 'success',
        requestId,
      },
      tx,
    );
    await outbox.emit(tx, keysRevokedEvents(access, requestId, stopped));
    return true;
  });
  if (!revoked) throw new PlatformError('API_KEY_NOT_FOUND', 'no API key with this id in this workspace');
  await cache.invalidate(keyId);
}

/** The key `keyId` as the cache holds it, read from the database when the cache has none. */
async function loadKey({ db, cache }: ApiKeysContext, keyId: string, secretHash: string): Promise<CachedKey> {
  const generation = cache.generation();
  const [row] = await db.query<ApiKeyRow & { workspace_exists: boolean }>(
    'SELECT * FROM api_keys WHERE id = $1',
    [keyId],
  );
  if (!row || !safeEqualHex(row.secret_hash, secretHash)) throw invalid();
  if (row.revoked_at !== null) throw new PlatformError('AUTH_API_KEY_REVOKED', 'this API key was revoked');
  const entry: CachedKey = {
    principal: {
      kind: 'api_key',
      keyId: row.id,
      keyName: row.name,
      workspaceId: row.workspace_id,
      role: row.role,
      ...(row.created_by ? { createdBy: row.created_by } : {}),
    },
    secretHash: row.secret_hash,
    ...(row.expires_at ? { expiresAt: new Date(row.expires_at).getTime() } : {}),
    lastUsedAt: row.last_used_at ? new Date(row.last_used_at).getTime() : 0,
  };
  cache.set(keyId, entry, generation);
  return entry;
}

async function authenticate(ctx: ApiKeysContext, token: string): Promise<Principal> {
  const parsed = parseApiKey(token);
  if (!parsed) throw invalid();
  const secretHash = sha256Hex(parsed.secret);
  const cached = ctx.cache.get(parsed.id);
  if (cached && !safeEqualHex(cached.secretHash, secretHash)) throw invalid();
  const entry = cached ?? (await loadKey(ctx, parsed.id, secretHash));
  if (entry.expiresAt !== undefined && entry.expiresAt <= ctx.now().getTime()) {
    throw new PlatformError('AUTH_TOKEN_EXPIRED', 'this API key has expired; create a new one');
  }
  touch(ctx, parsed.id, entry);
  return entry.principal;
}

export function createApiKeys(
  db: Database,
  audit: AuditLog,
  cache: CredentialCache<CachedKey>,
  now: () => Date,
  /** Where `api_key.*` events are written, in the change's own transaction. */
  outbox: Outbox,
): ApiKeys {
  const ctx: ApiKeysContext = { db, audit, cache, now, outbox };
  return {
    create: (access, input, requestId) => create(ctx, access, input, requestId),
    list: (access) => list(ctx, access),
    revoke: (access, keyId, requestId) => revoke(ctx, access, keyId, requestId),
    authenticate: (token) => authenticate(ctx, token),
  };
}

export type { CachedKey as CachedApiKey };
