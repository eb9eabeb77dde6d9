import { randomUUID } from 'node:crypto';
import type { AirtableGateway } from '@airsuite/airtable-gateway';
import type { ToolContext } from '@airsuite/tools';
import type { Database } from '../db/database.ts';
import type { WorkspaceAccess } from '../principal.ts';
import type { AuditLog } from '../services/audit-log.ts';
import { type AddressPolicy, createAddressPolicy } from '../webhooks/delivery/address-policy.ts';
import type { Outbox } from '../webhooks/outbox.ts';
import { enqueuePluginEvents } from './event-handlers/enqueue-plugin-events.ts';
import { type EventHandlerOptions, startEventHandlerWorker } from './event-handlers/event-handler-worker.ts';
import { createPluginLogs, type PluginLogs } from './plugin-logs.ts';
import { createPluginRegistry, type PluginRegistry } from './plugin-registry.ts';
import { createPluginRuntime, type PluginRuntime } from './plugin-runtime.ts';
import { createPluginTools, type PluginTools } from './plugin-tools.ts';
import { createPluginTrust, type PluginTrust } from './plugin-trust.ts';
import { InstancePool, type PoolOptions } from './runtime/instance-pool.ts';
import { createPluginFetch } from './runtime/plugin-fetch.ts';
import { createWriteGuards } from './write-guards.ts';

export interface PluginServices {
  registry: PluginRegistry;
  trust: PluginTrust;
  runtime: PluginRuntime;
  /** Each workspace's plugin functions as tools of its catalogue. */
  tools: PluginTools;
  /** The workspace's before_write hooks, as the tools' `beforeWrite`. */
  writeGuards: ReturnType<typeof createWriteGuards>;
  /**
   * Hears when a workspace's installed plugins change (its catalogue changes with them), in
   * this process or another (NOTIFY); `undefined` when any may have (a lost notification).
   */
  onChange(listener: (workspaceId?: string) => void): () => void;
  /** What plugins logged, for their workspace's admins. */
  logs: PluginLogs;
  /** The running plugin instances of this process. */
  pool: InstancePool;
  close(): Promise<void>;
}

export interface PluginServicesDeps {
  db: Database;
  audit: AuditLog;
  outbox: Outbox;
  now: () => Date;
  /** The workspace's Airtable client, for plugins' record host calls. */
  airtableFor: (access: WorkspaceAccess) => Promise<AirtableGateway>;
  /** The tool context of an access, for plugins' writes through the write tools. */
  toolContextFor?: (access: WorkspaceAccess) => Promise<Omit<ToolContext, 'signal' | 'progress' | 'log'>>;
  /** Where plugins' HTTP requests may go (the webhooks' policy); public addresses only by default. */
  addressPolicy?: AddressPolicy;
}

/** Plugins of every workspace: what is published and installed, whom it trusts, what runs. */
export interface PluginServicesOptions {
  pool?: PoolOptions;
  /** Whether this process runs plugins' on_event handlers (default yes), and how. */
  events?: false | EventHandlerOptions;
}

/** Other processes hear of a workspace's plugin changes here (payload: `<process> <workspace>`). */
export const PLUGIN_CHANGES_CHANNEL = 'airsuite_plugin_changes';

/**
 * Plugin changes across processes: each change is announced with NOTIFY after its commit, and
 * the announcements of other processes reach `changed`; a LISTEN gap means any workspace may
 * have changed. A notification lost all the same is bounded by the tools' short cache TTL.
 */
function announceChanges(db: Database, changed: (workspaceId?: string) => void) {
  const self = randomUUID();
  const listening = db
    .listen(
      PLUGIN_CHANGES_CHANNEL,
      (payload) => {
        const [from, workspaceId] = payload.split(' ');
        if (from !== self && workspaceId) changed(workspaceId);
      },
      { onGap: () => changed() },
    )
    .catch(() => undefined);
  return {
    announce(workspaceId: string) {
      db.notify(PLUGIN_CHANGES_CHANNEL, `${self} ${workspaceId}`).catch(() => {});
    },
    async close() {
      const unlisten = await listening;
      await unlisten?.().catch(() => {});
    },
  };
}

export function createPluginServices(
  deps: PluginServicesDeps,
  options: PluginServicesOptions = {},
): PluginServices {
  const pool = new InstancePool(options.pool);
  const listeners = new Set<(workspaceId?: string) => void>();
  let tools: PluginTools | undefined;
  const changed = (workspaceId?: string) => {
    if (workspaceId) void pool.evictPrefix(`${workspaceId}:`);
    tools?.invalidate(workspaceId);
    for (const listener of listeners) listener(workspaceId);
  };
  const crossProcess = announceChanges(deps.db, changed);
  const onChange = (workspaceId: string) => {
    changed(workspaceId);
    crossProcess.announce(workspaceId);
  };
  const registry = createPluginRegistry({ ...deps, onChange });
  const trust = createPluginTrust(deps);
  const logs = createPluginLogs(deps.db);
  const http = createPluginFetch(deps.addressPolicy ?? createAddressPolicy());
  const runtime = createPluginRuntime({ ...deps, pool, onChange, logs, fetch: http.fetch });
  tools = createPluginTools(deps.db, runtime);
  deps.outbox.subscribe(enqueuePluginEvents);
  const events =
    options.events === false ? undefined : startEventHandlerWorker(deps.db, runtime, options.events);
  return {
    registry,
    trust,
    runtime,
    tools,
    writeGuards: createWriteGuards(deps.db, runtime),
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    logs,
    pool,
    async close() {
      await crossProcess.close();
      await events?.stop();
      await pool.close();
      http.close();
    },
  };
}
