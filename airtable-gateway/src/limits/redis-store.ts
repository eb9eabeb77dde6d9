import { createHash, randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { LimitsError } from './errors.ts';
import type { Admission, AdmissionStore, LimitKey, WindowSettings } from './types.ts';
import { blockDurationMs, checkKeyName, effectiveWindowMs, normalizeKeys } from './validate.ts';

/** Every key the store writes starts with this, unless `prefix` says otherwise. */
export const DEFAULT_REDIS_PREFIX = 'airsuite:gateway:';

export interface RedisStoreOptions extends WindowSettings {
  /**
   * Namespace for the store's Redis keys (default `airsuite:gateway:`). On Redis Cluster,
   * put a hash tag in it (`{airsuite}:gateway:`) so that one script's keys share a slot.
   */
  prefix?: string;
  /** Unique id for each admission; injected in tests. Defaults to `crypto.randomUUID`. */
  generateId?: () => string;
}

/**
 * Atomically admits one request against every budget, or none.
 *
 * KEYS: for budget i, KEYS[3i-2] is its log (a sorted set of admissions scored by time in
 * µs), KEYS[3i-1] its block marker and KEYS[3i] its pacing schedule (the time, in µs, the
 * next admission is due; admissions may come half an interval early). ARGV[1] is the effective window in µs, ARGV[2] a
 * member unique to this admission, ARGV[3] '1' to pace admissions window/limit apart,
 * ARGV[3+i] the limit of budget i.
 * Returns {1, time of the admission in µs} when admitted, {0, wait in µs} when refused.
 *
 * Time comes from Redis `TIME`, so every process shares one clock; scripts run one at a
 * time, so readings never go backwards between admissions. Redis ≥ 5 is needed (scripts
 * replicate their effects, which allows `TIME` before writes).
 */
const ACQUIRE_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local window = tonumber(ARGV[1])
local member = ARGV[2]
local paced = ARGV[3] == '1'
local budgets = #KEYS / 3
local wait = 0
for i = 1, budgets do
  local log = KEYS[3 * i - 2]
  local limit = tonumber(ARGV[3 + i])
  local blocked = redis.call('PTTL', KEYS[3 * i - 1])
  if blocked > 0 then wait = math.max(wait, blocked * 1000) end
  redis.call('ZREMRANGEBYSCORE', log, '-inf', now - window)
  local count = redis.call('ZCARD', log)
  if paced then
    local tat = tonumber(redis.call('GET', KEYS[3 * i]) or '0')
    wait = math.max(wait, tat - window / limit / 2 - now)
  end
  if count >= limit then
    local leaving = redis.call('ZRANGE', log, count - limit, count - limit, 'WITHSCORES')
    wait = math.max(wait, tonumber(leaving[2]) + window - now)
  end
end
if wait > 0 then return {0, wait} end
local ttl = math.ceil(window / 1000)
for i = 1, budgets do
  redis.call('ZADD', KEYS[3 * i - 2], now, member)
  redis.call('PEXPIRE', KEYS[3 * i - 2], ttl)
  if paced then
    local limit = tonumber(ARGV[3 + i])
    local tat = math.max(tonumber(redis.call('GET', KEYS[3 * i]) or '0'), now) + window / limit
    redis.call('SET', KEYS[3 * i], string.format('%.0f', tat), 'PX', ttl)
  end
end
return {1, now}
`;

/**
 * The answer to an admission made at ARGV[1] (µs) is back: in each log (KEYS), one entry
 * scored ARGV[1] moves to now, so the admission counts from when its request had certainly
 * reached Airtable. Entries of equal score are interchangeable; a missing one (expired, or
 * made by another store) is left alone. ARGV[2] is the logs' TTL in ms.
 */
const SETTLE_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local at = tonumber(ARGV[1])
if now <= at then return 0 end
local moved = 0
for i = 1, #KEYS do
  local entry = redis.call('ZRANGEBYSCORE', KEYS[i], at, at, 'LIMIT', 0, 1)
  if entry[1] then
    redis.call('ZADD', KEYS[i], 'XX', now, entry[1])
    redis.call('PEXPIRE', KEYS[i], tonumber(ARGV[2]))
    moved = moved + 1
  end
end
return moved
`;

/** Sets a block marker for ARGV[1] ms, never shortening a longer block already there. */
const BLOCK_SCRIPT = `
local ms = tonumber(ARGV[1])
if redis.call('PTTL', KEYS[1]) < ms then redis.call('SET', KEYS[1], '1', 'PX', ms) end
return 1
`;

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
  const windowMicros = Math.round(effectiveWindowMs(options) * 1000);
  const prefix = options.prefix ?? DEFAULT_REDIS_PREFIX;
  const generateId = options.generateId ?? randomUUID;
  const acquireScript = loadable(ACQUIRE_SCRIPT);
  const blockScript = loadable(BLOCK_SCRIPT);
  const settleScript = loadable(SETTLE_SCRIPT);
  let closed = false;

  const logKey = (key: string): string => `${prefix}${key}:log`;
  const blockKey = (key: string): string => `${prefix}${key}:block`;

  async function run(script: Loadable, keys: string[], args: (string | number)[]): Promise<unknown> {
    if (closed) throw new LimitsError('LIMITS_STORE_CLOSED');
    try {
      try {
        return await redis.evalsha(script.sha, keys.length, ...keys, ...args);
      } catch (error) {
        if (!String((error as Error | undefined)?.message).includes('NOSCRIPT')) throw error;
        // Redis restarted or flushed its script cache: send the body, which reloads it.
        return await redis.eval(script.body, keys.length, ...keys, ...args);
      }
    } catch (error) {
      throw new LimitsError('LIMITS_STORE_FAILED', { cause: error });
    }
  }

  return {
    async acquire(keys: LimitKey[]): Promise<Admission> {
      const wanted = normalizeKeys(keys);
      if (wanted.length === 0) return { admitted: true };
      const redisKeys = wanted.flatMap(({ key }) => [logKey(key), blockKey(key), `${prefix}${key}:pace`]);
      const args = [
        windowMicros,
        generateId(),
        options.paced ? '1' : '0',
        ...wanted.map(({ limit }) => limit),
      ];
      const reply = await run(acquireScript, redisKeys, args);
      if (!Array.isArray(reply) || typeof reply[0] !== 'number' || typeof reply[1] !== 'number') {
        throw new LimitsError('LIMITS_STORE_FAILED', {
          message: `Unexpected script reply: ${String(reply)}`,
        });
      }
      if (reply[0] === 1) return { admitted: true, at: reply[1] };
      return { admitted: false, retryInMs: Math.max(1, Math.ceil(reply[1] / 1000)) };
    },

    async settle(keys: LimitKey[], at: number): Promise<void> {
      const wanted = normalizeKeys(keys);
      if (wanted.length === 0 || !Number.isSafeInteger(at) || at <= 0) return;
      await run(
        settleScript,
        wanted.map(({ key }) => logKey(key)),
        [at, Math.ceil(windowMicros / 1000)],
      );
    },

    async block(key: string, ms: number): Promise<void> {
      checkKeyName(key);
      const duration = blockDurationMs(ms);
      if (duration === 0) return;
      await run(blockScript, [blockKey(key)], [duration]);
    },

    async close(): Promise<void> {
      closed = true;
    },
  };
}

interface Loadable {
  body: string;
  sha: string;
}

function loadable(body: string): Loadable {
  return { body, sha: createHash('sha1').update(body).digest('hex') };
}
