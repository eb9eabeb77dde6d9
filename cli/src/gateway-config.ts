import { DEFAULT_GATEWAY_PORT, DEFAULT_UPSTREAM_URL, type GatewayOptions } from '@airsuite/airtable-gateway';
import { ConfigError } from './config-error.ts';
import type { Env } from './emulator-config.ts';
import { integerSetting as integer } from './parse-setting.ts';

/** Flags of `airsuite gateway`, as commander hands them over. */
export interface GatewayFlags {
  port?: string;
  host?: string;
  upstream?: string;
  redis?: string;
  perBase?: string;
  perOwner?: string;
  maxQueue?: string;
  maxWaitMs?: string;
  timeoutMs?: string;
  cacheTtlMs?: string;
}

export interface GatewayCliSettings {
  port: number;
  host: string;
  engine: GatewayOptions;
  /** Whether proxied record reads may be served from the short-lived cache. */
  recordCache: boolean;
}

function url(name: string, raw: string, protocols: string[]): string {
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigError(`${name} must be a URL, got ${JSON.stringify(raw)}`);
  }
  if (!protocols.includes(parsed.protocol))
    throw new ConfigError(`${name} must use ${protocols.join(' or ')}`);
  return raw;
}

/** Gateway settings: flag, then environment variable, then default; validated once. */
export function gatewaySettingsFrom(flags: GatewayFlags, env: Env): GatewayCliSettings {
  const redis = flags.redis ?? env.REDIS_URL;
  const cacheTtlMs = integer(
    '--cache-ttl-ms / GATEWAY_RECORD_CACHE_TTL_MS',
    flags.cacheTtlMs ?? env.GATEWAY_RECORD_CACHE_TTL_MS,
    0,
    3_600_000,
  );
  return {
    port: integer('--port / GATEWAY_PORT', flags.port ?? env.GATEWAY_PORT, 0, 65_535) ?? DEFAULT_GATEWAY_PORT,
    host: flags.host ?? env.GATEWAY_HOST ?? '127.0.0.1',
    engine: {
      upstreamUrl: url(
        '--upstream / AIRTABLE_API_URL',
        flags.upstream ?? env.AIRTABLE_API_URL ?? DEFAULT_UPSTREAM_URL,
        ['http:', 'https:'],
      ),
      redisUrl: redis ? url('--redis / REDIS_URL', redis, ['redis:', 'rediss:']) : undefined,
      perBaseLimit: integer(
        '--per-base / GATEWAY_PER_BASE_LIMIT',
        flags.perBase ?? env.GATEWAY_PER_BASE_LIMIT,
        1,
        10_000,
      ),
      perOwnerLimit: integer(
        '--per-owner / GATEWAY_PER_OWNER_LIMIT',
        flags.perOwner ?? env.GATEWAY_PER_OWNER_LIMIT,
        1,
        100_000,
      ),
      maxQueueLength: integer(
        '--max-queue / GATEWAY_MAX_QUEUE',
        flags.maxQueue ?? env.GATEWAY_MAX_QUEUE,
        1,
        1_000_000,
      ),
      maxQueueWaitMs: integer(
        '--max-wait-ms / GATEWAY_MAX_WAIT_MS',
        flags.maxWaitMs ?? env.GATEWAY_MAX_WAIT_MS,
        1,
        3_600_000,
      ),
      requestTimeoutMs: integer(
        '--timeout-ms / GATEWAY_REQUEST_TIMEOUT_MS',
        flags.timeoutMs ?? env.GATEWAY_REQUEST_TIMEOUT_MS,
        1,
        600_000,
      ),
      recordCacheTtlMs: cacheTtlMs,
    },
    recordCache: cacheTtlMs !== undefined && cacheTtlMs > 0,
  };
}
