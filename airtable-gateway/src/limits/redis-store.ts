import { createHash, randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import type { Redis, Command as RedisCommand } from 'ioredis';
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
  /** Unique id for each admission (never starting with 's'); injected in tests. Defaults to a random prefix and a counter. */
  generateId?: () => string;
}

/** Redis's clock, shared by every process, in µs. */
const NOW = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
`;

/**
 * Applies settles: the answer to an admission made at `at` (µs) is back, so in each of its
 * logs one entry scored `at` moves to when the answer came (and is marked settled: its member
 * gains a leading 's'), so the admission counts from when its request had certainly reached
 * Airtable. Entries of equal score are interchangeable; a missing one (expired, or made by
 * another store) is left alone. The answer came `ago` µs before the call left its process
 * (measured there): the entry moves to Redis's now minus that, never before the answer in
 * Redis's clock.
 *
 * ARGV[from] is how many settles; then, for each, how many logs it names, `at` and `ago`.
 * Its logs are the KEYS from `firstKey` on, in the same order. `ttl` is the logs' TTL in ms.
 */
const SETTLE_FUNCTION = `
local function settleAll(from, firstKey, ttl)
  local k = firstKey
  for s = 0, tonumber(ARGV[from]) - 1 do
    local n = tonumber(ARGV[from + 1 + s * 3])
    local at = tonumber(ARGV[from + 2 + s * 3])
    local answered = math.max(at, now - tonumber(ARGV[from + 3 + s * 3]))
    if answered > at then
      for i = k, k + n - 1 do
        local entry = redis.call('ZRANGEBYSCORE', KEYS[i], at, at, 'LIMIT', 0, 1)
        if entry[1] then
          -- Settled entries are marked with a leading 's', so a waiter knows its slot's time is final.
          redis.call('ZREM', KEYS[i], entry[1])
          redis.call('ZADD', KEYS[i], answered, 's' .. entry[1])
          redis.call('PEXPIRE', KEYS[i], ttl)
        end
      end
    end
    k = k + n
  end
end
`;

/**
 * Atomically admits one request against every budget, or none, after applying the settles
 * that travel with it (so one call per admission carries both).
 *
 * KEYS: for budget i, KEYS[5i-4] is its log (a sorted set of admissions scored by time in
 * µs), KEYS[5i-3] its block marker, KEYS[5i-2] its pacing schedule (the time, in µs, the
 * next admission is due; admissions may come half an interval early), KEYS[5i-1] its line of
 * waiters (scored by when each first asked) and KEYS[5i] when each waiter last asked; after
 * the budgets' keys, the logs of the settles.
 * ARGV[1] is the effective window in µs, ARGV[2] a member unique to this admission, ARGV[3]
 * '1' to pace admissions window/limit apart, ARGV[4] the caller's waiter id ('' for none),
 * ARGV[5] the number of budgets B, ARGV[5+i] the limit of budget i; after the limits, how
 * long answers take (µs, added to the wait for a slot whose admission is not settled yet),
 * '1' when more wait behind the caller, and the settles (see SETTLE_FUNCTION).
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
const ACQUIRE_SCRIPT = `${NOW}${SETTLE_FUNCTION}
local window = tonumber(ARGV[1])
local member = ARGV[2]
local paced = ARGV[3] == '1'
local waiter = ARGV[4]
local budgets = tonumber(ARGV[5])
local answerTime = tonumber(ARGV[6 + budgets])
local more = ARGV[7 + budgets] == '1'
local ttl = math.ceil(window / 1000)
local lineTtl = math.ceil(window * 1.5 / 1000)

settleAll(8 + budgets, 5 * budgets + 1, ttl)

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

-- Budget i's block (µs, 0 for none) and live admissions, as the first look found them.
local blockedWait = {}
local counts = {}
-- Paced stores: budget i's schedule after this admission.
local tats = {}

