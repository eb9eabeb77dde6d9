import { createHash, randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { LimitsError } from './errors.ts';
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
  /** Unique id for each admission; injected in tests. Defaults to `crypto.randomUUID`. */
  generateId?: () => string;
}

/**
 * Atomically admits one request against every budget, or none.
 *
 * KEYS: for budget i, KEYS[5i-4] is its log (a sorted set of admissions scored by time in
 * µs), KEYS[5i-3] its block marker, KEYS[5i-2] its pacing schedule (the time, in µs, the
 * next admission is due; admissions may come half an interval early), KEYS[5i-1] its line of
 * waiters (scored by when each first asked) and KEYS[5i] when each waiter last asked.
 * ARGV[1] is the effective window in µs, ARGV[2] a member unique to this admission, ARGV[3]
 * '1' to pace admissions window/limit apart, ARGV[4] the caller's waiter id ('' for none),
 * ARGV[4+i] the limit of budget i; after the limits, how long answers take (µs, added to the
 * wait for a slot whose admission is not settled yet) and '1' when more wait behind the caller.
 * Returns {1, time of the admission in µs[, wait in µs for the caller's next slot]} when
 * admitted, {0, wait in µs} when refused.
 *
 * A caller with a waiter id (one per process and queue) takes its place in each budget's
 * line: the slots that open go to the waiters in the order they first asked, so the callers
 * of several processes do not all wake for the same slot and all but one ask in vain. Each
 * is told when its own slot opens. A waiter that stops asking for 1.5 windows loses its place.
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
local waiter = ARGV[4]
local budgets = #KEYS / 5
local answerTime = tonumber(ARGV[5 + budgets] or '0')
local more = ARGV[6 + budgets] == '1'
local ttl = math.ceil(window / 1000)
local lineTtl = math.ceil(window * 1.5 / 1000)

-- Takes the waiter's place in budget i's line (keeping it if it has one); its rank there.
local function place(i)
  local line = KEYS[5 * i - 1]
  local seen = KEYS[5 * i]
  local gone = redis.call('ZRANGEBYSCORE', seen, '-inf', now - window * 1.5)
  if #gone > 0 then
    redis.call('ZREM', line, unpack(gone))
    redis.call('ZREM', seen, unpack(gone))
  end
  redis.call('ZADD', line, 'NX', now, waiter)
  redis.call('ZADD', seen, now, waiter)
  redis.call('PEXPIRE', line, lineTtl)
  redis.call('PEXPIRE', seen, lineTtl)
  return redis.call('ZRANK', line, waiter)
end

-- How long until budget i has a slot for this caller (<= 0: now).
local function waitFor(i)
  local log = KEYS[5 * i - 4]
  local limit = tonumber(ARGV[4 + i])
  local wait = 0
  local blocked = redis.call('PTTL', KEYS[5 * i - 3])
  if blocked > 0 then wait = blocked * 1000 end
  redis.call('ZREMRANGEBYSCORE', log, '-inf', now - window)
  local count = redis.call('ZCARD', log)
  if paced then
    local tat = tonumber(redis.call('GET', KEYS[5 * i - 2]) or '0')
    wait = math.max(wait, tat - window / limit / 2 - now)
  end
  local ahead = 0
  if waiter ~= '' then ahead = place(i) end
  -- This caller's slot is the (ahead + 1)-th to open: the entry at index count - limit + ahead
  -- (oldest first) must leave first; past the log's end, its slot opens a window from now at most.
  local leaves = count - limit + ahead
  if leaves >= count then
    wait = math.max(wait, window)
  elseif leaves >= 0 then
    local leaving = redis.call('ZRANGE', log, leaves, leaves, 'WITHSCORES')
    local opens = tonumber(leaving[2]) + window
    -- Unsettled (its answer is not back): it will move to its answer's time, so expect that.
    if string.sub(leaving[1], 1, 1) ~= 's' then opens = opens + answerTime end
    wait = math.max(wait, opens - now)
  end
  return wait
end

local wait = 0
for i = 1, budgets do wait = math.max(wait, waitFor(i)) end
if wait > 0 then return {0, wait} end
for i = 1, budgets do
  redis.call('ZADD', KEYS[5 * i - 4], now, member)
  redis.call('PEXPIRE', KEYS[5 * i - 4], ttl)
  if waiter ~= '' then
    redis.call('ZREM', KEYS[5 * i - 1], waiter)
    redis.call('ZREM', KEYS[5 * i], waiter)
  end
  if paced then
    local limit = tonumber(ARGV[4 + i])
    local tat = math.max(tonumber(redis.call('GET', KEYS[5 * i - 2]) or '0'), now) + window / limit
    redis.call('SET', KEYS[5 * i - 2], string.format('%.0f', tat), 'PX', ttl)
  end
end
if not more or waiter == '' then return {1, now} end
-- More wait behind it: the waiter goes to the back of each line, and learns when its next
-- slot opens without asking again.
local nextWait = 0
for i = 1, budgets do nextWait = math.max(nextWait, waitFor(i)) end
return {1, now, math.max(0, nextWait)}
`;

/**
 * The answer to an admission made at ARGV[1] (µs) is back: in each log (KEYS), one entry
 * scored ARGV[1] moves to now (and is marked settled: its member gains a leading 's'), so the
 * admission counts from when its request had certainly reached Airtable. Entries of equal score are interchangeable; a missing one (expired, or
 * made by another store) is left alone. ARGV[2] is the logs' TTL in ms, ARGV[3] how long
 * before the call the answer came (µs, measured in the calling process): the entry moves to
 * Redis's now minus that, which is never before the answer in Redis's clock.
 */
