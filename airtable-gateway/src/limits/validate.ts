import { LimitsError } from './errors.ts';
import type { LimitKey, WindowSettings } from './types.ts';

/** Checks the window once, at construction, and returns the effective window in ms. */
export function effectiveWindowMs(settings: WindowSettings): number {
  const { windowMs, safetyMarginMs } = settings;
  if (!Number.isFinite(windowMs) || windowMs <= 0) {
    throw new LimitsError('LIMITS_INVALID_SETTINGS', { message: `windowMs must be > 0, got ${windowMs}` });
  }
  if (!Number.isFinite(safetyMarginMs) || safetyMarginMs < 0) {
    throw new LimitsError('LIMITS_INVALID_SETTINGS', {
      message: `safetyMarginMs must be >= 0, got ${safetyMarginMs}`,
    });
  }
  return windowMs + safetyMarginMs;
}

export function checkKeyName(key: string): void {
  if (typeof key !== 'string' || key.length === 0) {
    throw new LimitsError('LIMITS_INVALID_KEYS', { message: 'A limit key must be a non-empty string' });
  }
}

/**
 * Validates keys and merges duplicates (the smallest limit wins), so that every store
 * spends one unit per distinct key, whatever the caller passed.
 */
export function normalizeKeys(keys: readonly LimitKey[]): LimitKey[] {
  const merged = new Map<string, number>();
  for (const { key, limit } of keys) {
    checkKeyName(key);
    if (!Number.isInteger(limit) || limit < 1) {
      throw new LimitsError('LIMITS_INVALID_KEYS', {
        message: `The limit for "${key}" must be a positive integer, got ${limit}`,
      });
    }
    const seen = merged.get(key);
    merged.set(key, seen === undefined ? limit : Math.min(seen, limit));
  }
  return [...merged].map(([key, limit]) => ({ key, limit }));
}

/** A block duration in whole ms (rounded up); 0 for nothing to do. */
export function blockDurationMs(ms: number): number {
  if (Number.isNaN(ms)) {
    throw new LimitsError('LIMITS_INVALID_SETTINGS', { message: 'A block duration must be a number' });
  }
  return ms > 0 ? Math.ceil(Math.min(ms, 2 ** 31)) : 0;
}
