import type { AddressInfo } from 'node:net';
import type { EmulatorContext } from './context.ts';
import { createEmulatorContext } from './emulator-context.ts';
import { TokenRegistry } from './http/auth.ts';
import { startEmulatorServer } from './http/emulator-server.ts';
import { NO_FAULTS } from './http/faults.ts';
import type { PipelineDeps } from './http/pipeline.ts';
import { DEFAULT_RATE_LIMITS, SlidingWindowLimiter } from './http/rate-limiter.ts';
import type { RequestGuardSettings } from './http/request-guard.ts';
import { RequestStats } from './http/stats.ts';
import { ensureOwner } from './model/default-owner.ts';
import type { EmulatorStore } from './model/store.ts';
import {
  DEFAULT_HOST,
  DEFAULT_MAX_BODY_BYTES,
  DEFAULT_MAX_URL_LENGTH,
  type EmulatorOptions,
} from './options.ts';
import { createStateSaver, type PersistedState, snapshotState } from './persistence.ts';
import type { AdminApi } from './routes/admin.ts';
import { createAdminApi } from './routes/admin-api.ts';
import { createAdminRouter, createV0Router } from './routes/routers.ts';
import { loadStartingState } from './starting-state.ts';
import { attachNotifier } from './webhooks/notifier.ts';

export interface RunningEmulator {
  /** e.g. `http://127.0.0.1:8010`: give it to airtable.js as `endpointUrl`. */
  url: string;
  port: number;
  /** The full-access tokens this emulator accepts (given, persisted, or generated). */
  tokens: string[];
  /** True when the first token was generated for this data (print it for the user). */
  generatedToken: boolean;
  /** True when the bases came from `dataDir`'s stored state rather than from the seed. */
  restored: boolean;
  admin: AdminApi;
  store: EmulatorStore;
  close(): Promise<void>;
}

/** Saves to `dataDir` after changes; without one, the emulator lives in memory and saving is a no-op. */
function createPersist(
  ctx: EmulatorContext,
  tokens: TokenRegistry,
  options: EmulatorOptions,
  persisted: PersistedState | undefined,
): () => Promise<void> {
  const { store } = ctx;
  const saver = options.dataDir
    ? createStateSaver({
        dataDir: options.dataDir,
        version: () => store.version,
        snapshot: () => snapshotState(store, tokens.list(), ctx.webhooks),
        ...(persisted ? { savedVersion: store.version } : {}),
        log: options.log ?? (() => {}),
      })
    : undefined;
  return () => saver?.persist() ?? Promise.resolve();
}

function guardSettings(options: EmulatorOptions): RequestGuardSettings {
  return {
    boundHost: options.host ?? DEFAULT_HOST,
    allowedHosts: options.allowedHosts ?? [],
    allowedOrigins: options.allowedOrigins ?? [],
    ...(options.adminToken ? { adminToken: options.adminToken } : {}),
  };
}

/** Starts a local Airtable: Web API v0 on `/v0`, admin API on `/__emulator`. */
export async function createEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const log = options.log ?? (() => {});
  const ctx = createEmulatorContext(options);
  const { store, now } = ctx;
  const tokens = new TokenRegistry();
  const { persisted, generatedToken } = await loadStartingState(ctx, tokens, options);
  const persist = createPersist(ctx, tokens, options, persisted);
  const notifier = attachNotifier(ctx.webhooks, {
    now,
    ...options.webhookPings,
    changed: () => {
      store.touch();
      persist().catch((error: unknown) => log(`emulator: ${String(error)}`));
    },
    log,
  });
  let origin = '';

  const pipeline: PipelineDeps = {
    ctx,
    tokens,
    limiter: new SlidingWindowLimiter(() => now().getTime()),
    rateLimits: { ...DEFAULT_RATE_LIMITS, ...options.rateLimits },
    faults: { ...NO_FAULTS },
    stats: new RequestStats(),
    router: createV0Router(),
    random: options.random ?? Math.random,
    maxBodyBytes: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
    maxUrlLength: options.maxUrlLength ?? DEFAULT_MAX_URL_LENGTH,
    log,
    persist,
  };
  const admin = createAdminApi({ pipeline, ownerId: () => ensureOwner(ctx), origin: () => origin });
  const guard = guardSettings(options);
  const host = options.host ?? DEFAULT_HOST;
  const server = await startEmulatorServer(
    {
      guard,
      pipeline,
      admin: { admin, router: createAdminRouter(), guard, maxBodyBytes: pipeline.maxBodyBytes, log, persist },
    },
    options.port ?? 8010,
    host,
  );
  const port = (server.address() as AddressInfo).port;
  await persist();
  origin = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

  return {
    url: origin,
    port,
    tokens: tokens
      .list()
      .filter((g) => g.scopes.length > 0 && g.bases === 'all')
      .map((g) => g.token),
    generatedToken,
    restored: persisted !== undefined,
    admin,
    store,
    async close() {
      await notifier.close();
      await persist();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
