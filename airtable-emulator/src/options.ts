import type { RateLimitSettings } from './http/rate-limiter.ts';
import type { Fixture } from './seed/fixture-schema.ts';

/** The emulator's defaults, named so docs, CLI help and tests agree. */
export const DEFAULT_EMULATOR_PORT = 8010;
export const DEFAULT_HOST = '127.0.0.1';
/** Airtable's documented URL limit (16,000 characters) for every endpoint. */
export const DEFAULT_MAX_URL_LENGTH = 16_000;
/** Airtable does not document its body limit; 10 records of 100k-character text fit well inside this. */
export const DEFAULT_MAX_BODY_BYTES = 5 * 1024 * 1024;
/** Airtable keeps list iterators "a few minutes" after their last use. */
export const DEFAULT_ITERATOR_TTL_MS = 5 * 60_000;

/** Waits before each retry of a failed webhook ping (Airtable retries for longer; its schedule is undocumented). */
export const DEFAULT_PING_RETRY_DELAYS_MS: readonly number[] = [1_000, 10_000, 60_000];
/** A webhook ping not answered within this is a failed notification. */
export const DEFAULT_PING_TIMEOUT_MS = 10_000;

export type SeedOption = 'sample' | 'empty' | Fixture | { file: string };

export interface EmulatorOptions {
  /** Port to listen on; 0 picks a free one. Default 8010. */
  port?: number;
  /** Interface to bind. Default 127.0.0.1 (the admin API must not face a network). */
  host?: string;
  /**
   * Host headers to accept besides localhost, 127.0.0.1, [::1] and `host` (a guard against DNS
   * rebinding), e.g. a docker-compose service name. Others get 403 EMULATOR_HOST_NOT_ALLOWED.
   */
  allowedHosts?: string[];
  /** Browser origins to accept besides local pages; others get 403 EMULATOR_ORIGIN_NOT_ALLOWED. */
  allowedOrigins?: string[];
  /**
   * When set, every admin call but `GET /__emulator/health` needs `Authorization: Bearer
   * <adminToken>` (401 EMULATOR_ADMIN_UNAUTHORIZED otherwise). Unset: Host and Origin guard it.
   */
  adminToken?: string;
  /** What to load when there is no persisted state. Default 'empty'. */
  seed?: SeedOption;
  /** Full-access tokens. With none (and none persisted), a development token is generated. */
  tokens?: string[];
  /** Keep state in this directory across restarts; in memory when absent. */
  dataDir?: string;
  /** With `dataDir`: ignore the stored state and start from `seed`, replacing it at once. */
  fresh?: boolean;
  /** Rate-limit settings; Airtable's figures by default. */
  rateLimits?: Partial<RateLimitSettings>;
  iteratorTtlMs?: number;
  maxBodyBytes?: number;
  maxUrlLength?: number;
  /** Webhook notification pings: the waits before retries of a failed ping, and its timeout. */
  webhookPings?: { retryDelaysMs?: readonly number[]; timeoutMs?: number };
  /**
   * Ids drawn from this seed rather than at random, the sequence starting over at each admin
   * reset: a replay makes the ids its recording saw (evals). Random when absent.
   */
  idSeed?: string;
  /** Clock and randomness, injected for tests. */
  now?: () => Date;
  random?: () => number;
  /** Where operational messages go (never tokens). Default: nowhere. */
  log?: (message: string) => void;
}
