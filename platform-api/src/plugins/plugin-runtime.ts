import type { AirtableGateway } from '@airsuite/airtable-gateway';
import type { ToolContext } from '@airsuite/tools';
import { LRUCache } from 'lru-cache';
import type { Database } from '../db/database.ts';
import { PlatformError } from '../errors.ts';
import { actorOf, type WorkspaceAccess } from '../principal.ts';
import type { AuditLog } from '../services/audit-log.ts';
import { customEventType } from '../webhooks/events/catalogue.ts';
import type { Outbox } from '../webhooks/outbox.ts';
import { limitsOf, type PluginManifest } from './manifest.ts';
import { asPlatformError } from './platform-error-of.ts';
import { PLUGIN_FAULTS, PluginError } from './plugin-error.ts';
import { callLog, type PluginLogs } from './plugin-logs.ts';
import type { InstallationRow } from './plugin-rows.ts';
import { hostCallsFor } from './runtime/host-calls.ts';
import type { InstancePool } from './runtime/instance-pool.ts';

/** Consecutive faults (timeouts, crashes, memory, output) after which a plugin is quarantined. */
export const QUARANTINE_AFTER_FAULTS = 3;
/** Compiled modules kept, by hash; a module is compiled once however many workspaces run it. */
const MAX_COMPILED_MODULES = 200;

export interface RuntimeContext {
  db: Database;
  audit: AuditLog;
  outbox: Outbox;
  pool: InstancePool;
  airtableFor: (access: WorkspaceAccess) => Promise<AirtableGateway>;
  /** The tool context of an access, for plugins' writes (records_write runs the write tools in it). */
  toolContextFor?: (access: WorkspaceAccess) => Promise<Omit<ToolContext, 'signal' | 'progress' | 'log'>>;
  now: () => Date;
  onChange?: (workspaceId: string) => void;
  /** Where plugins' log lines go (Extism's log_*); dropped when absent. */
  logs?: PluginLogs;
  /** Plugins' outbound HTTP, for hosts their manifests name (createPluginFetch); none when absent. */
  fetch?: typeof fetch;
}

export interface PluginRuntime {
  /**
   * Runs an exported function of an installed, enabled plugin with JSON in and out. Fails with
   * the platform's error of a PLUGIN_* code; repeated faults quarantine the plugin.
   */
  call(
    access: WorkspaceAccess,
    plugin: string,
    fn: string,
    input: unknown,
    options?: { signal?: AbortSignal; requestId?: string },
  ): Promise<unknown>;
}

interface Loaded {
  row: InstallationRow;
  manifest: PluginManifest;
  version: string;
  sha256: string;
}

async function load(db: Database, workspaceId: string, plugin: string): Promise<Loaded> {
  const [row] = await db.query<
    InstallationRow & { manifest: PluginManifest; version: string; sha256: string }
  >(
    `SELECT i.*, v.manifest, v.version, v.sha256 FROM plugin_installations i
     JOIN plugin_versions v ON v.id = i.version_id WHERE i.workspace_id = $1 AND i.name = $2`,
    [workspaceId, plugin],
  );
  if (!row)
    throw new PlatformError('PLUGIN_NOT_FOUND', `no plugin "${plugin}" is installed in this workspace`);
  if (row.status === 'quarantined') {
    throw new PlatformError(
      'PLUGIN_QUARANTINED',
      `plugin "${plugin}" is quarantined after repeated faults (${row.status_reason ?? 'see the audit log'}); an admin can enable it again`,
    );
  }
  if (row.status === 'disabled') throw new PlatformError('PLUGIN_DISABLED', `plugin "${plugin}" is disabled`);
  return { row, manifest: row.manifest, version: row.version, sha256: row.sha256 };
}

function createModuleCache(db: Database) {
  const modules = new LRUCache<string, Promise<WebAssembly.Module>>({ max: MAX_COMPILED_MODULES });
  return (versionId: string, sha256: string): Promise<WebAssembly.Module> => {
    let module = modules.get(sha256);
    if (!module) {
      module = db
        .query<{ module: Uint8Array }>('SELECT module FROM plugin_versions WHERE id = $1', [versionId])
        .then(([row]) => {
          if (!row) throw new PlatformError('PLUGIN_VERSION_NOT_FOUND', 'the installed version is gone');
          return WebAssembly.compile(row.module);
        });
      module.catch(() => modules.delete(sha256));
      modules.set(sha256, module);
    }
    return module;
  };
}

function decodeOutput(bytes: Uint8Array, plugin: string, fn: string): unknown {
  if (bytes.byteLength === 0) return null;
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    throw new PluginError(
      'PLUGIN_CRASHED',
      `plugin function "${plugin}.${fn}" returned output that is not JSON`,
    );
  }
}

