import { LimitsError } from './errors.ts';
import type { Admission, AdmissionStore, LimitKey, WindowSettings } from './types.ts';
import { blockDurationMs, checkKeyName, effectiveWindowMs, normalizeKeys } from './validate.ts';

export interface MemoryStoreOptions extends WindowSettings {
  /**
   * The clock, in ms. Defaults to `performance.now()`, which never jumps back when the
   * wall clock is adjusted; only differences between readings matter here.
   */
  now?: () => number;
}

export interface MemoryStore extends AdmissionStore {
  /** How many keys the store holds right now, for a metrics gauge (idle keys are dropped). */
  trackedKeys(): number;
}

interface KeyState {
  /** Admission times still inside the window, oldest first. */
  times: number[];
  /** Admissions are refused until this time (0: not blocked). */
  blockedUntil: number;
  /** Paced stores: when the next admission is due on the ideal, evenly spaced schedule. */
  tat?: number;
}

/**
 * A sliding-window log per key, held in this process only: exact for one process, and the
 * fallback of a resilient store when the shared store is down.
 *
 * Guarantee: for each key, no interval of `windowMs + safetyMarginMs` ms holds more than
 * `limit` admissions. An admission at time `t` stops counting at `t + window` exactly.
 *
 * Memory is bounded: a key holds at most `limit` timestamps, and keys with nothing inside
 * the window and no block are dropped (swept at most once per window, on `acquire`).
 */
export function createMemoryStore(options: MemoryStoreOptions): MemoryStore {
  const windowMs = effectiveWindowMs(options);
  const now = options.now ?? (() => performance.now());
  const paced = options.paced === true;
  const states = new Map<string, KeyState>();
  let lastSweep = Number.NEGATIVE_INFINITY;
  let closed = false;

  /** Drops the times that have left the window; true when the key holds nothing anymore. */
  function prune(state: KeyState, at: number): boolean {
    const times = state.times;
    let gone = 0;
    while (gone < times.length && (times[gone] as number) + windowMs <= at) gone++;
    if (gone > 0) times.splice(0, gone);
    return times.length === 0 && state.blockedUntil <= at && (state.tat ?? 0) <= at;
  }

  function sweep(at: number): void {
    if (at - lastSweep < windowMs) return;
    lastSweep = at;
    for (const [key, state] of states) {
      if (prune(state, at)) states.delete(key);
    }
  }

  /** How long `state` must wait before it has room for one more admission (≤ 0: room now). */
  function waitFor(state: KeyState, limit: number, at: number): number {
    let wait = state.blockedUntil - at;
    const count = state.times.length;
    // Pacing is measured against the ideal schedule (`tat`), not the last admission, so
    // timer lateness does not pile up into lost throughput; half an interval of slack.
    if (paced && state.tat !== undefined) wait = Math.max(wait, state.tat - windowMs / limit / 2 - at);
    if (count >= limit) {
      // After this admission, `limit` admissions must fit in the window: the one at index
      // `count - limit` is the newest that has to leave first.
      const leaves = (state.times[count - limit] as number) + windowMs;
      wait = Math.max(wait, leaves - at);
    }
    return wait;
  }

  function stateOf(key: string): KeyState {
    let state = states.get(key);
    if (state === undefined) {
      state = { times: [], blockedUntil: 0 };
      states.set(key, state);
    }
    return state;
  }

  function ensureOpen(): void {
    if (closed) throw new LimitsError('LIMITS_STORE_CLOSED');
  }

  return {
    async acquire(keys: LimitKey[]): Promise<Admission> {
      ensureOpen();
      const wanted = normalizeKeys(keys);
      const at = now();
      sweep(at);
      let wait = 0;
      for (const { key, limit } of wanted) {
        const state = states.get(key);
        if (state === undefined) continue;
        prune(state, at);
        wait = Math.max(wait, waitFor(state, limit, at));
      }
      if (wait > 0) return { admitted: false, retryInMs: Math.max(1, Math.ceil(wait)) };
      for (const { key, limit } of wanted) {
        const state = stateOf(key);
        state.times.push(at);
        if (paced) state.tat = Math.max(state.tat ?? at, at) + windowMs / limit;
      }
      return { admitted: true, at };
    },

    async settle(keys: LimitKey[], admittedAt: number): Promise<void> {
      if (closed) return;
      const at = now();
      for (const { key } of normalizeKeys(keys)) {
        const times = states.get(key)?.times;
        if (!times) continue;
        const index = times.lastIndexOf(admittedAt);
        if (index < 0 || at <= admittedAt) continue;
        times.splice(index, 1);
        // Keep the log sorted: the moved admission goes after every earlier one.
        let insert = times.length;
        while (insert > 0 && (times[insert - 1] as number) > at) insert--;
        times.splice(insert, 0, at);
      }
    },

    async block(key: string, ms: number): Promise<void> {
      ensureOpen();
      checkKeyName(key);
      const duration = blockDurationMs(ms);
      if (duration === 0) return;
      const state = stateOf(key);
      state.blockedUntil = Math.max(state.blockedUntil, now() + duration);
    },

    async close(): Promise<void> {
      closed = true;
      states.clear();
    },

    trackedKeys(): number {
      sweep(now());
      return states.size;
    },
  };
}
