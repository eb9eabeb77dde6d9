import { sha256Hex } from '../crypto/opaque-token.ts';
import type { Queryable } from '../db/database.ts';
import { PlatformError } from '../errors.ts';

/** Failures older than this are forgotten (counted from the latest failure). */
export const THROTTLE_WINDOW_MS = 15 * 60 * 1000;
/** The longest lock-out, reached after ~10 doublings from one second. */
export const MAX_LOCKOUT_MS = 15 * 60 * 1000;
const FIRST_LOCKOUT_MS = 1000;
/** Forgotten counters are deleted on every this-many recorded failures of a process. */
const PRUNE_EVERY = 256;

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
}

export interface LoginThrottle {
  /** Rejects with AUTH_THROTTLED (details.retryAfterSeconds) while the account or the IP is locked. */
  check(attempt: LoginAttempt): Promise<void>;
  recordFailure(attempt: LoginAttempt): Promise<void>;
  /** Clears the account's counter; the IP's stays (one good password must not reset a spray). */
  recordSuccess(attempt: LoginAttempt): Promise<void>;
  /** Deletes the counters nobody is locked by any more; returns how many. */
  prune(): Promise<number>;
}

type Kind = 'account' | 'ip';

/** The lock-out after `failures` failures: none for the free ones, then 1 s, 2 s, 4 s … 15 min. */
export function lockoutMs(failures: number, limit: ThrottleLimit): number {
  const over = failures - limit.freeAttempts;
  if (over <= 0) return 0;
  return Math.min(FIRST_LOCKOUT_MS * 2 ** Math.min(over - 1, 30), MAX_LOCKOUT_MS);
}

const toMs = (value: Date | string | null | undefined) =>
  value === null || value === undefined ? 0 : new Date(value).getTime();

// Accounts are keyed by lower-cased email, as users.email is unique case-insensitively.
const keysOf = (attempt: LoginAttempt): Record<Kind, string> => ({
  account: sha256Hex(`account\u0000${attempt.email.trim().toLowerCase()}`),
  ip: sha256Hex(`ip\u0000${attempt.ip}`),
});

/** What the throttle's steps share. */
interface ThrottleContext {
  db: Queryable;
  now: () => Date;
  limits: Record<Kind, ThrottleLimit>;
}

async function prune({ db, now }: ThrottleContext): Promise<number> {
  const at = now().getTime();
  const rows = await db.query<{ kind: string }>(
    `DELETE FROM login_failures
      WHERE last_failure_at < $1::timestamptz AND (locked_until IS NULL OR locked_until <= $2::timestamptz)
      RETURNING kind`,
    [new Date(at - THROTTLE_WINDOW_MS).toISOString(), new Date(at).toISOString()],
  );
  return rows.length;
}

/** Counts one failure against `keyHash` and locks it when it is over its free attempts. */
async function count(
  { db, limits }: ThrottleContext,
  kind: Kind,
  keyHash: string,
  at: number,
): Promise<void> {
  const atIso = new Date(at).toISOString();
  // One statement, so concurrent failures (any process) each add one; a counter idle for
  // the window and not locked starts again from one.
  const [row] = await db.query<{ failures: number }>(
    `INSERT INTO login_failures AS f (kind, key_hash, failures, last_failure_at)
     VALUES ($1, $2, 1, $3::timestamptz)
     ON CONFLICT (kind, key_hash) DO UPDATE SET
       failures = CASE
         WHEN f.last_failure_at < $4::timestamptz AND (f.locked_until IS NULL OR f.locked_until <= $3::timestamptz)
         THEN 1 ELSE f.failures + 1 END,
       last_failure_at = $3::timestamptz
     RETURNING failures`,
    [kind, keyHash, atIso, new Date(at - THROTTLE_WINDOW_MS).toISOString()],
  );
  const lockMs = lockoutMs(Number(row?.failures ?? 1), limits[kind]);
  if (lockMs === 0) return;
  // greatest(): a slower process must not shorten a lock a later failure lengthened.
  await db.query(
    `UPDATE login_failures
        SET locked_until = greatest(coalesce(locked_until, '-infinity'::timestamptz), $3::timestamptz)
      WHERE kind = $1 AND key_hash = $2`,
    [kind, keyHash, new Date(at + lockMs).toISOString()],
  );
}

async function check({ db, now }: ThrottleContext, attempt: LoginAttempt): Promise<void> {
  const at = now().getTime();
  const keys = keysOf(attempt);
  const [row] = await db.query<{ until: Date | string | null }>(
    `SELECT max(locked_until) AS until FROM login_failures
      WHERE (kind = 'account' AND key_hash = $1) OR (kind = 'ip' AND key_hash = $2)`,
    [keys.account, keys.ip],
  );
  const lockedUntil = toMs(row?.until);
  if (lockedUntil > at) {
    const retryAfterSeconds = Math.ceil((lockedUntil - at) / 1000);
    throw new PlatformError(
      'AUTH_THROTTLED',
      `too many failed sign-ins; try again in ${retryAfterSeconds} seconds`,
      {
        retryAfterSeconds,
      },
    );
  }
}

/**
 * Slows password guessing (ASVS 6.3.1): after the free failures, every further failure
 * locks the account — and, counted separately, the client IP — for 1 s, 2 s, 4 s … up to
 * 15 min. Lock-outs are short so an attacker cannot lock a victim out for long.
 *
 * The counters live in the database (`login_failures`), so every process that signs people
 * in shares them and a restart does not reset a guesser.
 */
export function createLoginThrottle(db: Queryable, options: LoginThrottleOptions = {}): LoginThrottle {
  const ctx: ThrottleContext = {
    db,
    now: options.now ?? (() => new Date()),
    limits: {
      account: options.perAccount ?? { freeAttempts: 5 },
      ip: options.perIp ?? { freeAttempts: 20 },
    },
  };
  let failuresSincePrune = 0;
  return {
    check: (attempt) => check(ctx, attempt),
    async recordFailure(attempt) {
      const at = ctx.now().getTime();
      const keys = keysOf(attempt);
      await count(ctx, 'account', keys.account, at);
      await count(ctx, 'ip', keys.ip, at);
      failuresSincePrune += 1;
      if (failuresSincePrune >= PRUNE_EVERY) {
        failuresSincePrune = 0;
        await prune(ctx);
      }
    },
    async recordSuccess(attempt) {
      await db.query(`DELETE FROM login_failures WHERE kind = 'account' AND key_hash = $1`, [
        keysOf(attempt).account,
      ]);
    },
    prune: () => prune(ctx),
  };
}