async function recordOutcome(
  ctx: RuntimeContext,
  access: WorkspaceAccess,
  loaded: Loaded,
  error?: PluginError,
) {
  const fault = error !== undefined && PLUGIN_FAULTS.has(error.code);
  if (!fault) {
    if (loaded.row.consecutive_faults > 0) {
      await ctx.db.query(
        'UPDATE plugin_installations SET consecutive_faults = 0 WHERE workspace_id = $1 AND name = $2',
        [access.workspaceId, loaded.row.name],
      );
    }
    return;
  }
  const quarantined = await ctx.db.transaction(async (tx) => {
    const [row] = await tx.query<{ consecutive_faults: number; status: string }>(
      `UPDATE plugin_installations SET consecutive_faults = consecutive_faults + 1
       WHERE workspace_id = $1 AND name = $2 RETURNING consecutive_faults, status`,
      [access.workspaceId, loaded.row.name],
    );
    if (row?.status !== 'enabled' || row.consecutive_faults < QUARANTINE_AFTER_FAULTS) return false;
    const reason = `${row.consecutive_faults} faults in a row, the last ${error.code}: ${error.message}`;
    await tx.query(
      `UPDATE plugin_installations SET status = 'quarantined', status_reason = $3, updated_at = $4
       WHERE workspace_id = $1 AND name = $2`,
      [access.workspaceId, loaded.row.name, reason.slice(0, 500), ctx.now()],
    );
    await ctx.audit.record(
      {
        workspaceId: access.workspaceId,
        actor: { type: 'system', id: 'plugin-runtime' },
        action: 'plugin.quarantined',
        target: { type: 'plugin', id: loaded.row.name },
        outcome: 'success',
        details: { version: loaded.version, faults: row.consecutive_faults, code: error.code },
      },
      tx,
    );
    await ctx.outbox.emit(tx, [
      {
        workspaceId: access.workspaceId,
        type: 'plugin.quarantined',
        actor: { type: 'plugin', id: loaded.row.name },
        data: {
          plugin: loaded.row.name,
          version: loaded.version,
          faults: row.consecutive_faults,
          last_error: { code: error.code, message: error.message },
        },
      },
    ]);
    return true;
  });
  if (quarantined) ctx.onChange?.(access.workspaceId);
}

function auditRefusal(
  ctx: RuntimeContext,
  access: WorkspaceAccess,
  plugin: string,
  call: string,
  reason: string,
) {
  ctx.audit
    .record({
      workspaceId: access.workspaceId,
      actor: actorOf(access.principal),
      action: `plugin.host_call.${call}`,
      target: { type: 'plugin', id: plugin },
      outcome: 'denied',
      errorCode: 'PLUGIN_HOST_CALL_REFUSED',
      details: { reason },
    })
    .catch(() => {});
}

/** A plugin's emit_event: its own event, committed at once (the plugin's call has no transaction). */
async function emitOwnEvent(
  ctx: RuntimeContext,
  access: WorkspaceAccess,
  plugin: string,
  type: string,
  data: Record<string, unknown>,
  requestId: string | undefined,
): Promise<string> {
  const [event] = await ctx.db.transaction((tx) =>
    ctx.outbox.emit(tx, [
      {
        workspaceId: access.workspaceId,
        type: customEventType(plugin, type),
        actor: { type: 'plugin', id: plugin },
        ...(requestId ? { cause: { requestId } } : {}),
        data,
      },
    ]),
  );
  return (event as { id: string }).id;
}

/** Runs installed plugins' functions for callers of their workspace. */
export function createPluginRuntime(ctx: RuntimeContext): PluginRuntime {
  const moduleOf = createModuleCache(ctx.db);
  return {
    async call(access, plugin, fn, input, options = {}) {
      const loaded = await load(ctx.db, access.workspaceId, plugin);
      if (!loaded.manifest.functions.some((f) => f.name === fn) && !hookNames(loaded.manifest).includes(fn)) {
        throw new PlatformError('PLUGIN_FUNCTION_NOT_FOUND', `plugin "${plugin}" has no function "${fn}"`);
      }
      const module = await moduleOf(loaded.row.version_id, loaded.sha256);
      const calls = hostCallsFor({
        workspaceId: access.workspaceId,
        plugin,
        manifest: loaded.manifest,
        db: ctx.db,
        airtable: () => ctx.airtableFor(access),
        ...(ctx.toolContextFor
          ? { writeContext: () => (ctx.toolContextFor as NonNullable<typeof ctx.toolContextFor>)(access) }
          : {}),
        ...(options.signal ? { signal: options.signal } : {}),
        emit: (type, data) => emitOwnEvent(ctx, access, plugin, type, data, options.requestId),
        onRefused: (call, reason) => auditRefusal(ctx, access, plugin, call, reason),
      });
      const key = `${access.workspaceId}:${plugin}:${loaded.row.version_id}:${JSON.stringify(loaded.row.config)}`;
      const hosts = loaded.manifest.permissions.network.hosts;
      const instanceOptions = {
        module,
        limits: limitsOf(loaded.manifest),
        config: loaded.row.config,
        ...(ctx.fetch && hosts.length > 0 ? { network: { hosts, fetch: ctx.fetch } } : {}),
      };
      const log = callLog();
      try {
        const bytes = await ctx.pool.call(
          key,
          instanceOptions,
          fn,
          new TextEncoder().encode(JSON.stringify(input ?? {})),
          calls,
          log.onLog,
        );
        const output = decodeOutput(bytes, plugin, fn);
        await recordOutcome(ctx, access, loaded);
        return output;
      } catch (error) {
        if (PluginError.isInstance(error)) await recordOutcome(ctx, access, loaded, error);
        throw asPlatformError(error);
      } finally {
        const source = { workspaceId: access.workspaceId, plugin, version: loaded.version, fn };
        await ctx.logs
          ?.write(
            options.requestId ? { ...source, requestId: options.requestId } : source,
            log.lines(),
            ctx.now(),
          )
          .catch(() => {});
      }
    },
  };
}

function hookNames(manifest: PluginManifest): string[] {
  return [manifest.hooks.before_write?.function, manifest.hooks.on_event?.function].filter(
    (name): name is string => name !== undefined,
  );
}
