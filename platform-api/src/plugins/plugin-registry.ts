import { newId } from '../crypto/opaque-token.ts';
import type { Database, Queryable } from '../db/database.ts';
import { PlatformError } from '../errors.ts';
import { actorOf, type WorkspaceAccess } from '../principal.ts';
import type { AuditLog } from '../services/audit-log.ts';
import { requireRole } from '../services/workspaces.ts';
import type { EventInput, Outbox } from '../webhooks/outbox.ts';
import { asPlatformError } from './platform-error-of.ts';
import { PluginError } from './plugin-error.ts';
import {
  type InstallationRow,
  type PluginInstallation,
  type PluginVersion,
  toInstallation,
  toVersion,
  VERSION_COLUMNS,
  type VersionRow,
} from './plugin-rows.ts';
import { verifySignature } from './plugin-signature.ts';
import { loadPluginSettings, loadTrustedKeys } from './plugin-trust.ts';
import { validatePlugin } from './validate-plugin.ts';

export interface RegistryContext {
  db: Database;
  audit: AuditLog;
  outbox: Outbox;
  now: () => Date;
  /** A workspace's installed plugins changed: catalogues and running instances follow. */
  onChange?: (workspaceId: string) => void;
}

export interface PublishInput {
  manifest: unknown;
  module: Uint8Array;
  signature?: { keyId: string; signature: string };
}

/** Orders versions: 1.10.0 after 1.9.0, a pre-release before its release. */
export function compareVersions(a: string, b: string): number {
  const split = (v: string) => {
    const [core = '', pre] = v.split('-', 2);
    return { parts: core.split('.').map(Number), pre };
  };
  const x = split(a);
  const y = split(b);
  for (let i = 0; i < 3; i++) {
    const d = (x.parts[i] ?? 0) - (y.parts[i] ?? 0);
    if (d !== 0) return d;
  }
  if (x.pre === y.pre) return 0;
  if (x.pre === undefined) return 1;
  if (y.pre === undefined) return -1;
  return x.pre < y.pre ? -1 : 1;
}

async function record(
  ctx: RegistryContext,
  tx: Queryable,
  access: WorkspaceAccess,
  action: string,
  name: string,
  requestId: string | undefined,
  details: Record<string, unknown>,
): Promise<void> {
  await ctx.audit.record(
    {
      workspaceId: access.workspaceId,
      actor: actorOf(access.principal),
      action,
      target: { type: 'plugin', id: name },
      outcome: 'success',
      requestId,
      details,
    },
    tx,
  );
}

function event<T extends EventInput['type']>(
  access: WorkspaceAccess,
  requestId: string | undefined,
  type: T,
  data: EventInput<T>['data'],
): EventInput {
  const actor = actorOf(access.principal);
  return {
    workspaceId: access.workspaceId,
    type,
    actor: { type: actor.type === 'api_key' ? 'api_key' : 'user', id: actor.id },
    ...(requestId ? { cause: { requestId } } : {}),
    data,
  } as EventInput;
}

async function versionRow(
  tx: Queryable,
  workspaceId: string,
  name: string,
  version: string,
): Promise<VersionRow> {
  const [row] = await tx.query<VersionRow>(
    `SELECT ${VERSION_COLUMNS} FROM plugin_versions WHERE workspace_id = $1 AND name = $2 AND version = $3`,
    [workspaceId, name, version],
  );
  if (!row) {
    throw new PlatformError(
      'PLUGIN_VERSION_NOT_FOUND',
      `no version ${version} of plugin "${name}" is published here`,
    );
  }
  return row;
}

async function versionById(tx: Queryable, id: string): Promise<VersionRow> {
  const [row] = await tx.query<VersionRow>(`SELECT ${VERSION_COLUMNS} FROM plugin_versions WHERE id = $1`, [
    id,
  ]);
  if (!row) throw new PlatformError('PLUGIN_VERSION_NOT_FOUND', 'the installed version is gone');
  return row;
}