const SETTLE_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local at = tonumber(ARGV[1])
-- The answer came ARGV[3] µs before this call left its process: no earlier than now minus that.
local answered = math.max(at, now - tonumber(ARGV[3] or '0'))
if answered <= at then return 0 end
local moved = 0
for i = 1, #KEYS do
  local entry = redis.call('ZRANGEBYSCORE', KEYS[i], at, at, 'LIMIT', 0, 1)
  if entry[1] then
    -- Settled entries are marked with a leading 's', so a waiter knows its slot's time is final.
    redis.call('ZREM', KEYS[i], entry[1])
    redis.call('ZADD', KEYS[i], answered, 's' .. entry[1])
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

  const settles: PendingSettle[] = [];
  let flushTimer: NodeJS.Timeout | undefined;
  /** Sends every held-back settle now; in the same tick as an admission, ioredis pipelines them. */
  function flushSettles(): void {
    clearTimeout(flushTimer);
    flushTimer = undefined;
    const sentAt = performance.now();
    const ttlMs = Math.ceil(windowMicros / 1000);
    for (const settle of settles.splice(0)) {
      const agoMicros = Math.max(0, Math.round((sentAt - settle.answeredAt) * 1000));
      run(settleScript, settle.logs, [settle.at, ttlMs, agoMicros]).then(
        () => settle.resolve(),
        settle.reject,
      );
    }
  }

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
    async acquire(keys: LimitKey[], how: AcquireOptions = {}): Promise<Admission> {
      const wanted = normalizeKeys(keys);
      if (wanted.length === 0) return { admitted: true };
      const redisKeys: string[] = [];
      for (const { key } of wanted) {
        redisKeys.push(
          logKey(key),
          blockKey(key),
          `${prefix}${key}:pace`,
          `${prefix}${key}:line`,
          `${prefix}${key}:seen`,
        );
      }
      const args = [
        windowMicros,
        generateId(),
        options.paced ? '1' : '0',
        how.waiter ?? '',
        ...wanted.map(({ limit }) => limit),
        Math.round((how.answerMs ?? 0) * 1000),
        how.more ? '1' : '0',
      ];
      if (settles.length > 0) flushSettles();
      const reply = await run(acquireScript, redisKeys, args);
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
    },

    async settle(keys: LimitKey[], at: number): Promise<void> {
      const wanted = normalizeKeys(keys);
      if (wanted.length === 0 || !Number.isSafeInteger(at) || at <= 0) return;
      if (closed) throw new LimitsError('LIMITS_STORE_CLOSED');
      // Held back briefly and sent with the next admission (one round trip for both), or on
      // its own within SETTLE_DELAY_MS: long before the entry could leave the window.
      return new Promise<void>((resolve, reject) => {
        settles.push({
          logs: wanted.map(({ key }) => logKey(key)),
          at,
          answeredAt: performance.now(),
          resolve,
          reject,
        });
        flushTimer ??= setTimeout(flushSettles, SETTLE_DELAY_MS);
      });
    },

    async block(key: string, ms: number): Promise<void> {
      checkKeyName(key);
      const duration = blockDurationMs(ms);
      if (duration === 0) return;
      await run(blockScript, [blockKey(key)], [duration]);
    },

    async close(): Promise<void> {
      if (settles.length > 0) flushSettles();
      closed = true;
    },
  };
}

/** Longest a settle is held back for an admission to travel with. */
const SETTLE_DELAY_MS = 20;

interface PendingSettle {
  logs: string[];
  at: number;
  /** `performance.now()` when the answer came back. */
  answeredAt: number;
  resolve(): void;
  reject(error: unknown): void;
}

interface Loadable {
  body: string;
  sha: string;
}

function loadable(body: string): Loadable {
  return { body, sha: createHash('sha1').update(body).digest('hex') };
}
