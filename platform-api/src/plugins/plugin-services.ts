import type { Database } from '../db/database.ts';
import type { AuditLog } from '../services/audit-log.ts';
import type { Outbox } from '../webhooks/outbox.ts';
import { createPluginRegistry, type PluginRegistry } from './plugin-registry.ts';
import { createPluginTrust, type PluginTrust } from './plugin-trust.ts';
import { InstancePool, type PoolOptions } from './runtime/instance-pool.ts';

export interface PluginServices {
  registry: PluginRegistry;
  trust: PluginTrust;
  /** The running plugin instances of this process. */
  pool: InstancePool;
  close(): Promise<void>;
}

export interface PluginServicesDeps {
  db: Database;
  audit: AuditLog;
  outbox: Outbox;
  now: () => Date;
}

/** Plugins of every workspace: what is published and installed, whom it trusts, what runs. */
export function createPluginServices(
  deps: PluginServicesDeps,
  options: { pool?: PoolOptions } = {},
): PluginServices {
  const pool = new InstancePool(options.pool);
  const registry = createPluginRegistry({ ...deps });
  const trust = createPluginTrust(deps);
  return {
    registry,
    trust,
    pool,
    close: () => pool.close(),
  };
}