async function installationRow(tx: Queryable, workspaceId: string, name: string, lock = false) {
  const [row] = await tx.query<InstallationRow>(
    `SELECT * FROM plugin_installations WHERE workspace_id = $1 AND name = $2${lock ? ' FOR UPDATE' : ''}`,
    [workspaceId, name],
  );
  if (!row) throw new PlatformError('PLUGIN_NOT_FOUND', `no plugin "${name}" is installed in this workspace`);
  return row;
}

async function showInstallation(tx: Queryable, row: InstallationRow): Promise<PluginInstallation> {
  const previous = row.previous_version_id ? await versionById(tx, row.previous_version_id) : undefined;
  return toInstallation(row, await versionById(tx, row.version_id), previous);
}

async function publish(
  ctx: RegistryContext,
  access: WorkspaceAccess,
  input: PublishInput,
  requestId?: string,
): Promise<PluginVersion> {
  requireRole(access, 'admin', 'publishing plugins');
  const settings = await loadPluginSettings(ctx.db, access.workspaceId);
  let signedBy: string | undefined;
  const plugin = await validatePlugin(input.manifest, input.module, settings).catch((e) => {
    throw asPlatformError(e);
  });
  try {
    if (input.signature) {
      const trusted = await loadTrustedKeys(ctx.db, access.workspaceId);
      signedBy = verifySignature(input.signature, plugin.sha256, input.manifest, trusted).id;
    } else if (settings.requireSignatures) {
      throw new PluginError(
        'PLUGIN_SIGNATURE_REQUIRED',
        'this workspace accepts only plugins signed by a key it trusts; sign the plugin (airsuite plugin publish --sign-key)',
      );
    }
  } catch (error) {
    throw asPlatformError(error);
  }
  const { name, version } = plugin.manifest;
  return ctx.db.transaction(async (tx) => {
    const [taken] = await tx.query(
      'SELECT 1 FROM plugin_versions WHERE workspace_id = $1 AND name = $2 AND version = $3',
      [access.workspaceId, name, version],
    );
    if (taken) {
      throw new PlatformError(
        'PLUGIN_VERSION_EXISTS',
        `version ${version} of "${name}" is already published; published versions never change, so bump the version`,
      );
    }
    const [row] = await tx.query<VersionRow>(
      `INSERT INTO plugin_versions (id, workspace_id, name, version, manifest, module, sha256, signed_by, published_by, published_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING ${VERSION_COLUMNS}`,
      [
        newId('plv'),
        access.workspaceId,
        name,
        version,
        JSON.stringify(plugin.manifest),
        Buffer.from(plugin.bytes),
        plugin.sha256,
        signedBy ?? null,
        actorOf(access.principal).id,
        ctx.now(),
      ],
    );
    await record(ctx, tx, access, 'plugin.published', name, requestId, { version, sha256: plugin.sha256 });
    return toVersion(row as VersionRow);
  });
}

async function install(
  ctx: RegistryContext,
  access: WorkspaceAccess,
  input: { name: string; version: string; config?: Record<string, string> },
  requestId?: string,
): Promise<PluginInstallation> {
  requireRole(access, 'admin', 'installing plugins');
  const result = await ctx.db.transaction(async (tx) => {
    const version = await versionRow(tx, access.workspaceId, input.name, input.version);
    const [existing] = await tx.query(
      'SELECT 1 FROM plugin_installations WHERE workspace_id = $1 AND name = $2 FOR UPDATE',
      [access.workspaceId, input.name],
    );
    if (existing) {
      throw new PlatformError(
        'PLUGIN_ALREADY_INSTALLED',
        `"${input.name}" is installed already; change its version instead (PUT …/plugins/${input.name}/version)`,
      );
    }
    const at = ctx.now();
    const [row] = await tx.query<InstallationRow>(
      `INSERT INTO plugin_installations (workspace_id, name, version_id, status, config, installed_by, installed_at, updated_at)
       VALUES ($1, $2, $3, 'enabled', $4, $5, $6, $6) RETURNING *`,
      [
        access.workspaceId,
        input.name,
        version.id,
        JSON.stringify(input.config ?? {}),
        actorOf(access.principal).id,
        at,
      ],
    );
    await record(ctx, tx, access, 'plugin.installed', input.name, requestId, { version: version.version });
    await ctx.outbox.emit(tx, [
      event(access, requestId, 'plugin.installed', {
        plugin: input.name,
        version: version.version,
        sha256: version.sha256,
      }),
    ]);
    return toInstallation(row as InstallationRow, version);
  });
  ctx.onChange?.(access.workspaceId);
  return result;
}

