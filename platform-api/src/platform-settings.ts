import { resolve } from 'node:path';
import { PlatformConfigError } from './crypto/config-error.ts';

export const DEFAULT_PLATFORM_PORT = 8080;
export const DEFAULT_PLATFORM_HOST = '127.0.0.1';
export const DEFAULT_DATA_DIR = '.airsuite';

export type Env = Record<string, string | undefined>;

export interface PlatformSettings {
  port: number;
  host: string;
  /** PostgreSQL when set; PGlite in `dataDir/db` otherwise. */
  databaseUrl?: string;
  /** Embedded state: PGlite, the generated secret key, first-start credentials. */
  dataDir: string;
  corsOrigins: string[];
  bodyLimitBytes: number;
  trustProxy: boolean;
  issuer: string;
  audience: string;
  accessTokenTtlSeconds: number;
  /** How long a write operation's runner may go silent before it reads interrupted (AIRSUITE_OPERATION_LEASE_SECONDS). */
  operationLeaseSeconds: number;
  /** AIRSUITE_WEBHOOK_ALLOW: hosts, addresses or CIDRs deliveries may reach although not public (development only). */
  webhookAllow: string[];
  /** AIRSUITE_WEBHOOK_DELIVERY=off: this process serves the API but delivers nothing (others do). */
  webhookDelivery: boolean;
  /** AIRSUITE_WEBHOOK_CONCURRENCY: attempts in flight at once in this process. */
  webhookConcurrency: number;
  /**
   * AIRSUITE_PUBLIC_URL: where Airtable (and other outside services) reach this platform, e.g.
   * `https://airsuite.example.com`; change capture gives Airtable its notification URL under it.
   * Unset: change capture finds changes by polling only.
   */
  publicUrl?: string;
}

/** An http(s) origin, optionally with a path prefix; no credentials, query or fragment. */
function publicUrlOf(env: Env): string | undefined {
  const raw = env.AIRSUITE_PUBLIC_URL?.trim();
  if (!raw) return undefined;
  let url: URL | undefined;
  try {
    url = new URL(raw);
  } catch {
    url = undefined;
  }
  if (
    !url ||
    !['http:', 'https:'].includes(url.protocol) ||
    url.username ||
    url.password ||
    url.search ||
    url.hash
  ) {
    throw new PlatformConfigError(
      'PLATFORM_INVALID_SETTING',
      `AIRSUITE_PUBLIC_URL must be an http(s) URL such as https://airsuite.example.com (no credentials, query or fragment), got ${JSON.stringify(raw)}`,
    );
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new PlatformConfigError(
      'PLATFORM_INVALID_SETTING',
      `${name} must be a whole number from ${min} to ${max}, got ${JSON.stringify(raw)}`,
    );
  }
  return value;
}

const list = (raw: string | undefined) =>
  (raw ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);

/**
 * The platform's settings, validated once at start: PLATFORM_PORT, PLATFORM_HOST, DATABASE_URL,
 * AIRSUITE_DATA_DIR, PLATFORM_CORS_ORIGINS, PLATFORM_BODY_LIMIT_BYTES, PLATFORM_TRUST_PROXY,
 * AIRSUITE_JWT_ISSUER, AIRSUITE_JWT_AUDIENCE, AIRSUITE_ACCESS_TOKEN_TTL_SECONDS,
 * AIRSUITE_OPERATION_LEASE_SECONDS, AIRSUITE_WEBHOOK_ALLOW, AIRSUITE_WEBHOOK_DELIVERY,
 * AIRSUITE_WEBHOOK_CONCURRENCY, AIRSUITE_PUBLIC_URL.
 */
export function platformSettingsFromEnv(env: Env, cwd = process.cwd()): PlatformSettings {
  const databaseUrl = env.DATABASE_URL?.trim() || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new PlatformConfigError(
      'PLATFORM_INVALID_SETTING',
      'DATABASE_URL must be a postgres:// or postgresql:// URL',
    );
  }
  const origins = list(env.PLATFORM_CORS_ORIGINS);
  for (const origin of origins) {
    if (origin !== '*' && !/^https?:\/\/[^/\s]+$/.test(origin)) {
      throw new PlatformConfigError(
        'PLATFORM_INVALID_SETTING',
        `PLATFORM_CORS_ORIGINS entries must be origins like https://app.example.com (or *), got ${JSON.stringify(origin)}`,
      );
    }
  }
  const delivery = (env.AIRSUITE_WEBHOOK_DELIVERY ?? 'on').trim().toLowerCase();
  if (!['on', 'off', 'true', 'false', '1', '0', ''].includes(delivery)) {
    throw new PlatformConfigError(
      'PLATFORM_INVALID_SETTING',
      `AIRSUITE_WEBHOOK_DELIVERY must be on or off, got ${JSON.stringify(env.AIRSUITE_WEBHOOK_DELIVERY)}`,
    );
  }
  const publicUrl = publicUrlOf(env);
  return {
    port: integer(env, 'PLATFORM_PORT', DEFAULT_PLATFORM_PORT, 0, 65_535),
    host: env.PLATFORM_HOST?.trim() || DEFAULT_PLATFORM_HOST,
    ...(databaseUrl ? { databaseUrl } : {}),
    dataDir: resolve(cwd, env.AIRSUITE_DATA_DIR?.trim() || DEFAULT_DATA_DIR),
    corsOrigins: origins,
    bodyLimitBytes: integer(env, 'PLATFORM_BODY_LIMIT_BYTES', 1024 * 1024, 1024, 64 * 1024 * 1024),
    trustProxy: ['1', 'true', 'yes', 'on'].includes((env.PLATFORM_TRUST_PROXY ?? '').toLowerCase()),
    issuer: env.AIRSUITE_JWT_ISSUER?.trim() || 'airsuite',
    audience: env.AIRSUITE_JWT_AUDIENCE?.trim() || 'airsuite-api',
    accessTokenTtlSeconds: integer(env, 'AIRSUITE_ACCESS_TOKEN_TTL_SECONDS', 900, 30, 24 * 60 * 60),
    operationLeaseSeconds: integer(env, 'AIRSUITE_OPERATION_LEASE_SECONDS', 30, 1, 3600),
    webhookAllow: list(env.AIRSUITE_WEBHOOK_ALLOW),
    webhookDelivery: !['off', 'false', '0'].includes(delivery),
    webhookConcurrency: integer(env, 'AIRSUITE_WEBHOOK_CONCURRENCY', 64, 1, 1024),
    ...(publicUrl ? { publicUrl } : {}),
  };
}
