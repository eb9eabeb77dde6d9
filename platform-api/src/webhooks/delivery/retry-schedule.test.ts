import { describe, expect, it } from 'vitest';
import {
  createRetrySchedule,
  DEFAULT_MAX_RETRY_AFTER_MS,
  DEFAULT_RETRY_DELAYS_MS,
  parseRetryAfter,
} from './retry-schedule.ts';

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const failedAt = new Date('2026-12-01T12:00:00Z');

describe('retry schedule', () => {
  it('is by default: immediately, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h (8 attempts), then dead letter', () => {
    expect(DEFAULT_RETRY_DELAYS_MS).toEqual([0, 5 * S, 5 * M, 30 * M, 2 * H, 5 * H, 10 * H, 10 * H]);
    const schedule = createRetrySchedule({ random: () => 0.5 }); // the middle of the jitter: no change
    expect(schedule.maxAttempts).toBe(8);
    const delays = [1, 2, 3, 4, 5, 6, 7].map((attempt) => schedule.next({ attempt, failedAt }));
    expect(delays.map((d) => (d.kind === 'retry' ? d.delayMs : null))).toEqual([
      5 * S,
      5 * M,
      30 * M,
      2 * H,
      5 * H,
      10 * H,
      10 * H,
    ]);
    expect(delays[0]).toEqual({
      kind: 'retry',
      attempt: 2,
      delayMs: 5 * S,
      at: new Date(failedAt.getTime() + 5 * S),
      retryAfterApplied: false,
    });
    expect(schedule.next({ attempt: 8, failedAt })).toEqual({ kind: 'dead_letter', attempts: 8 });
  });

  it('spreads each delay by at most ±20%', () => {
    const low = createRetrySchedule({ random: () => 0 }).next({ attempt: 2, failedAt });
    const high = createRetrySchedule({ random: () => 0.999999 }).next({ attempt: 2, failedAt });
    expect(low.kind === 'retry' && low.delayMs).toBe(4 * M);
    expect(high.kind === 'retry' && high.delayMs).toBeLessThanOrEqual(6 * M);
    expect(high.kind === 'retry' && high.delayMs).toBeGreaterThan(5.99 * M);
    const spread = createRetrySchedule();
    for (let i = 0; i < 200; i++) {
      const next = spread.next({ attempt: 4, failedAt });
      if (next.kind !== 'retry') throw new Error('expected a retry');
      expect(next.delayMs).toBeGreaterThanOrEqual(1.6 * H);
      expect(next.delayMs).toBeLessThanOrEqual(2.4 * H);
    }
  });

  it("waits for the receiver's Retry-After when it asks for longer, bounded at 10 h, and never adds attempts", () => {
    const schedule = createRetrySchedule({ random: () => 0.5 });
    expect(schedule.next({ attempt: 1, failedAt, retryAfterMs: 2 * M })).toMatchObject({
      delayMs: 2 * M,
      retryAfterApplied: true,
    });
    expect(schedule.next({ attempt: 3, failedAt, retryAfterMs: 2 * M })).toMatchObject({
      delayMs: 30 * M,
      retryAfterApplied: false,
    });
    expect(schedule.next({ attempt: 1, failedAt, retryAfterMs: 30 * 24 * H })).toMatchObject({
      delayMs: DEFAULT_MAX_RETRY_AFTER_MS,
    });
    expect(schedule.next({ attempt: 8, failedAt, retryAfterMs: M }).kind).toBe('dead_letter');
  });

  it('takes its own delays, jitter and bound, and refuses nonsense once, when made', () => {
    const quick = createRetrySchedule({ delaysMs: [0, 100, 200], jitter: 0, maxRetryAfterMs: 1000 });
    expect(quick.maxAttempts).toBe(3);
    expect(quick.next({ attempt: 2, failedAt, retryAfterMs: 5000 })).toMatchObject({
      attempt: 3,
      delayMs: 1000,
    });
    expect(quick.next({ attempt: 3, failedAt }).kind).toBe('dead_letter');
    const invalid = expect.objectContaining({ code: 'WEBHOOK_CONFIG_INVALID' });
    expect(() => createRetrySchedule({ delaysMs: [] })).toThrow(invalid);
    expect(() => createRetrySchedule({ delaysMs: [0, -1] })).toThrow(invalid);
    expect(() => createRetrySchedule({ jitter: 1 })).toThrow(invalid);
    expect(() => createRetrySchedule({ maxRetryAfterMs: Number.POSITIVE_INFINITY })).toThrow(invalid);
    expect(() => quick.next({ attempt: 0, failedAt })).toThrow(invalid);
  });
});

describe('Retry-After', () => {
  const now = new Date('2026-12-01T12:00:00Z');
  it('reads delay seconds and HTTP dates, clamps to [0, max], and ignores what it cannot read', () => {
    expect(parseRetryAfter('120', now)).toBe(120 * S);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
    expect(parseRetryAfter('Tue, 01 Dec 2026 12:05:00 GMT', now)).toBe(5 * M);
    expect(parseRetryAfter('Tue, 01 Dec 2026 11:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('999999999', now)).toBe(DEFAULT_MAX_RETRY_AFTER_MS);
    expect(parseRetryAfter('600', now, 60 * S)).toBe(60 * S);
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter('-5', now)).toBeUndefined();
    expect(parseRetryAfter('1.5', now)).toBeUndefined();
  });
});