async function changeVersion(
  ctx: RegistryContext,
  access: WorkspaceAccess,
  name: string,
  target: string | 'previous',
  requestId?: string,
): Promise<PluginInstallation> {
  requireRole(access, 'admin', 'changing plugin versions');
  const result = await ctx.db.transaction(async (tx) => {
    const row = await installationRow(tx, access.workspaceId, name, true);
    const current = await versionById(tx, row.version_id);
    if (target === 'previous' && !row.previous_version_id) {
      throw new PlatformError(
        'PLUGIN_NO_PREVIOUS_VERSION',
        `"${name}" has no earlier version to roll back to`,
      );
    }
    const next =
      target === 'previous'
        ? await versionById(tx, row.previous_version_id as string)
        : await versionRow(tx, access.workspaceId, name, target);
    if (next.id === current.id) return showInstallation(tx, row);
    const [updated] = await tx.query<InstallationRow>(
      `UPDATE plugin_installations SET version_id = $3, previous_version_id = $4, updated_at = $5
       WHERE workspace_id = $1 AND name = $2 RETURNING *`,
      [access.workspaceId, name, next.id, current.id, ctx.now()],
    );
    const change = compareVersions(next.version, current.version) > 0 ? 'upgrade' : 'rollback';
    await record(ctx, tx, access, `plugin.${change}`, name, requestId, {
      version: next.version,
      from: current.version,
    });
    await ctx.outbox.emit(tx, [
      event(access, requestId, 'plugin.version_changed', {
        plugin: name,
        version: next.version,
        previous_version: current.version,
        change,
      }),
    ]);
    return toInstallation(updated as InstallationRow, next, current);
  });
  ctx.onChange?.(access.workspaceId);
  return result;
}

async function setEnabled(
  ctx: RegistryContext,
  access: WorkspaceAccess,
  name: string,
  enabled: boolean,
  requestId?: string,
): Promise<PluginInstallation> {
  requireRole(access, 'admin', enabled ? 'enabling plugins' : 'disabling plugins');
  const result = await ctx.db.transaction(async (tx) => {
    const row = await installationRow(tx, access.workspaceId, name, true);
    const status = enabled ? 'enabled' : 'disabled';
    if (row.status === status) return showInstallation(tx, row);
    const [updated] = await tx.query<InstallationRow>(
      `UPDATE plugin_installations SET status = $3, status_reason = NULL, consecutive_faults = 0, updated_at = $4
       WHERE workspace_id = $1 AND name = $2 RETURNING *`,
      [access.workspaceId, name, status, ctx.now()],
    );
    const version = await versionById(tx, row.version_id);
    await record(ctx, tx, access, `plugin.${status}`, name, requestId, {
      version: version.version,
      ...(row.status === 'quarantined' ? { was: 'quarantined' } : {}),
    });
    await ctx.outbox.emit(tx, [
      event(access, requestId, enabled ? 'plugin.enabled' : 'plugin.disabled', {
        plugin: name,
        version: version.version,
      }),
    ]);
    return showInstallation(tx, updated as InstallationRow);
  });
  ctx.onChange?.(access.workspaceId);
  return result;
}

