import { createRedisBus, type InvalidationBus } from './cache/invalidation-bus.ts';
import { createMemoryStore, createRedisStore, createResilientStore, scaleLimits } from './limits/index.ts';
import type { AdmissionStore } from './limits/types.ts';
import type { GatewayMetrics } from './metrics.ts';
import type { ResolvedGatewayOptions } from './options.ts';

/** Where the budgets live and how cache invalidations travel, chosen once at start. */
export interface AdmissionBackend {
  store: AdmissionStore;
  /** The budgets' sliding window in ms, safety margin included. */
  windowMs: number;
  /** Present with Redis: invalidations reach every gateway process. */
  bus?: InvalidationBus;
  mode(): 'local' | 'shared' | 'fallback';
  close(): Promise<void>;
}

/**
 * Without Redis, budgets are in-process (exact for one process). With Redis, every process
 * shares them exactly; if Redis goes away, each process carries on with a conservative
 * share of the budgets, logs it once, and rejoins when Redis answers again.
 */
export async function createAdmissionBackend(
  options: Readonly<ResolvedGatewayOptions>,
  metrics: GatewayMetrics,
): Promise<AdmissionBackend> {
  const safetyMarginMs = options.redisUrl ? options.sharedSafetyMarginMs : options.safetyMarginMs;
  // Not paced: while a budget has room a request goes out at once, as Airtable allows. Each
  // admission counts from its answer (settle), which is what keeps bursts inside the window.
  const windowSettings = { windowMs: 1000, safetyMarginMs, paced: false };
  const windowMs = 1000 + safetyMarginMs;
  const local = createMemoryStore(windowSettings);
  if (!options.redisUrl) {
    return { store: local, windowMs, mode: () => 'local', close: () => local.close() };
  }
  const log = options.logger;
  // Loaded only here: a gateway without REDIS_URL (every stdio MCP server) never pays for ioredis.
  const { Redis } = await import('ioredis');
  // Fail fast while Redis is down: the resilient store falls back instead of waiting.
  const redis = new Redis(options.redisUrl, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    lazyConnect: true,
    // Admissions and settles issued in the same tick share one write and one read.
    enableAutoPipelining: true,
  });
  let reportedError = false;
  redis.on('error', (error: Error) => {
    if (!reportedError) log.warn({ err: { message: error.message } }, 'redis connection error');
    reportedError = true;
  });
  redis.on('ready', () => {
    reportedError = false;
  });
  await redis
    .connect()
    .catch((error: Error) => log.warn({ err: { message: error.message } }, 'redis unavailable at start'));
  const store = createResilientStore({
    primary: createRedisStore(redis, windowSettings),
    fallback: scaleLimits(local, options.fallbackBudgetFraction),
    isPrimaryHealthy: () => redis.status === 'ready',
    log: (event, detail) => {
      metrics.limiterFallback.set(event === 'fallback' ? 1 : 0);
      if (event === 'fallback')
        log.warn({ detail }, 'shared rate limits unreachable: using a conservative local budget');
      else log.info({ detail }, 'shared rate limits reachable again');
    },
  });
  // Redis errors repeat on every reconnect attempt: say it once per outage.
  let busErrorLogged = false;
  redis.on('ready', () => {
    busErrorLogged = false;
  });
  const bus = createRedisBus(redis, (error) => {
    if (!busErrorLogged) log.warn({ err: { message: error.message } }, 'cache invalidation bus error');
    busErrorLogged = true;
  });
  return {
    store,
    windowMs,
    bus,
    mode: () => (store.mode() === 'primary' ? 'shared' : 'fallback'),
    async close() {
      await store.close();
      await bus.close();
      redis.disconnect();
    },
  };
}
