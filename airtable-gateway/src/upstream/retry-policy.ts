import { GatewayError } from '../errors.ts';
import { type AttemptOutcome, airtableErrorType } from './send.ts';

export interface RetryContext {
  /** Reads may be retried after any transient failure; writes only when provably unsent. */
  read: boolean;
  /** Attempts made so far for transient failures (1 after the first). */
  attempt: number;
  maxAttempts: number;
  /** Upstream 429s seen so far for this request. */
  rateLimited: number;
  maxRateLimitRetries: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
  random: () => number;
}

export type RetryDecision =
  | { action: 'return' }
  | { action: 'retry'; delayMs: number; reason: 'status' | 'network' | 'timeout' }
  /** Airtable's 429: pause the base for the penalty, then try again. */
  | { action: 'penalize-and-retry' }
  | { action: 'fail'; error: GatewayError };

const TRANSIENT_STATUSES = new Set([500, 502, 503, 504]);

function backoff(ctx: RetryContext, retryAfter?: string): number {
  const seconds = retryAfter === undefined ? Number.NaN : Number(retryAfter);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.min(seconds * 1000, 60_000);
  const ceiling = Math.min(ctx.backoffMaxMs, ctx.backoffBaseMs * 2 ** (ctx.attempt - 1));
  return Math.floor(ctx.random() * ceiling);
}

/**
 * What to do after one attempt. Airtable's own answers are returned unchanged once
 * retrying is pointless, so the proxy stays faithful; only failures without an answer
 * become gateway errors.
 */
export function decideRetry(outcome: AttemptOutcome, ctx: RetryContext): RetryDecision {
  const attemptsLeft = ctx.attempt < ctx.maxAttempts;
  if (outcome.kind === 'response') {
    if (outcome.status === 429) {
      // A billing-cap 429 does not clear by waiting: hand it back as Airtable sent it.
      if (airtableErrorType(outcome.body) === 'PUBLIC_API_BILLING_LIMIT_EXCEEDED')
        return { action: 'return' };
      return ctx.rateLimited < ctx.maxRateLimitRetries
        ? { action: 'penalize-and-retry' }
        : { action: 'return' };
    }
    if (!TRANSIENT_STATUSES.has(outcome.status) || !attemptsLeft) return { action: 'return' };
    // Airtable's 503 RETRIABLE_ERROR states the request was not processed and "is safe to retry".
    const safe =
      ctx.read || (outcome.status === 503 && airtableErrorType(outcome.body) === 'RETRIABLE_ERROR');
    return safe
      ? { action: 'retry', delayMs: backoff(ctx, outcome.headers['retry-after']), reason: 'status' }
      : { action: 'return' };
  }
  const retriable = ctx.read || outcome.notSent;
  if (retriable && attemptsLeft) {
    return { action: 'retry', delayMs: backoff(ctx), reason: outcome.timedOut ? 'timeout' : 'network' };
  }
  if (!ctx.read && !outcome.notSent)
    return { action: 'fail', error: new GatewayError('GATEWAY_WRITE_OUTCOME_UNKNOWN') };
  return {
    action: 'fail',
    error: new GatewayError(outcome.timedOut ? 'GATEWAY_UPSTREAM_TIMEOUT' : 'GATEWAY_UPSTREAM_UNAVAILABLE', {
      message: `Airtable could not be reached after ${ctx.attempt} attempt(s) (${outcome.code})`,
    }),
  };
}