-- How long until budget i, holding count admissions, has a slot for a caller with ahead
-- others before it in its line (<= 0: now). tat is the budget's pacing schedule.
local function slotWait(i, count, ahead, tat)
  local limit = tonumber(ARGV[5 + i])
  local wait = blockedWait[i]
  if paced then wait = math.max(wait, tat - window / limit / 2 - now) end
  -- This caller's slot is the (ahead + 1)-th to open: the entry at index count - limit + ahead
  -- (oldest first) must leave first; past the log's end, its slot opens a window from now at most.
  local leaves = count - limit + ahead
  if leaves >= count then
    wait = math.max(wait, window)
  elseif leaves >= 0 then
    local leaving = redis.call('ZRANGE', KEYS[5 * i - 4], leaves, leaves, 'WITHSCORES')
    local opens = tonumber(leaving[2]) + window
    -- Unsettled (its answer is not back): it will move to its answer's time, so expect that.
    if string.sub(leaving[1], 1, 1) ~= 's' then opens = opens + answerTime end
    wait = math.max(wait, opens - now)
  end
  return wait
end

-- How long until budget i has a slot for this caller (<= 0: now).
local function waitFor(i)
  local log = KEYS[5 * i - 4]
  local blocked = redis.call('PTTL', KEYS[5 * i - 3])
  blockedWait[i] = 0
  if blocked > 0 then blockedWait[i] = blocked * 1000 end
  redis.call('ZREMRANGEBYSCORE', log, '-inf', now - window)
  counts[i] = redis.call('ZCARD', log)
  local tat = 0
  if paced then tat = tonumber(redis.call('GET', KEYS[5 * i - 2]) or '0') end
  local ahead = 0
  if waiter ~= '' then ahead = place(i) end
  return slotWait(i, counts[i], ahead, tat)
end

local wait = 0
for i = 1, budgets do wait = math.max(wait, waitFor(i)) end
if wait > 0 then return {0, wait} end
-- More wait behind the caller: it keeps a place in each line, at the back (below).
local requeue = more and waiter ~= ''
for i = 1, budgets do
  redis.call('ZADD', KEYS[5 * i - 4], now, member)
  redis.call('PEXPIRE', KEYS[5 * i - 4], ttl)
  if waiter ~= '' and not requeue then
    redis.call('ZREM', KEYS[5 * i - 1], waiter)
    redis.call('ZREM', KEYS[5 * i], waiter)
  end
  if paced then
    local limit = tonumber(ARGV[5 + i])
    local tat = math.max(tonumber(redis.call('GET', KEYS[5 * i - 2]) or '0'), now) + window / limit
    local due = string.format('%.0f', tat)
    redis.call('SET', KEYS[5 * i - 2], due, 'PX', ttl)
    tats[i] = tonumber(due)
  end
end
if not requeue then return {1, now} end
-- The waiter goes to the back of each line (its lines' cleanup and expiry were just done at
-- this same time), and learns when its next slot opens without asking again: the logs hold
-- one admission more than the first look found, and nothing else changed since.
local nextWait = 0
for i = 1, budgets do
  redis.call('ZADD', KEYS[5 * i - 1], now, waiter)
  redis.call('ZADD', KEYS[5 * i], now, waiter)
  local ahead = redis.call('ZRANK', KEYS[5 * i - 1], waiter)
  nextWait = math.max(nextWait, slotWait(i, counts[i] + 1, ahead, tats[i] or 0))
end
return {1, now, math.max(0, nextWait)}
`;

/** Settles on their own, when no admission came to carry them: ARGV[1] is the logs' TTL in ms, the settles from ARGV[2]. */
const SETTLE_SCRIPT = `${NOW}${SETTLE_FUNCTION}
settleAll(2, 1, tonumber(ARGV[1]))
return 1
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
/**
 * ioredis's Command class, loaded with the first store: a value import here would load ioredis
 * in every gateway, and one without REDIS_URL never should (see shared-state.ts).
 */
