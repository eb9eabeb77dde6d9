import { LRUCache } from 'lru-cache';

interface Entry<V> {
  value: V;
  /** The base the entry belongs to, for invalidation. */
  group: string;
}

/**
 * A bounded cache whose entries expire, and can be dropped by group (a base). Past
 * `maxEntries`, the least recently used entry goes first.
 */
export class TtlCache<V> {
  readonly #entries: LRUCache<string, Entry<V>>;

  constructor(maxEntries: number, now: () => number = Date.now) {
    this.#entries = new LRUCache<string, Entry<V>>({
      max: maxEntries,
      // lru-cache reads a start time of 0 as "never expires": keep the clock it sees above 0.
      perf: { now: () => now() + 1 },
      // Read the clock on every lookup (the default caches it for 1 ms behind a timer).
      ttlResolution: 0,
    });
  }

  get(key: string): V | undefined {
    return this.#entries.get(key)?.value;
  }

  set(key: string, group: string, value: V, ttlMs: number): void {
    if (ttlMs <= 0) return;
    this.#entries.set(key, { value, group }, { ttl: ttlMs });
  }

  invalidateGroup(group: string): number {
    const doomed: string[] = [];
    // Expired entries are skipped: no lookup can return them.
    for (const [key, entry] of this.#entries.entries()) if (entry.group === group) doomed.push(key);
    for (const key of doomed) this.#entries.delete(key);
    return doomed.length;
  }

  get size(): number {
    return this.#entries.size;
  }
}
