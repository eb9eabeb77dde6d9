import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase } from '../db/test-database.ts';
import { PlatformError } from '../errors.ts';
import { createLoginThrottle, type LoginThrottleOptions, lockoutMs } from './login-throttle.ts';

let testDb: TestDatabase;
beforeAll(async () => {
  testDb = await openTestDatabase();
}, 60_000);
afterAll(async () => {
  await testDb?.close();
});
beforeEach(async () => {
  await testDb.db.query('DELETE FROM login_failures');
});

function clock(start = Date.UTC(2025, 0, 1)) {
  let t = start;
  return { now: () => new Date(t), advance: (ms: number) => (t += ms) };
}

const throttleWith = (options: LoginThrottleOptions) => createLoginThrottle(testDb.db, options);

/** Seconds until the attempt may go ahead; 0 when it is not throttled. */
async function retryAfter(check: Promise<void>): Promise<number> {
  try {
    await check;
    return 0;
  } catch (error) {
    expect(error).toBeInstanceOf(PlatformError);
    expect((error as PlatformError).code).toBe('AUTH_THROTTLED');
    expect((error as PlatformError).status).toBe(429);
    return (error as PlatformError).details?.retryAfterSeconds as number;
  }
}

const jane = { email: 'jane@example.com', ip: '203.0.113.5' };

describe('lockoutMs', () => {
  it('is free for the free attempts, then doubles from 1 s up to 15 min', () => {
    const limit = { freeAttempts: 5 };
    expect([5, 6, 7, 8, 15, 16, 60].map((n) => lockoutMs(n, limit))).toEqual([
      0, 1000, 2000, 4000, 512_000, 900_000, 900_000,
    ]);
  });
});

describe('login throttle', () => {
  it('allows the free failures, then locks for 1 s, 2 s, 4 s …', async () => {
    const time = clock();
    const throttle = throttleWith({ now: time.now });
    for (let i = 0; i < 5; i++) {
      expect(await retryAfter(throttle.check(jane))).toBe(0);
      await throttle.recordFailure(jane);
    }
    expect(await retryAfter(throttle.check(jane))).toBe(0);
    await throttle.recordFailure(jane); // 6th
    expect(await retryAfter(throttle.check(jane))).toBe(1);
    time.advance(1000);
    expect(await retryAfter(throttle.check(jane))).toBe(0);
    await throttle.recordFailure(jane); // 7th
    expect(await retryAfter(throttle.check(jane))).toBe(2);
    time.advance(2000);
    await throttle.recordFailure(jane); // 8th
    expect(await retryAfter(throttle.check(jane))).toBe(4);
    time.advance(1500);
    expect(await retryAfter(throttle.check(jane))).toBe(3); // rounds up
  });

  it('caps the lock-out at 15 minutes', async () => {
    const throttle = throttleWith({ now: clock().now });
    for (let i = 0; i < 40; i++) await throttle.recordFailure(jane);
    expect(await retryAfter(throttle.check(jane))).toBe(900);
  });

  it('keys accounts by lower-cased email', async () => {
    const throttle = throttleWith({ now: clock().now, perAccount: { freeAttempts: 1 } });
    await throttle.recordFailure({ email: 'Jane@Example.com', ip: '1.1.1.1' });
    await throttle.recordFailure({ email: 'jane@example.COM', ip: '2.2.2.2' });
    expect(await retryAfter(throttle.check({ email: 'JANE@example.com', ip: '3.3.3.3' }))).toBe(1);
  });

  it('counts IPs separately, across accounts', async () => {
    const throttle = throttleWith({ now: clock().now, perIp: { freeAttempts: 3 } });
    for (let i = 0; i < 4; i++)
      await throttle.recordFailure({ email: `user${i}@example.com`, ip: '198.51.100.7' });
    expect(await retryAfter(throttle.check({ email: 'fresh@example.com', ip: '198.51.100.7' }))).toBe(1);
    expect(await retryAfter(throttle.check({ email: 'fresh@example.com', ip: '198.51.100.8' }))).toBe(0);
  });

  it('success clears the account counter but not the IP counter', async () => {
    const throttle = throttleWith({
      now: clock().now,
      perAccount: { freeAttempts: 2 },
      perIp: { freeAttempts: 2 },
    });
    for (let i = 0; i < 2; i++) await throttle.recordFailure(jane);
    await throttle.recordSuccess(jane);
    await throttle.recordFailure({ ...jane, ip: '192.0.2.1' }); // account: 1st failure again
    expect(await retryAfter(throttle.check({ ...jane, ip: '192.0.2.1' }))).toBe(0);
    await throttle.recordFailure({ email: 'other@example.com', ip: jane.ip }); // IP: 3rd failure
    expect(await retryAfter(throttle.check({ email: 'other@example.com', ip: jane.ip }))).toBe(1);
  });

  it('forgets failures 15 minutes after the last one', async () => {
    const time = clock();
    const throttle = throttleWith({ now: time.now });
    for (let i = 0; i < 5; i++) await throttle.recordFailure(jane);
    time.advance(15 * 60 * 1000 + 1);
    await throttle.recordFailure(jane); // counted as the first again, so no lock
    expect(await retryAfter(throttle.check(jane))).toBe(0);
  });

  it('is shared by every process on the database, and survives a restart', async () => {
    const time = clock();
    const processes = [1, 2, 3].map(() => throttleWith({ now: time.now }));
    // Two failures through each of three processes: six in all, one over the free five.
    for (const throttle of processes) {
      await throttle.recordFailure(jane);
      await throttle.recordFailure(jane);
    }
    for (const throttle of processes) expect(await retryAfter(throttle.check(jane))).toBe(1);
    const restarted = throttleWith({ now: time.now });
    expect(await retryAfter(restarted.check(jane))).toBe(1);
  });

  it('counts concurrent failures one by one', async () => {
    const throttle = throttleWith({ now: clock().now, perAccount: { freeAttempts: 0 } });
    await Promise.all(Array.from({ length: 8 }, () => throttle.recordFailure(jane)));
    const [row] = await testDb.db.query<{ failures: number }>(
      "SELECT failures FROM login_failures WHERE kind = 'account'",
    );
    expect(Number(row?.failures)).toBe(8);
    expect(await retryAfter(throttle.check(jane))).toBe(128);
  });

  it('stores neither the email nor the IP, only hashes of them', async () => {
    await throttleWith({ now: clock().now }).recordFailure(jane);
    const rows = await testDb.db.query<Record<string, unknown>>('SELECT * FROM login_failures');
    expect(rows).toHaveLength(2);
    const dump = JSON.stringify(rows);
    expect(dump).not.toContain('jane');
    expect(dump).not.toContain('203.0.113');
  });

  it('prunes counters that are forgotten and no longer lock anyone', async () => {
    const time = clock();
    const throttle = throttleWith({ now: time.now, perAccount: { freeAttempts: 0 } });
    await throttle.recordFailure(jane);
    time.advance(16 * 60 * 1000);
    await throttle.recordFailure({ email: 'later@example.com', ip: '192.0.2.9' });
    expect(await throttle.prune()).toBe(2); // jane's account and IP counters
    const left = await testDb.db.query('SELECT kind FROM login_failures ORDER BY kind');
    expect(left).toEqual([{ kind: 'account' }, { kind: 'ip' }]);
  });
});
