import type { Database, Queryable } from '../db/database.ts';
import { PlatformError } from '../errors.ts';
import { actorOf, type WorkspaceAccess } from '../principal.ts';
import type { AuditLog } from '../services/audit-log.ts';
import { requireRole } from '../services/workspaces.ts';
import { PLUGIN_LIMIT_CEILINGS } from './manifest.ts';
import { asPlatformErrorOf } from './platform-error-of.ts';
import { parsePublicKey, type TrustedKey } from './plugin-signature.ts';

export interface PluginSettings {
  requireSignatures: boolean;
  /** The largest memory maximum a plugin of this workspace may declare, in 64 KiB pages. */
  maxMemoryPages: number;
}

export const DEFAULT_PLUGIN_SETTINGS: PluginSettings = { requireSignatures: false, maxMemoryPages: 256 };

export interface TrustedKeyInfo {
  id: string;
  name: string;
  publicKey: string;
  createdAt: string;
}

interface KeyRow {
  id: string;
  name: string;
  public_key: string;
  created_at: Date | string;
}

export async function loadPluginSettings(db: Queryable, workspaceId: string): Promise<PluginSettings> {
  const [row] = await db.query<{ require_signatures: boolean; max_memory_pages: number }>(
    'SELECT require_signatures, max_memory_pages FROM plugin_settings WHERE workspace_id = $1',
    [workspaceId],
  );
  return row
    ? { requireSignatures: row.require_signatures, maxMemoryPages: row.max_memory_pages }
    : DEFAULT_PLUGIN_SETTINGS;
}

export async function loadTrustedKeys(db: Queryable, workspaceId: string): Promise<TrustedKey[]> {
  const rows = await db.query<KeyRow>(
    'SELECT id, public_key FROM plugin_trusted_keys WHERE workspace_id = $1',
    [workspaceId],
  );
  return rows.map((row) => ({ id: row.id, publicKey: row.public_key }));
}

export interface PluginTrust {
  settings(access: WorkspaceAccess): Promise<PluginSettings>;
  updateSettings(
    access: WorkspaceAccess,
    patch: Partial<PluginSettings>,
    requestId?: string,
  ): Promise<PluginSettings>;
  keys(access: WorkspaceAccess): Promise<TrustedKeyInfo[]>;
  addKey(
    access: WorkspaceAccess,
    input: { id: string; name: string; publicKey: string },
    requestId?: string,
  ): Promise<TrustedKeyInfo>;
  removeKey(access: WorkspaceAccess, id: string, requestId?: string): Promise<void>;
}

interface TrustContext {
  db: Database;
  audit: AuditLog;
  now: () => Date;
}

function audit(
  ctx: TrustContext,
  tx: Queryable,
  access: WorkspaceAccess,
  action: string,
  id: string,
  requestId?: string,
  details?: Record<string, unknown>,
) {
  return ctx.audit.record(
    {
      workspaceId: access.workspaceId,
      actor: actorOf(access.principal),
      action,
      target: { type: 'plugin_settings', id },
      outcome: 'success',
      requestId,
      ...(details ? { details } : {}),
    },
    tx,
  );
}

async function updateSettings(
  ctx: TrustContext,
  access: WorkspaceAccess,
  patch: Partial<PluginSettings>,
  requestId?: string,
): Promise<PluginSettings> {
  requireRole(access, 'admin', 'changing plugin settings');
  const max = PLUGIN_LIMIT_CEILINGS.memoryPages;
  if (patch.maxMemoryPages !== undefined && (patch.maxMemoryPages < 1 || patch.maxMemoryPages > max)) {
    throw new PlatformError('VALIDATION_FAILED', `max_memory_pages must be between 1 and ${max}`);
  }
  return ctx.db.transaction(async (tx) => {
    const next = { ...(await loadPluginSettings(tx, access.workspaceId)), ...patch };
    await tx.query(
      `INSERT INTO plugin_settings (workspace_id, require_signatures, max_memory_pages, updated_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (workspace_id) DO UPDATE SET require_signatures = $2, max_memory_pages = $3, updated_at = $4`,
      [access.workspaceId, next.requireSignatures, next.maxMemoryPages, ctx.now()],
    );
    await audit(ctx, tx, access, 'plugin.settings_changed', access.workspaceId, requestId, { ...next });
    return next;
  });
}

async function listKeys(ctx: TrustContext, access: WorkspaceAccess): Promise<TrustedKeyInfo[]> {
  const rows = await ctx.db.query<KeyRow>(
    'SELECT id, name, public_key, created_at FROM plugin_trusted_keys WHERE workspace_id = $1 ORDER BY created_at',
    [access.workspaceId],
  );
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    publicKey: r.public_key,
    createdAt: new Date(r.created_at).toISOString(),
  }));
}

async function addKey(
  ctx: TrustContext,
  access: WorkspaceAccess,
  input: { id: string; name: string; publicKey: string },
  requestId?: string,
): Promise<TrustedKeyInfo> {
  requireRole(access, 'admin', 'trusting signing keys');
  asPlatformErrorOf(() => parsePublicKey(input.publicKey));
  return ctx.db.transaction(async (tx) => {
    const at = ctx.now();
    const rows = await tx.query(
      `INSERT INTO plugin_trusted_keys (workspace_id, id, name, public_key, created_by, created_at)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING RETURNING id`,
      [access.workspaceId, input.id, input.name, input.publicKey, actorOf(access.principal).id, at],
    );
    if (rows.length === 0)
      throw new PlatformError('VALIDATION_FAILED', `a trusted key "${input.id}" exists already`);
    await audit(ctx, tx, access, 'plugin.key_trusted', input.id, requestId, { name: input.name });
    return { id: input.id, name: input.name, publicKey: input.publicKey, createdAt: at.toISOString() };
  });
}

async function removeKey(
  ctx: TrustContext,
  access: WorkspaceAccess,
  id: string,
  requestId?: string,
): Promise<void> {
  requireRole(access, 'admin', 'removing trusted keys');
  await ctx.db.transaction(async (tx) => {
    const rows = await tx.query(
      'DELETE FROM plugin_trusted_keys WHERE workspace_id = $1 AND id = $2 RETURNING id',
      [access.workspaceId, id],
    );
    if (rows.length === 0)
      throw new PlatformError('PLUGIN_KEY_NOT_FOUND', `no trusted key "${id}" in this workspace`);
    await audit(ctx, tx, access, 'plugin.key_removed', id, requestId);
  });
}

/** Which signatures a workspace trusts and requires, and how much memory its plugins may take. Admin to change. */
export function createPluginTrust(ctx: TrustContext): PluginTrust {
  return {
    settings: (access) => loadPluginSettings(ctx.db, access.workspaceId),
    updateSettings: (access, patch, requestId) => updateSettings(ctx, access, patch, requestId),
    keys: (access) => listKeys(ctx, access),
    addKey: (access, input, requestId) => addKey(ctx, access, input, requestId),
    removeKey: (access, id, requestId) => removeKey(ctx, access, id, requestId),
  };
}
