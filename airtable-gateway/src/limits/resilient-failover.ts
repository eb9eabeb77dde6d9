import { isLimitsError, LimitsError } from './errors.ts';
import type { ResilientStoreEvent } from './resilient-store.ts';
import type { AcquireOptions, Admission, AdmissionStore, LimitKey } from './types.ts';

/**
 * What a resilient store switches on: its two stores, its settings, and which store answers
 * since when. One object per store, made at construction, so that the functions below share
 * it without a closure of their own.
 */
export interface Failover {
  readonly primary: AdmissionStore;
  readonly fallback: AdmissionStore;
  readonly log: (event: ResilientStoreEvent, detail: string) => void;
  readonly now: () => number;
  readonly healthy: () => boolean;
  readonly retryAfterMs: number;
  readonly timeoutMs: number;
  readonly handoverMs: number;
  mode: 'primary' | 'fallback';
  /** When `mode` last changed, on `now`'s clock: each switch is guarded for `handoverMs`. */
  changedAt: number;
  /** During an outage, when the primary may be tried again. */
  nextProbeAt: number;
  /** One request probes the primary at a time. */
  probing: boolean;
  /** Blocks the primary did not receive: key → end time on our clock. */
  readonly missedBlocks: Map<string, number>;
}

export function enterFallback(failover: Failover, error: unknown): void {
  if (failover.mode === 'fallback') return;
  failover.mode = 'fallback';
  failover.changedAt = failover.now();
  failover.nextProbeAt = failover.changedAt + failover.retryAfterMs;
  failover.log('fallback', describe(error));
}

function rejoin(failover: Failover): void {
  const outageMs = failover.now() - failover.changedAt;
  failover.mode = 'primary';
  failover.changedAt = failover.now();
  failover.log('rejoined', `primary answered again after ${Math.round(outageMs)} ms on the fallback`);
  const replays = [...failover.missedBlocks].map(([key, until]) =>
    primaryCall(failover, failover.primary.block(key, until - failover.changedAt)),
  );
  failover.missedBlocks.clear();
  // Best effort: a failed replay shows up as a failure of the next call.
  void Promise.allSettled(replays);
}

export function primaryCall<T>(failover: Failover, call: Promise<T>): Promise<T> {
  return withTimeout(call, failover.timeoutMs);
}

/** Admission from the fallback, after the guard that follows falling back. */
export function fromFallback(failover: Failover, keys: LimitKey[]): Promise<Admission> {
  const settledAt = failover.changedAt + failover.handoverMs;
  const at = failover.now();
  if (at < settledAt)
    return Promise.resolve({ admitted: false, retryInMs: Math.max(1, Math.ceil(settledAt - at)) });
  return failover.fallback.acquire(keys);
}

/**
 * Admission from the primary. A `guarded` call (handover, or a probe during an outage)
 * must pass the fallback first; a `probe` that the primary answers ends the outage.
 */
export async function fromPrimary(
  failover: Failover,
  keys: LimitKey[],
  guarded: boolean,
  probe: boolean,
  how?: AcquireOptions,
): Promise<Admission> {
  if (guarded) {
    const local = await failover.fallback.acquire(keys);
    if (!local.admitted) return local;
  }
  try {
    const answer = await primaryCall(failover, failover.primary.acquire(keys, how));
    if (probe) rejoin(failover);
    return answer;
  } catch (error) {
    if (isLimitsError(error, 'LIMITS_INVALID_KEYS')) throw error;
    enterFallback(failover, error);
    if (probe) failover.nextProbeAt = failover.now() + failover.retryAfterMs;
    // A guarded call was already admitted by the fallback.
    return guarded ? { admitted: true } : fromFallback(failover, keys);
  }
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
