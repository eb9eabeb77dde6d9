import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { LimitsError } from './errors.ts';
import { type ScriptCall, scriptCaller } from './redis-script-call.ts';
import { ACQUIRE_SCRIPT, BLOCK_SCRIPT, loadable } from './redis-scripts.ts';
import { holdSettles } from './redis-settles.ts';
import type { AcquireOptions, Admission, AdmissionStore, LimitKey, WindowSettings } from './types.ts';
import { blockDurationMs, checkKeyName, effectiveWindowMs, normalizeKeys } from './validate.ts';

/** Every key the store writes starts with this, unless `prefix` says otherwise. */
export const DEFAULT_REDIS_PREFIX = 'airsuite:gateway:';

export interface RedisStoreOptions extends WindowSettings {
  /**
   * Namespace for the store's Redis keys (default `airsuite:gateway:`). On Redis Cluster,
   * put a hash tag in it (`{airsuite}:gateway:`) so that one script's keys share a slot.
   */
  prefix?: string;
  /** Unique id for each admission (never starting with 's'); injected in tests. Defaults to a random prefix and a counter. */
  generateId?: () => string;
}

/**
 * The shared store: a sliding-window log per key in Redis, exact across any number of
 * processes. For each key, no interval of `windowMs + safetyMarginMs` ms (by Redis's clock)
 * holds more than `limit` admissions.
 *
 * Each key's log expires one window after its last admission and block markers expire
 * with the block, so idle keys leave nothing behind; a key that comes back simply starts
 * empty (no settings key to lose, unlike Bottleneck's `SETTINGS_KEY_NOT_FOUND`).
 *
 * The Redis client is injected and stays the caller's: `close()` does not disconnect it.
 * Redis failures reject with `LIMITS_STORE_FAILED` (the cause attached).
 */
export function createRedisStore(redis: Redis, options: RedisStoreOptions): AdmissionStore {
  const call = scriptCaller(redis);
  const windowMicros = Math.round(effectiveWindowMs(options) * 1000);
  const prefix = options.prefix ?? DEFAULT_REDIS_PREFIX;
  const generateId = options.generateId ?? admissionIds();
  const acquireScript = loadable(ACQUIRE_SCRIPT);
  const blockScript = loadable(BLOCK_SCRIPT);
  const keysOf = budgetKeys(prefix);
  let closed = false;
  const run: ScriptCall = (script, keys, args) =>
    closed ? Promise.reject(new LimitsError('LIMITS_STORE_CLOSED')) : call(script, keys, args);
  const settles = holdSettles(run, Math.ceil(windowMicros / 1000));

  return {
    async acquire(keys: LimitKey[], how: AcquireOptions = {}): Promise<Admission> {
      const wanted = normalizeKeys(keys);
      if (wanted.length === 0) return { admitted: true };
      const redisKeys: string[] = [];
      const args: (string | number)[] = [
        windowMicros,
        generateId(),
        options.paced ? '1' : '0',
        how.waiter ?? '',
        wanted.length,
      ];
      for (const { key, limit } of wanted) {
        for (const name of keysOf(key)) redisKeys.push(name);
        args.push(limit);
      }
      args.push(Math.round((how.answerMs ?? 0) * 1000), how.more ? '1' : '0');
      // Settles made before this admission are applied before it, in the same call.
      return admissionOf(await settles.runWith(acquireScript, redisKeys, args));
    },

    async settle(keys: LimitKey[], at: number): Promise<void> {
      const wanted = normalizeKeys(keys);
      if (wanted.length === 0 || !Number.isSafeInteger(at) || at <= 0) return;
      if (closed) throw new LimitsError('LIMITS_STORE_CLOSED');
      // Held back briefly and sent with the next admission (one call for both), or on its own.
      return settles.hold(
        wanted.map(({ key }) => (keysOf(key) as string[])[0] as string),
        at,
      );
    },

    async block(key: string, ms: number): Promise<void> {
      checkKeyName(key);
      const duration = blockDurationMs(ms);
      if (duration === 0) return;
      await run(blockScript, [`${prefix}${key}:block`], [duration]);
    },

    async close(): Promise<void> {
      settles.flush();
      closed = true;
    },
  };
}

/** The acquire script's reply as an admission (times in µs, waits rounded up to ms). */
function admissionOf(reply: unknown): Admission {
  if (!Array.isArray(reply) || typeof reply[0] !== 'number' || typeof reply[1] !== 'number') {
    throw new LimitsError('LIMITS_STORE_FAILED', {
      message: `Unexpected script reply: ${String(reply)}`,
    });
  }
  if (reply[0] === 1) {
    if (typeof reply[2] !== 'number') return { admitted: true, at: reply[1] };
    return { admitted: true, at: reply[1], nextInMs: Math.ceil(reply[2] / 1000) };
  }
  return { admitted: false, retryInMs: Math.max(1, Math.ceil(reply[1] / 1000)) };
}

/** Budgets whose Redis key names are kept built; past this many, the list starts again. */
const MAX_KEPT_BUDGETS = 10_000;

/** A budget's five Redis keys (log, block, pace, line, seen; see ACQUIRE_SCRIPT), built once per budget. */
function budgetKeys(prefix: string): (key: string) => readonly string[] {
  const built = new Map<string, readonly string[]>();
  return (key) => {
    let names = built.get(key);
    if (!names) {
      const base = `${prefix}${key}`;
      names = [`${base}:log`, `${base}:block`, `${base}:pace`, `${base}:line`, `${base}:seen`];
      if (built.size >= MAX_KEPT_BUDGETS) built.clear();
      built.set(key, names);
    }
    return names;
  };
}

/**
 * Admission ids unique across processes: a random prefix per store, then a counter. Hex and
 * base 36 only, so an id never starts with 's' (the mark of a settled entry).
 */
function admissionIds(): () => string {
  const prefix = randomBytes(8).toString('hex');
  let count = 0;
  return () => `${prefix}${(count++).toString(36)}`;
}
