/**
 * When to try a message again. The default is Svix's schedule: attempt 1 immediately, then
 * 5 s, 5 min, 30 min, 2 h, 5 h, 10 h and 10 h after each failure (8 attempts, about 27.5 h),
 * each delay spread by ±20% jitter so endpoints that failed together do not retry together.
 * After the last attempt fails the message is dead-lettered.
 *
 * A receiver's `Retry-After` (429, 503) is honoured when it asks for longer than the
 * schedule, up to `maxRetryAfterMs` (10 h by default, the schedule's longest step), so a
 * receiver cannot park a message for days. It never adds attempts.
 */
import { WebhookDeliveryError } from './errors.ts';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/** Delay before attempt 1, 2, …: index `i` is the wait before attempt `i + 1`. */
export const DEFAULT_RETRY_DELAYS_MS: readonly number[] = Object.freeze([
  0,
  5 * SECOND,
  5 * MINUTE,
  30 * MINUTE,
  2 * HOUR,
  5 * HOUR,
  10 * HOUR,
  10 * HOUR,
]);
/** Each delay is multiplied by a uniform factor in [1 − jitter, 1 + jitter]. */
export const DEFAULT_RETRY_JITTER = 0.2;
/** The longest wait a `Retry-After` can ask for. */
export const DEFAULT_MAX_RETRY_AFTER_MS = 10 * HOUR;

export interface RetryScheduleOptions {
  /** Delay before each attempt, the first usually 0; its length is the number of attempts. */
  delaysMs?: readonly number[];
  /** Fraction in [0, 1) by which each delay may vary either way; default 0.2. */
  jitter?: number;
  /** Upper bound of a `Retry-After` wait; default 10 h. */
  maxRetryAfterMs?: number;
  /** Uniform in [0, 1); injected by specs. */
  random?: () => number;
}

export type NextAttempt =
  | {
      kind: 'retry';
      /** The number of the attempt to make next (2 after the first failed). */
      attempt: number;
      delayMs: number;
      at: Date;
      /** Whether the receiver's `Retry-After` set the delay. */
      retryAfterApplied: boolean;
    }
  | { kind: 'dead_letter'; attempts: number };

export interface NextAttemptInput {
  /** The number of the attempt that just failed, from 1. */
  attempt: number;
  failedAt: Date;
  /** The receiver's `Retry-After`, as the attempt's outcome reports it. */
  retryAfterMs?: number;
}

export interface RetrySchedule {
  readonly maxAttempts: number;
  /** When attempt `attempt + 1` is due, or `dead_letter` once `attempt` was the last. */
  next(input: NextAttemptInput): NextAttempt;
}

function invalid(message: string): never {
  throw new WebhookDeliveryError('WEBHOOK_CONFIG_INVALID', `retry schedule: ${message}`);
}

export function createRetrySchedule(options: RetryScheduleOptions = {}): RetrySchedule {
  const delays = Object.freeze([...(options.delaysMs ?? DEFAULT_RETRY_DELAYS_MS)]);
  const jitter = options.jitter ?? DEFAULT_RETRY_JITTER;
  const maxRetryAfterMs = options.maxRetryAfterMs ?? DEFAULT_MAX_RETRY_AFTER_MS;
  const random = options.random ?? Math.random;
  if (delays.length === 0) invalid('at least one attempt');
  if (delays.some((d) => !Number.isFinite(d) || d < 0)) invalid('delays are finite and not negative');
  if (!(jitter >= 0 && jitter < 1)) invalid('jitter is a fraction in [0, 1)');
  if (!(Number.isFinite(maxRetryAfterMs) && maxRetryAfterMs >= 0))
    invalid('maxRetryAfterMs is finite and not negative');

  return Object.freeze({
    maxAttempts: delays.length,
    next({ attempt, failedAt, retryAfterMs }: NextAttemptInput): NextAttempt {
      if (!Number.isInteger(attempt) || attempt < 1) invalid(`attempt numbers start at 1, not ${attempt}`);
      if (attempt >= delays.length) return { kind: 'dead_letter', attempts: attempt };
      const planned = Math.round(delays[attempt]! * (1 + jitter * (2 * random() - 1)));
      const asked =
        retryAfterMs !== undefined && Number.isFinite(retryAfterMs)
          ? Math.min(Math.max(0, retryAfterMs), maxRetryAfterMs)
          : 0;
      const delayMs = Math.max(planned, asked);
      return {
        kind: 'retry',
        attempt: attempt + 1,
        delayMs,
        at: new Date(failedAt.getTime() + delayMs),
        retryAfterApplied: asked > planned,
      };
    },
  });
}

/**
 * A `Retry-After` value (delay seconds, or an HTTP date) as milliseconds from `now`, clamped
 * to [0, maxMs]; undefined when absent or unreadable.
 */
export function parseRetryAfter(
  value: string | undefined,
  now: Date,
  maxMs: number = DEFAULT_MAX_RETRY_AFTER_MS,
): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  let ms: number;
  if (/^\d+$/.test(text)) ms = Number(text) * SECOND;
  else {
    const at = Date.parse(text);
    if (!/[a-z]/i.test(text) || Number.isNaN(at)) return undefined;
    ms = at - now.getTime();
  }
  return Math.min(Math.max(0, ms), maxMs);
}
