import { LimitsError } from './errors.ts';
import type { AdmissionStore, LimitKey } from './types.ts';

/**
 * The same budgets scaled down to `fraction` (0 < fraction ≤ 1) of their limits, rounded
 * down but never below 1. For a local fallback: with N gateway processes, a fraction of
 * 1/N keeps their sum within the shared limit while Redis is away.
 */
export function conservativeKeys(keys: readonly LimitKey[], fraction: number): LimitKey[] {
  checkFraction(fraction);
  // The epsilon keeps 100 × 0.29 at 29, not 28.999… → 28.
  return keys.map(({ key, limit }) => ({ key, limit: Math.max(1, Math.floor(limit * fraction + 1e-9)) }));
}

/** Wraps a store so that every `acquire` spends against `conservativeKeys(keys, fraction)`. */
export function scaleLimits(store: AdmissionStore, fraction: number): AdmissionStore {
  checkFraction(fraction);
  const settle = store.settle?.bind(store);
  return {
    acquire: (keys, how) => store.acquire(conservativeKeys(keys, fraction), how),
    ...(settle
      ? { settle: (keys: LimitKey[], at: number) => settle(conservativeKeys(keys, fraction), at) }
      : {}),
    block: (key, ms) => store.block(key, ms),
    close: () => store.close(),
  };
}

function checkFraction(fraction: number): void {
  if (!(fraction > 0 && fraction <= 1)) {
    throw new LimitsError('LIMITS_INVALID_SETTINGS', {
      message: `fraction must be in (0, 1], got ${fraction}`,
    });
  }
}
