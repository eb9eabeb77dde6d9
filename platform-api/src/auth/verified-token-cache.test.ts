import { describe, expect, it } from 'vitest';
import { createVerifiedTokenCache } from './verified-token-cache.ts';

describe('verified token cache', () => {
  it('returns values until their expiry', () => {
    const cache = createVerifiedTokenCache<string>(10);
    cache.set('t', 'claims', 1000);
    expect(cache.get('t', 999)).toBe('claims');
    expect(cache.get('t', 1000)).toBeUndefined();
    expect(cache.get('t', 0)).toBeUndefined(); // dropped once seen expired
  });

  it('evicts the least recently used entry past its size', () => {
    const cache = createVerifiedTokenCache<number>(2);
    cache.set('a', 1, 10);
    cache.set('b', 2, 10);
    expect(cache.get('a', 0)).toBe(1); // a is now the most recent
    cache.set('c', 3, 10);
    expect(cache.get('b', 0)).toBeUndefined();
    expect(cache.get('a', 0)).toBe(1);
    expect(cache.get('c', 0)).toBe(3);
  });
});
