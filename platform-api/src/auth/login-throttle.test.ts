import { describe, expect, it } from 'vitest';
import { PlatformError } from '../errors.ts';
import { createLoginThrottle } from './login-throttle.ts';

function clock(start = Date.UTC(2025, 0, 1)) {
  let t = start;
  return { now: () => new Date(t), advance: (ms: number) => (t += ms) };
}

/** Seconds until the attempt may go ahead; 0 when it is not throttled. */
function retryAfter(check: () => void): number {
  try {
    check();
    return 0;
  } catch (error) {
    expect(error).toBeInstanceOf(PlatformError);
    expect((error as PlatformError).code).toBe('AUTH_THROTTLED');
    expect((error as PlatformError).status).toBe(429);
    return (error as PlatformError).details?.retryAfterSeconds as number;
  }
}

const jane = { email: 'jane@example.com', ip: '203.0.113.5' };

describe('login throttle', () => {
  it('allows the free failures, then locks for 1 s, 2 s, 4 s …', () => {
    const time = clock();
    const throttle = createLoginThrottle({ now: time.now });
    for (let i = 0; i < 5; i++) {
      expect(retryAfter(() => throttle.check(jane))).toBe(0);
      throttle.recordFailure(jane);
    }
    expect(retryAfter(() => throttle.check(jane))).toBe(0);
    throttle.recordFailure(jane); // 6th
    expect(retryAfter(() => throttle.check(jane))).toBe(1);
    time.advance(1000);
    expect(retryAfter(() => throttle.check(jane))).toBe(0);
    throttle.recordFailure(jane); // 7th
    expect(retryAfter(() => throttle.check(jane))).toBe(2);
    time.advance(2000);
    throttle.recordFailure(jane); // 8th
    expect(retryAfter(() => throttle.check(jane))).toBe(4);
    time.advance(1500);
    expect(retryAfter(() => throttle.check(jane))).toBe(3); // rounds up
  });

  it('caps the lock-out at 15 minutes', () => {
    const time = clock();
    const throttle = createLoginThrottle({ now: time.now });
    for (let i = 0; i < 60; i++) throttle.recordFailure(jane);
    expect(retryAfter(() => throttle.check(jane))).toBe(900);
  });

  it('keys accounts by lower-cased email', () => {
    const throttle = createLoginThrottle({ now: clock().now, perAccount: { freeAttempts: 1 } });
    throttle.recordFailure({ email: 'Jane@Example.com', ip: '1.1.1.1' });
    throttle.recordFailure({ email: 'jane@example.COM', ip: '2.2.2.2' });
    expect(retryAfter(() => throttle.check({ email: 'JANE@example.com', ip: '3.3.3.3' }))).toBe(1);
  });

  it('counts IPs separately, across accounts', () => {
    const throttle = createLoginThrottle({ now: clock().now, perIp: { freeAttempts: 3 } });
    for (let i = 0; i < 4; i++) throttle.recordFailure({ email: `user${i}@example.com`, ip: '198.51.100.7' });
    expect(retryAfter(() => throttle.check({ email: 'fresh@example.com', ip: '198.51.100.7' }))).toBe(1);
    expect(retryAfter(() => throttle.check({ email: 'fresh@example.com', ip: '198.51.100.8' }))).toBe(0);
  });

  it('success clears the account counter but not the IP counter', () => {
    const throttle = createLoginThrottle({
      now: clock().now,
      perAccount: { freeAttempts: 2 },
      perIp: { freeAttempts: 2 },
    });
    for (let i = 0; i < 2; i++) throttle.recordFailure(jane);
    throttle.recordSuccess(jane);
    throttle.recordFailure({ ...jane, ip: '192.0.2.1' }); // account: 1st failure again
    expect(retryAfter(() => throttle.check({ ...jane, ip: '192.0.2.1' }))).toBe(0);
    throttle.recordFailure({ email: 'other@example.com', ip: jane.ip }); // IP: 3rd failure
    expect(retryAfter(() => throttle.check({ email: 'other@example.com', ip: jane.ip }))).toBe(1);
  });

  it('forgets failures 15 minutes after the last one', () => {
    const time = clock();
    const throttle = createLoginThrottle({ now: time.now });
    for (let i = 0; i < 5; i++) throttle.recordFailure(jane);
    time.advance(15 * 60 * 1000 + 1);
    throttle.recordFailure(jane); // counted as the first again, so no lock
    expect(retryAfter(() => throttle.check(jane))).toBe(0);
  });

  it('keeps memory bounded', () => {
    const throttle = createLoginThrottle({ now: clock().now, maxEntries: 100, perIp: { freeAttempts: 0 } });
    throttle.recordFailure({ email: 'first@example.com', ip: '10.0.0.0' });
    for (let i = 1; i <= 100; i++) throttle.recordFailure({ email: `u${i}@example.com`, ip: `10.0.0.${i}` });
    // The oldest IP entry was evicted, so it is no longer locked.
    expect(retryAfter(() => throttle.check({ email: 'new@example.com', ip: '10.0.0.0' }))).toBe(0);
    expect(retryAfter(() => throttle.check({ email: 'new@example.com', ip: '10.0.0.100' }))).toBe(1);
  });
});
