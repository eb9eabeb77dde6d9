import { resolve } from 'node:path';
import { DEFAULT_EMULATOR_PORT, type EmulatorOptions } from '@airsuite/airtable-emulator';
import { ConfigError } from './config-error.ts';
import { integerSetting as integer } from './parse-setting.ts';

/** Flags of `airsuite emulator`, as commander hands them over (strings until validated here). */
export interface EmulatorFlags {
  port?: string;
  host?: string;
  seed?: string;
  data?: string;
  token?: string[];
  adminToken?: string;
  rateLimits?: boolean;
  perBase?: string;
  perOwner?: string;
  penaltyMs?: string;
  iteratorTtlMs?: string;
}

export type Env = Record<string, string | undefined>;

function seedFrom(raw: string | undefined): EmulatorOptions['seed'] {
  if (raw === undefined || raw === '' || raw === 'empty') return 'empty';
  if (raw === 'sample') return 'sample';
  if (raw.endsWith('.json')) return { file: resolve(raw) };
  throw new ConfigError(
    `--seed must be "sample", "empty" or a path to a .json fixture, got ${JSON.stringify(raw)}`,
  );
}

/** A comma-separated setting, blanks dropped. */
function list(raw: string | undefined): string[] {
  return (raw ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}

const OFF = new Set(['0', 'false', 'off', 'no']);

/** What a command picks when neither a flag nor the environment says. */
export interface EmulatorDefaults {
  /** Default 'empty'. */
  seed?: string;
  /** Where state is kept; in memory when absent. */
  dataDir?: string;
}

/**
 * Emulator settings: a flag wins over its environment variable, which wins over the
 * command's default. Validated once here, so the emulator never starts half-configured.
 */
export function emulatorOptionsFrom(
  flags: EmulatorFlags,
  env: Env,
  defaults: EmulatorDefaults = {},
): EmulatorOptions {
  const tokens = [...(flags.token ?? []), ...(env.EMULATOR_TOKEN ?? '').split(',')]
    .map((t) => t.trim())
    .filter(Boolean);
  for (const token of tokens) {
    if (!/^\S{8,256}$/.test(token))
      throw new ConfigError('Tokens must be 8 to 256 characters without spaces');
  }
  const enabled =
    flags.rateLimits === false ? false : !OFF.has((env.EMULATOR_RATE_LIMITS ?? 'on').toLowerCase());
  const rateLimits: EmulatorOptions['rateLimits'] = { enabled };
  const perBase = integer(
    '--per-base / EMULATOR_RATE_LIMIT_PER_BASE',
    flags.perBase ?? env.EMULATOR_RATE_LIMIT_PER_BASE,
    1,
    100_000,
  );
  const perOwner = integer(
    '--per-owner / EMULATOR_RATE_LIMIT_PER_OWNER',
    flags.perOwner ?? env.EMULATOR_RATE_LIMIT_PER_OWNER,
    1,
    100_000,
  );
  const penaltyMs = integer(
    '--penalty-ms / EMULATOR_RATE_LIMIT_PENALTY_MS',
    flags.penaltyMs ?? env.EMULATOR_RATE_LIMIT_PENALTY_MS,
    0,
    3_600_000,
  );
  if (perBase !== undefined) rateLimits.perBase = perBase;
  if (perOwner !== undefined) rateLimits.perOwner = perOwner;
  if (penaltyMs !== undefined) rateLimits.penaltyMs = penaltyMs;
  const options: EmulatorOptions = {
    port:
      integer('--port / EMULATOR_PORT', flags.port ?? env.EMULATOR_PORT, 0, 65_535) ?? DEFAULT_EMULATOR_PORT,
    host: flags.host ?? env.EMULATOR_HOST ?? '127.0.0.1',
    seed: seedFrom(flags.seed ?? env.EMULATOR_SEED ?? defaults.seed),
    tokens,
    rateLimits,
  };
  const adminToken = (flags.adminToken ?? env.EMULATOR_ADMIN_TOKEN ?? '').trim();
  if (adminToken) {
    if (!/^\S{16,256}$/.test(adminToken))
      throw new ConfigError(
        '--admin-token / EMULATOR_ADMIN_TOKEN must be 16 to 256 characters without spaces',
      );
    options.adminToken = adminToken;
  }
  const allowedHosts = list(env.EMULATOR_ALLOWED_HOSTS);
  if (allowedHosts.length > 0) options.allowedHosts = allowedHosts;
  const allowedOrigins = list(env.EMULATOR_ALLOWED_ORIGINS);
  if (allowedOrigins.length > 0) options.allowedOrigins = allowedOrigins;
  const data = flags.data ?? (env.EMULATOR_DATA_DIR?.trim() || defaults.dataDir);
  if (data) options.dataDir = resolve(data);
  const ttl = integer(
    '--iterator-ttl-ms / EMULATOR_ITERATOR_TTL_MS',
    flags.iteratorTtlMs ?? env.EMULATOR_ITERATOR_TTL_MS,
    1,
    86_400_000,
  );
  if (ttl !== undefined) options.iteratorTtlMs = ttl;
  return options;
}
