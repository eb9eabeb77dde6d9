import { describe, expect, it } from 'vitest';
import { SlidingWindowLimiter } from './rate-limiter.ts';

function limiterAt(start = 0) {
  const clock = { t: start };
  return { clock, limiter: new SlidingWindowLimiter(() => clock.t) };
}

const base = (limit = 5) => [{ key: 'base:app1', limit }];

describe('sliding-window rate limiter', () => {
  it('admits at most the limit in any sliding second, whatever the arrival pattern', () => {
    const { clock, limiter } = limiterAt();
    const admitted: number[] = [];
    // Irregular arrivals every 0–139 ms for 20 s, with no penalty so refusals do not hide over-admission.
    let seed = 7;
    for (let i = 0; i < 400; i++) {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      clock.t += seed % 140;
      if (limiter.admit(base(), 0)) admitted.push(clock.t);
    }
    for (const t of admitted) {
      const inWindow = admitted.filter((u) => u > t - 1000 && u <= t).length;
      expect(inWindow).toBeLessThanOrEqual(5);
    }
    expect(admitted.length).toBeGreaterThan(50);
  });

  it('refuses the sixth request in a second and then holds the penalty', () => {
    const { clock, limiter } = limiterAt();
    for (let i = 0; i < 5; i++) expect(limiter.admit(base(), 30_000)).toBe(true);
    expect(limiter.admit(base(), 30_000)).toBe(false);
    clock.t += 29_999;
    expect(limiter.admit(base(), 30_000)).toBe(false);
    clock.t += 1;
    expect(limiter.admit(base(), 30_000)).toBe(true);
  });

  it('frees a slot exactly one second after the oldest admission', () => {
    const { clock, limiter } = limiterAt();
    for (let i = 0; i < 5; i++) {
      expect(limiter.admit(base(), 0)).toBe(true);
      clock.t += 100;
    }
    clock.t = 999;
    expect(limiter.admit(base(), 0)).toBe(false);
    clock.t = 1000;
    expect(limiter.admit(base(), 0)).toBe(true);
  });

  it('admits all-or-nothing across keys, so a refused owner does not spend the base budget', () => {
    const { limiter } = limiterAt();
    const keys = [
      { key: 'owner:u', limit: 1 },
      { key: 'base:app1', limit: 5 },
    ];
    expect(limiter.admit(keys, 0)).toBe(true);
    expect(limiter.admit(keys, 0)).toBe(false);
    for (let i = 0; i < 4; i++) expect(limiter.admit(base(), 0)).toBe(true);
    expect(limiter.admit(base(), 0)).toBe(false);
  });

  it('keeps bases independent', () => {
    const { limiter } = limiterAt();
    for (let i = 0; i < 6; i++) limiter.admit(base(), 30_000);
    expect(limiter.admit([{ key: 'base:app2', limit: 5 }], 30_000)).toBe(true);
  });

  it('penalize locks a key out for the given time', () => {
    const { clock, limiter } = limiterAt();
    limiter.penalize('base:app1', 500);
    expect(limiter.admit(base(), 0)).toBe(false);
    clock.t += 500;
    expect(limiter.admit(base(), 0)).toBe(true);
  });
});