let loadedCommand: typeof RedisCommand | undefined;
function commandClass(): typeof RedisCommand {
  if (!loadedCommand) {
    const require = createRequire(import.meta.url);
    loadedCommand = (require('ioredis') as typeof import('ioredis')).Command;
  }
  return loadedCommand;
}

export function createRedisStore(redis: Redis, options: RedisStoreOptions): AdmissionStore {
  const Command = commandClass();
  const windowMicros = Math.round(effectiveWindowMs(options) * 1000);
  const ttlMs = Math.ceil(windowMicros / 1000);
  const prefix = options.prefix ?? DEFAULT_REDIS_PREFIX;
  const generateId = options.generateId ?? admissionIds();
  const acquireScript = loadable(ACQUIRE_SCRIPT);
  const blockScript = loadable(BLOCK_SCRIPT);
  const settleScript = loadable(SETTLE_SCRIPT);
  const keysOf = budgetKeys(prefix);
  let closed = false;

  /** Settles held back, to travel with the next admission (or on their own after SETTLE_DELAY_MS). */
  let settles: PendingSettle[] = [];
  let flushTimer: NodeJS.Timeout | undefined;

  /** Takes the held-back settles: their logs go after `keys`, their arguments after `args`. */
  function takeSettles(keys: string[], args: (string | number)[]): PendingSettle[] {
    clearTimeout(flushTimer);
    flushTimer = undefined;
    const taken = settles;
    settles = [];
    const sentAt = performance.now();
    args.push(taken.length);
    for (const settle of taken) {
      const agoMicros = Math.max(0, Math.round((sentAt - settle.answeredAt) * 1000));
      args.push(settle.logs.length, settle.at, agoMicros);
      for (const log of settle.logs) keys.push(log);
    }
    return taken;
  }

  /** Runs a script carrying settles: they are done once it has run. */
  async function runWithSettles(script: Loadable, keys: string[], args: (string | number)[]) {
    const riding = takeSettles(keys, args);
    try {
      const reply = await run(script, keys, args);
      for (const settle of riding) settle.resolve();
      return reply;
    } catch (error) {
      for (const settle of riding) settle.reject(error);
      throw error;
    }
  }

  /** Sends every held-back settle now, in one call. */
  function flushSettles(): void {
    if (settles.length === 0) return;
    runWithSettles(settleScript, [], [ttlMs]).catch(() => {});
  }

  /**
   * Sends one script call. Straight to the connection, past ioredis's auto-pipelining: an
   * admission already carries its settles, and a pipeline built for one call costs about as
   * much again as the call itself. Calls still reach Redis in the order they are made.
   */
  function send(name: 'evalsha' | 'eval', args: (string | number)[]): Promise<unknown> {
    const command = new Command(name, args, {
      keyPrefix: redis.options.keyPrefix,
      replyEncoding: 'utf8',
      errorStack: redis.options.showFriendlyErrorStack ? new Error() : undefined,
    });
    redis.sendCommand(command);
    return command.promise;
  }

  async function run(script: Loadable, keys: string[], args: (string | number)[]): Promise<unknown> {
    if (closed) throw new LimitsError('LIMITS_STORE_CLOSED');
    try {
      try {
        return await send('evalsha', [script.sha, keys.length, ...keys, ...args]);
      } catch (error) {
        if (!String((error as Error | undefined)?.message).includes('NOSCRIPT')) throw error;
        // Redis restarted or flushed its script cache: send the body, which reloads it.
        return await send('eval', [script.body, keys.length, ...keys, ...args]);
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
      const reply = await runWithSettles(acquireScript, redisKeys, args);
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
      // Held back briefly and sent with the next admission (one call for both), or on its
      // own within SETTLE_DELAY_MS: long before the entry could leave the window.
      return new Promise<void>((resolve, reject) => {
        settles.push({
          logs: wanted.map(({ key }) => (keysOf(key) as string[])[0] as string),
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
      await run(blockScript, [`${prefix}${key}:block`], [duration]);
    },

    async close(): Promise<void> {
      flushSettles();
      closed = true;
    },
  };
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
