import { createHash } from 'node:crypto';

/*
 * The Lua scripts of the Redis store. Each runs as one atomic step in Redis, so processes
 * sharing a budget never see half an admission.
 */

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
export const ACQUIRE_SCRIPT = `${NOW}${SETTLE_FUNCTION}
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
export const SETTLE_SCRIPT = `${NOW}${SETTLE_FUNCTION}
settleAll(2, 1, tonumber(ARGV[1]))
return 1
`;

/** Sets a block marker for ARGV[1] ms, never shortening a longer block already there. */
export const BLOCK_SCRIPT = `
local ms = tonumber(ARGV[1])
if redis.call('PTTL', KEYS[1]) < ms then redis.call('SET', KEYS[1], '1', 'PX', ms) end
return 1
`;

/** A script as sent: by its SHA, or by its body once Redis has lost it. */
export interface Loadable {
  body: string;
  sha: string;
}

export function loadable(body: string): Loadable {
  return { body, sha: createHash('sha1').update(body).digest('hex') };
}
