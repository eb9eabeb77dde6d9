import { PlatformError } from '../errors.ts';

/** Failures older than this are forgotten (counted from the latest failure). */
export const THROTTLE_WINDOW_MS = 15 * 60 * 1000;
/** The longest lock-out, reached after ~10 doublings from one second. */
export const MAX_LOCKOUT_MS = 15 * 60 * 1000;
const FIRST_LOCKOUT_MS = 1000;
/** Per counter kind; past it the least recently failed entries are dropped. */
const DEFAULT_MAX_ENTRIES = 50_000;

export interface ThrottleLimit {
  /** Failed attempts allowed within the window before lock-outs start. */
  freeAttempts: number;
}

export interface LoginAttempt {
  email: string;
  ip: string;
}

export interface LoginThrottleOptions {
  now?: () => Date;
  perAccount?: ThrottleLimit;
  perIp?: ThrottleLimit;
  maxEntries?: number;
}

export interface LoginThrottle {
  /** Throws AUTH_THROTTLED (details.retryAfterSeconds) while the account or the IP is locked. */
  check(attempt: LoginAttempt): void;
  recordFailure(attempt: LoginAttempt): void;
  /** Clears the account's counter; the IP's stays (one good password must not reset a spray). */
  recordSuccess(attempt: LoginAttempt): void;
}

interface Counter {
  failures: number;
  lastFailureAt: number;
  lockedUntil: number;
}

/**
 * Slows password guessing (ASVS 6.3.1): after the free failures, every further failure
 * locks the account — and, counted separately, the client IP — for 1 s, 2 s, 4 s … up to
 * 15 min. Lock-outs are short so an attacker cannot lock a victim out for long.
 *
 * In-process memory only: each platform process counts on its own and a restart forgets.
 * With N processes behind a balancer an attacker gets up to N times the attempts; a shared
 * store (Redis, the database) is the upgrade path if that matters.
 */
export function createLoginThrottle(options: LoginThrottleOptions = {}): LoginThrottle {
  const now = options.now ?? (() => new Date());
  const maxEntries = options.maxEntries ?? DEFAULT_MAX_ENTRIES;
  const perAccount = options.perAccount ?? { freeAttempts: 5 };
  const perIp = options.perIp ?? { freeAttempts: 20 };
  const accounts = new Map<string, Counter>();
  const ips = new Map<string, Counter>();
  // Accounts are keyed by lower-cased email, as users.email is unique case-insensitively.
  const countersOf = (attempt: LoginAttempt) =>
    [
      { limit: perAccount, counters: accounts, key: attempt.email.trim().toLowerCase() },
      { limit: perIp, counters: ips, key: attempt.ip },
    ] as const;

  function live(counters: Map<string, Counter>, key: string, at: number): Counter | undefined {
    const counter = counters.get(key);
    if (counter && at - counter.lastFailureAt > THROTTLE_WINDOW_MS && counter.lockedUntil <= at) {
      counters.delete(key);
      return undefined;
    }
    return counter;
  }

  return {
    check(attempt) {
      const at = now().getTime();
      let lockedUntil = 0;
      for (const { counters, key } of countersOf(attempt)) {
        lockedUntil = Math.max(lockedUntil, live(counters, key, at)?.lockedUntil ?? 0);
      }
      if (lockedUntil > at) {
        const retryAfterSeconds = Math.ceil((lockedUntil - at) / 1000);
        throw new PlatformError(
          'AUTH_THROTTLED',
          `too many failed sign-ins; try again in ${retryAfterSeconds} seconds`,
          { retryAfterSeconds },
        );
      }
    },

    recordFailure(attempt) {
      const at = now().getTime();
      for (const { limit, counters, key } of countersOf(attempt)) {
        const previous = live(counters, key, at);
        const failures = (previous?.failures ?? 0) + 1;
        const over = failures - limit.freeAttempts;
        const lockedUntil =
          over > 0 ? at + Math.min(FIRST_LOCKOUT_MS * 2 ** Math.min(over - 1, 30), MAX_LOCKOUT_MS) : 0;
        // Delete then set: the Map's first entry is always the least recently failed one.
        counters.delete(key);
        counters.set(key, { failures, lastFailureAt: at, lockedUntil });
        while (counters.size > maxEntries) {
          const oldest = counters.keys().next();
          if (oldest.done) break;
          counters.delete(oldest.value);
        }
      }
    },

    recordSuccess(attempt) {
      accounts.delete(countersOf(attempt)[0].key);
    },
  };
}
