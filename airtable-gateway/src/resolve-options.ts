import { pino } from 'pino';
import { z } from 'zod';
import { codedError } from './coded-error.ts';
import {
  DEFAULT_CONTENT_URL,
  GATEWAY_DEFAULTS,
  type GatewayOptions,
  type ResolvedGatewayOptions,
} from './options.ts';

const positiveInt = z.number().int().positive();
const nonNegativeInt = z.number().int().min(0);

const schema = z.object({
  upstreamUrl: z.string().url(),
  contentUrl: z.string().url(),
  perBaseLimit: positiveInt,
  perOwnerLimit: positiveInt,
  safetyMarginMs: nonNegativeInt.max(1000),
  sharedSafetyMarginMs: nonNegativeInt.max(1000),
  penaltyMs: nonNegativeInt,
  maxQueueLength: positiveInt,
  maxQueueWaitMs: positiveInt,
  requestTimeoutMs: positiveInt,
  maxAttempts: positiveInt.max(20),
  backoffBaseMs: nonNegativeInt,
  backoffMaxMs: nonNegativeInt,
  maxRateLimitRetries: nonNegativeInt.max(10),
  coalesce: z.boolean(),
  recordCacheTtlMs: nonNegativeInt,
  schemaCacheTtlMs: nonNegativeInt,
  ownerCacheTtlMs: positiveInt,
  fallbackBudgetFraction: z.number().gt(0).max(1),
});

/** The one code of GatewayConfigError. */
export type GatewayConfigErrorCode = 'GATEWAY_INVALID_OPTIONS';

/** Thrown for options the gateway cannot run with; `problems` names each one. */
export class GatewayConfigError extends codedError<GatewayConfigErrorCode>('GatewayConfigError') {
  constructor(readonly problems: string[]) {
    super('GATEWAY_INVALID_OPTIONS', `Invalid gateway options: ${problems.join('; ')}`);
  }
}

/** Airtable itself splits the API and content origins; anything else (the emulator) serves both. */
function defaultContentUrl(upstreamUrl: unknown): unknown {
  try {
    return new URL(String(upstreamUrl)).host === 'api.airtable.com' ? DEFAULT_CONTENT_URL : upstreamUrl;
  } catch {
    return upstreamUrl; // reported as upstreamUrl's problem
  }
}

/** Fills defaults, validates once, freezes: the gateway never runs half-configured. */
export function resolveGatewayOptions(options: GatewayOptions = {}): Readonly<ResolvedGatewayOptions> {
  const defined = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
  const merged = { ...GATEWAY_DEFAULTS, ...defined };
  const parsed = schema.safeParse({ contentUrl: defaultContentUrl(merged.upstreamUrl), ...merged });
  if (!parsed.success) {
    throw new GatewayConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  return Object.freeze({
    ...parsed.data,
    upstreamUrl: parsed.data.upstreamUrl.replace(/\/+$/, ''),
    contentUrl: parsed.data.contentUrl.replace(/\/+$/, ''),
    redisUrl: options.redisUrl,
    logger: options.logger ?? pino({ level: 'silent' }),
    fetch: options.fetch ?? ((...args: Parameters<typeof fetch>) => fetch(...args)),
    random: options.random ?? Math.random,
  });
}
