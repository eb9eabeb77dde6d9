import { describe, expect, it } from 'vitest';
import { closeOnce } from './close-once.ts';

describe('closeOnce', () => {
  it('runs the shutdown once when the shutdown itself calls close again (a transport onclose)', async () => {
    let runs = 0;
    const close = closeOnce(async () => {
      runs++;
      void close();
      void close();
    });
    const first = close();
    expect(close()).toBe(first);
    await first;
    await close();
    expect(runs).toBe(1);
  });

  it('hands every caller the same outcome, a failure included', async () => {
    const close = closeOnce(async () => {
      throw new Error('stuck');
    });
    await expect(close()).rejects.toThrow('stuck');
    await expect(close()).rejects.toThrow('stuck');
  });
});
