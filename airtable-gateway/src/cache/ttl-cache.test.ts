import { describe, expect, it } from 'vitest';
import { TtlCache } from './ttl-cache.ts';

function cache(maxEntries = 10) {
  const clock = { t: 0 };
  return { clock, cache: new TtlCache<string>(maxEntries, () => clock.t) };
}

describe('TtlCache', () => {
  it('answers until the entry has been kept its ttl, then forgets it', () => {
    const { clock, cache: c } = cache();
    c.set('k', 'app1', 'v', 100);
    clock.t = 99;
    expect(c.get('k')).toBe('v');
    clock.t = 101;
    expect(c.get('k')).toBeUndefined();
  });

  it('keeps nothing given a ttl of 0', () => {
    const { cache: c } = cache();
    c.set('k', 'app1', 'v', 0);
    expect(c.get('k')).toBeUndefined();
    expect(c.size).toBe(0);
  });

  it('drops the least recently used entry past its bound', () => {
    const { cache: c } = cache(2);
    c.set('a', 'app1', 'A', 1_000);
    c.set('b', 'app1', 'B', 1_000);
    c.get('a');
    c.set('c', 'app1', 'C', 1_000);
    expect(c.size).toBe(2);
    expect(c.get('b')).toBeUndefined();
    expect(c.get('a')).toBe('A');
    expect(c.get('c')).toBe('C');
  });

  it('drops every entry of a group and only those', () => {
    const { cache: c } = cache();
    c.set('a', 'app1', 'A', 1_000);
    c.set('b', 'app2', 'B', 1_000);
    c.set('c', 'app1', 'C', 1_000);
    expect(c.invalidateGroup('app1')).toBe(2);
    expect(c.get('a')).toBeUndefined();
    expect(c.get('c')).toBeUndefined();
    expect(c.get('b')).toBe('B');
  });
});
