import { codedError } from '../coded-error.ts';

/**
 * The limits stores' error catalogue. These are local errors: they never cross the wire.
 * The scheduler decides what a caller sees. Codes are stable and never reused; tests assert them.
 */
export const LIMITS_ERRORS = {
  /** A store was built with a window, margin, timeout or fraction that cannot work. */
  LIMITS_INVALID_SETTINGS: 'The store settings are invalid; see the message for which one',
  /** `acquire`/`block` got a key that is empty or a limit that is not a positive integer. */
  LIMITS_INVALID_KEYS: 'A limit key is empty or its limit is not a positive integer',
  /** The backing store (Redis) failed; a resilient store falls back to local budgets. */
  LIMITS_STORE_FAILED: 'The admission store failed to answer',
  /** The backing store did not answer in time; treated like a failure. */
  LIMITS_STORE_TIMEOUT: 'The admission store did not answer within its timeout',
  /** The store was closed and cannot admit any more. */
  LIMITS_STORE_CLOSED: 'The admission store is closed',
} as const;

export type LimitsErrorCode = keyof typeof LIMITS_ERRORS;

export class LimitsError extends codedError<LimitsErrorCode>('LimitsError') {
  constructor(code: LimitsErrorCode, details: { message?: string; cause?: unknown } = {}) {
    super(code, details.message ?? LIMITS_ERRORS[code], { cause: details.cause });
  }
}

/** A LimitsError (with `code`, of that code), also from another copy of this package. */
export function isLimitsError(value: unknown, code?: LimitsErrorCode): value is LimitsError {
  return LimitsError.isInstance(value) && (code === undefined || value.code === code);
}
