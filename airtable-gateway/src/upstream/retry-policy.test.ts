import { describe, expect, it } from 'vitest';
import { decideRetry, type RetryContext } from './retry-policy.ts';
import type { AttemptOutcome } from './send.ts';

const ctx = (over: Partial<RetryContext> = {}): RetryContext => ({
  read: true,
  attempt: 1,
  maxAttempts: 5,
  rateLimited: 0,
  maxRateLimitRetries: 3,
  backoffBaseMs: 200,
  backoffMaxMs: 5000,
  random: () => 0.5,
  ...over,
});

const response = (
  status: number,
  body: unknown = {},
  headers: Record<string, string> = {},
): AttemptOutcome => ({
  kind: 'response',
  status,
  headers,
  body: JSON.stringify(body),
});
const refused: AttemptOutcome = { kind: 'network', notSent: true, timedOut: false, code: 'ECONNREFUSED' };
const reset: AttemptOutcome = { kind: 'network', notSent: false, timedOut: false, code: 'ECONNRESET' };
const timeout: AttemptOutcome = { kind: 'network', notSent: false, timedOut: true, code: 'TIMEOUT' };

describe('retry decisions', () => {
  it('returns successes and client errors unchanged', () => {
    for (const status of [200, 401, 403, 404, 422])
      expect(decideRetry(response(status), ctx()).action).toBe('return');
  });

  it("pauses and retries Airtable's rate limit, for reads and writes alike, a bounded number of times", () => {
    const limited = response(429, { error: { type: 'RATE_LIMIT_REACHED' } });
    expect(decideRetry(limited, ctx({ read: false })).action).toBe('penalize-and-retry');
    expect(decideRetry(limited, ctx({ rateLimited: 3 })).action).toBe('return');
  });

  it('never retries the billing cap', () => {
    const billing = response(429, { error: { type: 'PUBLIC_API_BILLING_LIMIT_EXCEEDED' } });
    expect(decideRetry(billing, ctx()).action).toBe('return');
  });

  it('retries transient statuses for reads with jittered, growing backoff', () => {
    expect(decideRetry(response(503), ctx({ attempt: 1 }))).toEqual({
      action: 'retry',
      delayMs: 100,
      reason: 'status',
    });
    expect(decideRetry(response(502), ctx({ attempt: 3 }))).toEqual({
      action: 'retry',
      delayMs: 400,
      reason: 'status',
    });
    expect(decideRetry(response(504), ctx({ attempt: 10, maxAttempts: 20 }))).toEqual({
      action: 'retry',
      delayMs: 2500,
      reason: 'status',
    });
  });

  it('honours Retry-After', () => {
    expect(decideRetry(response(503, {}, { 'retry-after': '2' }), ctx())).toMatchObject({ delayMs: 2000 });
  });

  it('gives the last answer back when attempts run out', () => {
    expect(decideRetry(response(503), ctx({ attempt: 5 })).action).toBe('return');
  });

  it("retries a write only after Airtable's explicit 503 RETRIABLE_ERROR, never after other 5xx", () => {
    expect(
      decideRetry(response(503, { error: { type: 'RETRIABLE_ERROR' } }), ctx({ read: false })).action,
    ).toBe('retry');
    expect(decideRetry(response(502), ctx({ read: false })).action).toBe('return');
    expect(decideRetry(response(500), ctx({ read: false })).action).toBe('return');
  });

  it('retries a refused connection for any method: the request never left', () => {
    expect(decideRetry(refused, ctx({ read: false }))).toMatchObject({ action: 'retry', reason: 'network' });
  });

  it('retries resets and timeouts for reads', () => {
    expect(decideRetry(reset, ctx())).toMatchObject({ action: 'retry', reason: 'network' });
    expect(decideRetry(timeout, ctx())).toMatchObject({ action: 'retry', reason: 'timeout' });
  });

  it('never resends a write that may have arrived: GATEWAY_WRITE_OUTCOME_UNKNOWN', () => {
    for (const outcome of [reset, timeout]) {
      const decision = decideRetry(outcome, ctx({ read: false }));
      expect(decision.action === 'fail' && decision.error.code).toBe('GATEWAY_WRITE_OUTCOME_UNKNOWN');
    }
  });

  it('fails reads with a typed error once attempts run out', () => {
    const down = decideRetry(refused, ctx({ attempt: 5 }));
    expect(down.action === 'fail' && down.error.code).toBe('GATEWAY_UPSTREAM_UNAVAILABLE');
    const slow = decideRetry(timeout, ctx({ attempt: 5 }));
    expect(slow.action === 'fail' && slow.error.code).toBe('GATEWAY_UPSTREAM_TIMEOUT');
  });
});
