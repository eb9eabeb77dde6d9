import type { Database } from '../../db/database.ts';
import { isPlatformError } from '../../errors.ts';
import type { WorkspaceAccess } from '../../principal.ts';
import type { PluginManifest } from '../manifest.ts';
import type { PluginRuntime } from '../plugin-runtime.ts';

export interface EventHandlerOptions {
  /** How often due deliveries are looked for. */
  pollMs?: number;
  /** Attempts before a delivery is dead. */
  maxAttempts?: number;
  /** The wait after the n-th failed attempt (the last value repeats). */
  backoffMs?: readonly number[];
  /** How long a claimed delivery is this worker's before another may take it (it died, say). */
  leaseMs?: number;
  /** Deliveries claimed at once. */
  batch?: number;
}

const DEFAULTS: Required<EventHandlerOptions> = {
  pollMs: 500,
  maxAttempts: 6,
  backoffMs: [1_000, 10_000, 60_000, 600_000, 3_600_000],
  leaseMs: 60_000,
  batch: 10,
};

interface Claimed {
  id: string;
  workspace_id: string;
  plugin: string;
  attempts: number;
  payload: unknown;
  manifest: PluginManifest;
  status: string;
}

/** The plugin itself, as the caller of its own handler: it acts within its grants, nobody's role. */
function pluginAccess(workspaceId: string, plugin: string): WorkspaceAccess {
  return {
    principal: {
      kind: 'api_key',
      keyId: `plugin:${plugin}`,
      keyName: `plugin ${plugin} (on_event)`,
      workspaceId,
      role: 'editor',
    },
    workspaceId,
    workspaceName: '',
    // Writes are bounded by the manifest's grants; the role only lets the write tools run.
    role: 'editor',
    workspaceCreatedAt: '',
    workspaceUpdatedAt: '',
  };
}

async function claim(db: Database, o: Required<EventHandlerOptions>): Promise<Claimed[]> {
  return db.transaction((tx) =>
    tx.query<Claimed>(
      `WITH due AS (
         SELECT id FROM plugin_event_deliveries
         WHERE state = 'pending' AND next_attempt_at <= now()
         ORDER BY next_attempt_at LIMIT $1 FOR UPDATE SKIP LOCKED)
       UPDATE plugin_event_deliveries d
       SET attempts = d.attempts + 1, next_attempt_at = now() + ($2::integer * interval '1 millisecond')
       FROM due, webhook_events e, plugin_installations i, plugin_versions v
       WHERE d.id = due.id AND e.id = d.event_id AND i.workspace_id = d.workspace_id AND i.name = d.plugin
         AND v.id = i.version_id
       RETURNING d.id, d.workspace_id, d.plugin, d.attempts, e.payload, v.manifest, i.status`,
      [o.batch, o.leaseMs],
    ),
  );
}

async function settle(
  db: Database,
  o: Required<EventHandlerOptions>,
  delivery: Claimed,
  error?: string,
): Promise<void> {
  if (error === undefined) {
    await db.query(
      `UPDATE plugin_event_deliveries SET state = 'delivered', last_error = NULL, finished_at = now() WHERE id = $1`,
      [delivery.id],
    );
    return;
  }
  const dead = delivery.attempts >= o.maxAttempts;
  const wait = o.backoffMs[Math.min(delivery.attempts - 1, o.backoffMs.length - 1)] ?? 60_000;
  await db.query(
    `UPDATE plugin_event_deliveries
     SET state = $2, last_error = $3, next_attempt_at = now() + ($4::integer * interval '1 millisecond'),
         finished_at = CASE WHEN $2 = 'dead' THEN now() ELSE NULL END
     WHERE id = $1`,
    [delivery.id, dead ? 'dead' : 'pending', error.slice(0, 1_000), wait],
  );
}

async function deliver(runtime: PluginRuntime, delivery: Claimed): Promise<string | undefined> {
  const hook = delivery.manifest.hooks.on_event;
  if (!hook) return 'the installed version has no on_event hook';
  if (delivery.status !== 'enabled') return `the plugin is ${delivery.status}`;
  const payload = typeof delivery.payload === 'string' ? JSON.parse(delivery.payload) : delivery.payload;
  try {
    await runtime.call(
      pluginAccess(delivery.workspace_id, delivery.plugin),
      delivery.plugin,
      hook.function,
      payload,
    );
    return undefined;
  } catch (error) {
    if (isPlatformError(error)) return `${error.code}: ${error.message}`;
    return error instanceof Error ? error.message : String(error);
  }
}

/**
 * Hands queued events to plugins' on_event handlers, as webhooks are delivered: claimed with
 * FOR UPDATE SKIP LOCKED under a lease (safe with any number of processes; a process that dies
 * leaves its claims due again once the lease ends), retried with backoff, dead after the last
 * attempt. A disabled or quarantined plugin's deliveries keep failing until it is enabled or
 * they are dead. Handler faults count towards the plugin's quarantine like any call's.
 */
export function startEventHandlerWorker(
  db: Database,
  runtime: PluginRuntime,
  options: EventHandlerOptions = {},
) {
  const o = { ...DEFAULTS, ...options };
  let stopped = false;
  let running: Promise<void> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  const round = async () => {
    try {
      for (let more = true; more && !stopped; ) {
        const claimed = await claim(db, o);
        await Promise.all(claimed.map(async (d) => settle(db, o, d, await deliver(runtime, d))));
        more = claimed.length === o.batch;
      }
    } catch {
      // The database is away: the next round tries again; claims run out by their lease.
    }
  };
  const tick = () => {
    if (stopped) return;
    running = round().finally(() => {
      if (!stopped) timer = setTimeout(tick, o.pollMs);
    });
  };
  tick();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
