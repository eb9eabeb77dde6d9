import { LimitsError } from './errors.ts';
import { type KeyState, keyState, moveAdmission, pruneKey, waitForRoom } from './memory-key-state.ts';
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

  function sweep(at: number): void {
    if (at - lastSweep < windowMs) return;
    lastSweep = at;
    for (const [key, state] of states) {
      if (pruneKey(state, at, windowMs)) states.delete(key);
    }
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
        pruneKey(state, at, windowMs);
        wait = Math.max(wait, waitForRoom(state, limit, at, windowMs, paced));
      }
      if (wait > 0) return { admitted: false, retryInMs: Math.max(1, Math.ceil(wait)) };
      for (const { key, limit } of wanted) {
        const state = keyState(states, key);
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
        if (times) moveAdmission(times, admittedAt, at);
      }
    },

    async block(key: string, ms: number): Promise<void> {
      ensureOpen();
      checkKeyName(key);
      const duration = blockDurationMs(ms);
      if (duration === 0) return;
      const state = keyState(states, key);
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
