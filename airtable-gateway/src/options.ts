import type { Logger } from 'pino';

export const DEFAULT_GATEWAY_PORT = 8002;
export const DEFAULT_UPSTREAM_URL = 'https://api.airtable.com';
/** Where Airtable serves its content endpoints (attachment uploads): not the API origin. */
export const DEFAULT_CONTENT_URL = 'https://content.airtable.com';

/** Every tunable of the gateway, with Airtable's figures as defaults. */
export interface GatewayOptions {
  /** Airtable's API origin, or the emulator's. Default https://api.airtable.com. */
  upstreamUrl?: string;
  /**
   * Airtable's content origin, for attachment uploads (`POST /v0/{base}/{record}/{field}/uploadAttachment`).
   * Default: https://content.airtable.com when `upstreamUrl` is api.airtable.com, otherwise
   * `upstreamUrl` itself (the emulator serves both on one origin). Set it when `upstreamUrl`
   * is a proxy in front of Airtable.
   */
  contentUrl?: string;
  /** Requests per sliding second per base (Airtable: 5). */
  perBaseLimit?: number;
  /** Requests per sliding second per token owner (Airtable: 50). */
  perOwnerLimit?: number;
  /** Extra spacing on the one-second window against jitter between here and Airtable. Default 20 ms. */
  safetyMarginMs?: number;
  /**
   * The same when budgets are shared through Redis. Default 20 ms, as for one process: an
   * admission counts from its answer (settle), which every process reports to Redis, so the
   * spread between processes no longer needs a margin of its own (it was 60 ms before the
   * Redis store settled admissions; at 60 ms three processes reached about 93% of the limit).
   */
  sharedSafetyMarginMs?: number;
  /** Pause after Airtable answers 429 (Airtable: 30 s). */
  penaltyMs?: number;
  /** Requests waiting per base (or per owner for base-less calls) before new ones are refused. Default 1000. */
  maxQueueLength?: number;
  /** Longest a request may wait for its turn before a 429 of the gateway's own. Default 60 s. */
  maxQueueWaitMs?: number;
  /** One upstream attempt's timeout. Default 30 s. */
  requestTimeoutMs?: number;
  /** Attempts per request for retriable failures (reads; writes only when provably unsent). Default 5. */
  maxAttempts?: number;
  /** Backoff: full jitter over base·2^attempt, capped. Defaults 200 ms and 5 s. */
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  /** Attempts after an upstream 429 (each waits out the penalty). Default 3. */
  maxRateLimitRetries?: number;
  /** Merge identical concurrent GETs into one upstream call. Default true. */
  coalesce?: boolean;
  /**
   * How long a cached record read stays fresh; 0 turns the cache off. Default 5 s. Only
   * requests that opt in (`allowCache`) use it: in-process clients do by default, the
   * proxy only when started with `recordCache: true`.
   */
  recordCacheTtlMs?: number;
  /** Base-schema cache TTL; 0 turns it off. Default 60 s. */
  schemaCacheTtlMs?: number;
  /** Owner (whoami) cache TTL per token. Default 1 h. */
  ownerCacheTtlMs?: number;
  /** Shares budgets and cache invalidations across processes. */
  redisUrl?: string;
  /** When Redis is unreachable, the share of each budget this process may use on its own. Default 0.2. */
  fallbackBudgetFraction?: number;
  logger?: Logger;
  /** Injected for tests. */
  fetch?: typeof fetch;
  random?: () => number;
}

export interface ResolvedGatewayOptions
  extends Required<Omit<GatewayOptions, 'redisUrl' | 'logger' | 'fetch' | 'random'>> {
  redisUrl: string | undefined;
  logger: Logger;
  fetch: typeof fetch;
  random: () => number;
}

export const GATEWAY_DEFAULTS = Object.freeze({
  upstreamUrl: DEFAULT_UPSTREAM_URL,
  perBaseLimit: 5,
  perOwnerLimit: 50,
  safetyMarginMs: 20,
  sharedSafetyMarginMs: 20,
  penaltyMs: 30_000,
  maxQueueLength: 1000,
  maxQueueWaitMs: 60_000,
  requestTimeoutMs: 30_000,
  maxAttempts: 5,
  backoffBaseMs: 200,
  backoffMaxMs: 5_000,
  maxRateLimitRetries: 3,
  coalesce: true,
  recordCacheTtlMs: 5_000,
  schemaCacheTtlMs: 60_000,
  ownerCacheTtlMs: 3_600_000,
  fallbackBudgetFraction: 0.2,
});
