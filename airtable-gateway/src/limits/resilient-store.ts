import { LimitsError } from './errors.ts';
import {
  enterFallback,
  type Failover,
  fromFallback,
  fromPrimary,
  primaryCall,
} from './resilient-failover.ts';
import type { AcquireOptions, Admission, AdmissionStore, LimitKey } from './types.ts';
import { normalizeKeys } from './validate.ts';

/** A primary call that has not answered after this long counts as a failure. */
export const DEFAULT_PRIMARY_TIMEOUT_MS = 500;
/** While on the fallback, try the primary again this often. */
export const DEFAULT_RETRY_PRIMARY_AFTER_MS = 1_000;
/** One Airtable window (1 s) plus a generous safety margin. */
export const DEFAULT_HANDOVER_MS = 1_250;

export type ResilientStoreEvent = 'fallback' | 'rejoined';

export interface ResilientStoreOptions {
  /** The shared store (Redis). Any throw or timeout switches to the fallback. */
  primary: AdmissionStore;
  /** The local store used during an outage, with conservative budgets (see `scaleLimits`). */
  fallback: AdmissionStore;
  /** A cheap synchronous check, e.g. `() => redis.status === 'ready'`: false skips the primary. */
  isPrimaryHealthy?: () => boolean;
  /** Called once when an outage starts ('fallback') and once when it ends ('rejoined'). */
  log: (event: ResilientStoreEvent, detail: string) => void;
  /** Clock in ms (default `performance.now()`); timeouts use real timers. */
  now?: () => number;
  /** How often to try the primary again during an outage (default 1000 ms). */
  retryPrimaryAfterMs?: number;
  /** How long a primary call may take before it counts as failed (default 500 ms). */
  timeoutMs?: number;
  /**
   * Neither store knows what the other admitted, so each switch is guarded for this long
   * (default 1250 ms; set it to at least `windowMs + safetyMarginMs`):
   * - after falling back, admissions wait until the primary's admissions have left the window;
   * - after rejoining, an admission must pass the fallback as well as the primary.
   */
  handoverMs?: number;
}

export interface ResilientStore extends AdmissionStore {
  /** Which store answers right now. */
  mode(): 'primary' | 'fallback';
}

/**
 * Serves from `primary` while it answers, and from `fallback` while it does not: an
 * outage is logged once, the primary is tried again every `retryPrimaryAfterMs` (one
 * request probes at a time), and its first answer ends the outage. Never waits on the
 * primary for more than `timeoutMs`. Blocks go to both stores; blocks the primary missed
 * during an outage are replayed to it on rejoining.
 */
export function createResilientStore(options: ResilientStoreOptions): ResilientStore {
  const failover = startFailover(options);
  const { primary, fallback, now, healthy, handoverMs, missedBlocks } = failover;

  return {
    async acquire(keys: LimitKey[], how?: AcquireOptions): Promise<Admission> {
      const wanted = normalizeKeys(keys);
      if (failover.mode === 'primary') {
        if (!healthy()) {
          enterFallback(failover, new Error('isPrimaryHealthy() returned false'));
          return fromFallback(failover, wanted);
        }
        return fromPrimary(failover, wanted, now() < failover.changedAt + handoverMs, false, how);
      }
      const at = now();
      if (failover.probing || at < failover.nextProbeAt || at < failover.changedAt + handoverMs || !healthy())
        return fromFallback(failover, wanted);
      failover.probing = true;
      try {
        return await fromPrimary(failover, wanted, true, true, how);
      } finally {
        failover.probing = false;
      }
    },

    async settle(keys: LimitKey[], at: number): Promise<void> {
      // Each store only moves an admission it holds at exactly `at` (Redis counts in µs, the
      // fallback in ms), so asking both is safe. A failing primary is noticed by the next acquire.
      await fallback.settle?.(keys, at);
      if (failover.mode === 'primary' && healthy() && primary.settle) {
        await primaryCall(failover, primary.settle(keys, at)).catch(() => {});
      }
    },

    async block(key: string, ms: number): Promise<void> {
      await fallback.block(key, ms);
      if (failover.mode === 'primary' && healthy()) {
        try {
          await primaryCall(failover, primary.block(key, ms));
          return;
        } catch (error) {
          enterFallback(failover, error);
        }
      }
      const until = now() + ms;
      missedBlocks.set(key, Math.max(missedBlocks.get(key) ?? 0, until));
    },

    async close(): Promise<void> {
      await Promise.allSettled([primary.close(), fallback.close()]);
    },

    mode: () => failover.mode,
  };
}

/** Checks the timings once, at construction; the store starts on the primary. */
function startFailover(options: ResilientStoreOptions): Failover {
  const retryAfterMs = nonNegative(
    'retryPrimaryAfterMs',
    options.retryPrimaryAfterMs,
    DEFAULT_RETRY_PRIMARY_AFTER_MS,
  );
  const timeoutMs = nonNegative('timeoutMs', options.timeoutMs, DEFAULT_PRIMARY_TIMEOUT_MS);
  if (timeoutMs === 0) throw new LimitsError('LIMITS_INVALID_SETTINGS', { message: 'timeoutMs must be > 0' });
  const handoverMs = nonNegative('handoverMs', options.handoverMs, DEFAULT_HANDOVER_MS);
  return {
    primary: options.primary,
    fallback: options.fallback,
    log: options.log,
    now: options.now ?? (() => performance.now()),
    healthy: options.isPrimaryHealthy ?? (() => true),
    retryAfterMs,
    timeoutMs,
    handoverMs,
    mode: 'primary',
    changedAt: Number.NEGATIVE_INFINITY,
    nextProbeAt: 0,
    probing: false,
    missedBlocks: new Map(),
  };
}

function nonNegative(name: string, value: number | undefined, fallbackValue: number): number {
  if (value === undefined) return fallbackValue;
  if (!Number.isFinite(value) || value < 0) {
    throw new LimitsError('LIMITS_INVALID_SETTINGS', { message: `${name} must be a finite number >= 0` });
  }
  return value;
}
