import { isLimitsError, LimitsError } from './errors.ts';
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
  const { primary, fallback, log } = options;
  const now = options.now ?? (() => performance.now());
  const healthy = options.isPrimaryHealthy ?? (() => true);
  const retryAfterMs = nonNegative(
    'retryPrimaryAfterMs',
    options.retryPrimaryAfterMs,
    DEFAULT_RETRY_PRIMARY_AFTER_MS,
  );
  const timeoutMs = nonNegative('timeoutMs', options.timeoutMs, DEFAULT_PRIMARY_TIMEOUT_MS);
  if (timeoutMs === 0) throw new LimitsError('LIMITS_INVALID_SETTINGS', { message: 'timeoutMs must be > 0' });
  const handoverMs = nonNegative('handoverMs', options.handoverMs, DEFAULT_HANDOVER_MS);

  let mode: 'primary' | 'fallback' = 'primary';
  let changedAt = Number.NEGATIVE_INFINITY;
  let nextProbeAt = 0;
  let probing = false;
  /** Blocks the primary did not receive: key → end time on our clock. */
  const missedBlocks = new Map<string, number>();

  function enterFallback(error: unknown): void {
    if (mode === 'fallback') return;
    mode = 'fallback';
    changedAt = now();
    nextProbeAt = changedAt + retryAfterMs;
    log('fallback', describe(error));
  }

  function rejoin(): void {
    const outageMs = now() - changedAt;
    mode = 'primary';
    changedAt = now();
    log('rejoined', `primary answered again after ${Math.round(outageMs)} ms on the fallback`);
    const replays = [...missedBlocks].map(([key, until]) =>
      primaryCall(primary.block(key, until - changedAt)),
    );
    missedBlocks.clear();
    // Best effort: a failed replay shows up as a failure of the next call.
    void Promise.allSettled(replays);
  }

  function primaryCall<T>(call: Promise<T>): Promise<T> {
    return withTimeout(call, timeoutMs);
  }

  /** Admission from the fallback, after the guard that follows falling back. */
  function fromFallback(keys: LimitKey[]): Promise<Admission> {
    const settledAt = changedAt + handoverMs;
    const at = now();
    if (at < settledAt)
      return Promise.resolve({ admitted: false, retryInMs: Math.max(1, Math.ceil(settledAt - at)) });
    return fallback.acquire(keys);
  }

  /**
   * Admission from the primary. A `guarded` call (handover, or a probe during an outage)
   * must pass the fallback first; a `probe` that the primary answers ends the outage.
   */
  async function fromPrimary(
    keys: LimitKey[],
    guarded: boolean,
    probe: boolean,
    how?: AcquireOptions,
  ): Promise<Admission> {
    if (guarded) {
      const local = await fallback.acquire(keys);
      if (!local.admitted) return local;
    }
    try {
      const answer = await primaryCall(primary.acquire(keys, how));
      if (probe) rejoin();
      return answer;
    } catch (error) {
      if (isLimitsError(error, 'LIMITS_INVALID_KEYS')) throw error;
      enterFallback(error);
      if (probe) nextProbeAt = now() + retryAfterMs;
      // A guarded call was already admitted by the fallback.
      return guarded ? { admitted: true } : fromFallback(keys);
    }
  }

  return {
    async acquire(keys: LimitKey[], how?: AcquireOptions): Promise<Admission> {
      const wanted = normalizeKeys(keys);
      if (mode === 'primary') {
        if (!healthy()) {
          enterFallback(new Error('isPrimaryHealthy() returned false'));
          return fromFallback(wanted);
        }
        return fromPrimary(wanted, now() < changedAt + handoverMs, false, how);
      }
      const at = now();
      if (probing || at < nextProbeAt || at < changedAt + handoverMs || !healthy())
        return fromFallback(wanted);
      probing = true;
      try {
        return await fromPrimary(wanted, true, true, how);
      } finally {
        probing = false;
      }
    },

    async settle(keys: LimitKey[], at: number): Promise<void> {
      // Each store only moves an admission it holds at exactly `at` (Redis counts in µs, the
      // fallback in ms), so asking both is safe. A failing primary is noticed by the next acquire.
      await fallback.settle?.(keys, at);
      if (mode === 'primary' && healthy() && primary.settle) {
        await primaryCall(primary.settle(keys, at)).catch(() => {});
      }
    },

    async block(key: string, ms: number): Promise<void> {
      await fallback.block(key, ms);
      if (mode === 'primary' && healthy()) {
        try {
          await primaryCall(primary.block(key, ms));
          return;
        } catch (error) {
          enterFallback(error);
        }
      }
      const until = now() + ms;
      missedBlocks.set(key, Math.max(missedBlocks.get(key) ?? 0, until));
    },

    async close(): Promise<void> {
      await Promise.allSettled([primary.close(), fallback.close()]);
    },

    mode: () => mode,
  };
}

function withTimeout<T>(call: Promise<T>, ms: number): Promise<T> {
  // A late answer or failure of `call` is ignored once the timeout has won.
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new LimitsError('LIMITS_STORE_TIMEOUT', { message: `No answer within ${ms} ms` })),
      ms,
    );
    call.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = isLimitsError(error) ? `${error.code}: ` : '';
  const cause = error.cause instanceof Error ? ` (${error.cause.message})` : '';
  return `${code}${error.message}${cause}`;
}

function nonNegative(name: string, value: number | undefined, fallbackValue: number): number {
  if (value === undefined) return fallbackValue;
  if (!Number.isFinite(value) || value < 0) {
    throw new LimitsError('LIMITS_INVALID_SETTINGS', { message: `${name} must be a finite number >= 0` });
  }
  return value;
}
