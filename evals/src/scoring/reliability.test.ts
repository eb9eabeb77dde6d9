import { describe, expect, it } from 'vitest';
import { passHatK, reliability, wilson } from './reliability.ts';

/** pass@1 and pass^k over repeated trials (τ-bench), with Wilson intervals. */
describe('reliability over trials', () => {
  it('pass^k is the chance that k of the n trials all succeed', () => {
    expect(passHatK(4, 4, 4)).toBe(1);
    expect(passHatK(3, 4, 1)).toBe(0.75);
    expect(passHatK(3, 4, 2)).toBe(0.5); // C(3,2)/C(4,2) = 3/6
    expect(passHatK(3, 4, 4)).toBe(0);
    expect(() => passHatK(1, 2, 3)).toThrow(/at least 3 trials/);
  });

  it('averages over scenarios, pass^k falling as k grows when an agent is flaky', () => {
    const r = reliability([
      { successes: 4, trials: 4 },
      { successes: 2, trials: 4 },
    ]);
    expect(r.passAt1).toBe(0.75);
    expect(r.passHat[1]).toBe(0.75);
    expect(r.passHat[2]).toBeCloseTo((1 + 1 / 6) / 2, 10);
    expect(r.passHat[4]).toBe(0.5);
    expect(r.passAt1Interval.low).toBeLessThan(0.75);
    expect(r.passAt1Interval.high).toBeGreaterThan(0.75);
  });

  it('gives Wilson intervals that stay inside [0, 1] at the extremes', () => {
    expect(wilson(0, 4).low).toBe(0);
    expect(wilson(4, 4).high).toBe(1);
    const { low, high } = wilson(8, 10);
    expect(low).toBeCloseTo(0.49, 2);
    expect(high).toBeCloseTo(0.943, 2);
  });
});