async function uninstall(ctx: RegistryContext, access: WorkspaceAccess, name: string, requestId?: string) {
  requireRole(access, 'admin', 'uninstalling plugins');
  await ctx.db.transaction(async (tx) => {
    const row = await installationRow(tx, access.workspaceId, name, true);
    const version = await versionById(tx, row.version_id);
    await tx.query('DELETE FROM plugin_installations WHERE workspace_id = $1 AND name = $2', [
      access.workspaceId,
      name,
    ]);
    // Its stored data goes with it: a later install of the same name starts clean.
    await tx.query('DELETE FROM plugin_kv WHERE workspace_id = $1 AND plugin = $2', [
      access.workspaceId,
      name,
    ]);
    for (const table of ['plugin_event_deliveries', 'plugin_logs']) {
      await tx.query(`DELETE FROM ${table} WHERE workspace_id = $1 AND plugin = $2`, [
        access.workspaceId,
        name,
      ]);
    }
    await record(ctx, tx, access, 'plugin.uninstalled', name, requestId, { version: version.version });
    await ctx.outbox.emit(tx, [
      event(access, requestId, 'plugin.uninstalled', { plugin: name, version: version.version }),
    ]);
  });
  ctx.onChange?.(access.workspaceId);
}

async function list(ctx: RegistryContext, access: WorkspaceAccess): Promise<PluginInstallation[]> {
  const rows = await ctx.db.query<InstallationRow>(
    'SELECT * FROM plugin_installations WHERE workspace_id = $1 ORDER BY name',
    [access.workspaceId],
  );
  return Promise.all(rows.map((row) => showInstallation(ctx.db, row)));
}

async function versions(
  ctx: RegistryContext,
  access: WorkspaceAccess,
  name?: string,
): Promise<PluginVersion[]> {
  const rows = await ctx.db.query<VersionRow>(
    `SELECT ${VERSION_COLUMNS} FROM plugin_versions WHERE workspace_id = $1 AND ($2::text IS NULL OR name = $2)
     ORDER BY name, published_at`,
    [access.workspaceId, name ?? null],
  );
  return rows
    .map(toVersion)
    .sort((a, b) => a.name.localeCompare(b.name) || compareVersions(a.version, b.version));
}

export interface PluginRegistry {
  /** Validates and stores a version (not installed yet). Admin. */
  publish(access: WorkspaceAccess, input: PublishInput, requestId?: string): Promise<PluginVersion>;
  install(
    access: WorkspaceAccess,
    input: { name: string; version: string; config?: Record<string, string> },
    requestId?: string,
  ): Promise<PluginInstallation>;
  /** Moves an installed plugin to a published version, or back to the one before ('previous'). */
  changeVersion(
    access: WorkspaceAccess,
    name: string,
    version: string,
    requestId?: string,
  ): Promise<PluginInstallation>;
  rollback(access: WorkspaceAccess, name: string, requestId?: string): Promise<PluginInstallation>;
  setEnabled(
    access: WorkspaceAccess,
    name: string,
    enabled: boolean,
    requestId?: string,
  ): Promise<PluginInstallation>;
  uninstall(access: WorkspaceAccess, name: string, requestId?: string): Promise<void>;
  list(access: WorkspaceAccess): Promise<PluginInstallation[]>;
  get(access: WorkspaceAccess, name: string): Promise<PluginInstallation>;
  versions(access: WorkspaceAccess, name?: string): Promise<PluginVersion[]>;
}

export function createPluginRegistry(ctx: RegistryContext): PluginRegistry {
  return {
    publish: (access, input, requestId) => publish(ctx, access, input, requestId),
    install: (access, input, requestId) => install(ctx, access, input, requestId),
    changeVersion: (access, name, version, requestId) => changeVersion(ctx, access, name, version, requestId),
    rollback: (access, name, requestId) => changeVersion(ctx, access, name, 'previous', requestId),
    setEnabled: (access, name, enabled, requestId) => setEnabled(ctx, access, name, enabled, requestId),
    uninstall: (access, name, requestId) => uninstall(ctx, access, name, requestId),
    list: (access) => list(ctx, access),
    get: async (access, name) =>
      showInstallation(ctx.db, await installationRow(ctx.db, access.workspaceId, name)),
    versions: (access, name) => versions(ctx, access, name),
  };
}
