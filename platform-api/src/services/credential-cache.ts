import { LRUCache } from 'lru-cache';
import type { Database } from '../db/database.ts';

export const CREDENTIAL_INVALIDATION_CHANNEL = 'airsuite_credentials';
const DEFAULT_TTL_MS = 30_000;
const DEFAULT_MAX_ENTRIES = 10_000;

/**
 * Remembers what a credential (API key, login session) resolved to, so a busy client does
 * not cost a database round trip per request. Revocation must still bite at once: every
 * process listens on a NOTIFY channel and drops the entry the moment any process revokes it.
 * While that channel is not heard (its connection dropped), nothing is served from memory and
 * everything is dropped again once it is back: a revocation sent meanwhile was never heard.
 */
export interface CredentialCache<T> {
  get(key: string): T | undefined;
  /** Taken before reading the database; `set` ignores a read that an invalidation or a gap overtook. */
  generation(): number;
  set(key: string, value: T, generation: number): void;
  /** Drops `key` here and in every process sharing the database. */
  invalidate(key: string): Promise<void>;
  close(): Promise<void>;
}

export async function createCredentialCache<T>(
  db: Database,
  options: { ttlMs?: number; maxEntries?: number; now?: () => number } = {},
): Promise<CredentialCache<T>> {
  const ttlMs = options.ttlMs ?? DEFAULT_TTL_MS;
  const maxEntries = options.maxEntries ?? DEFAULT_MAX_ENTRIES;
  const now = options.now ?? Date.now;
  // ttlResolution 0: every read asks the clock, so an injected clock is exact. lru-cache takes
  // a start time of 0 for "no TTL", so the clock it sees never reads 0.
  const entries = new LRUCache<string, { value: T }>({
    max: maxEntries,
    ttl: ttlMs,
    ttlResolution: 0,
    perf: { now: () => now() + 1 },
  });
  // Counts invalidations and gaps (bounded: only the exact value matters, so wrapping is harmless).
  let generation = 0;
  let listening = true;
  const bump = () => {
    generation = (generation + 1) % Number.MAX_SAFE_INTEGER;
  };
  const drop = (key: string) => {
    bump();
    entries.delete(key);
  };
  const unlisten = await db.listen(CREDENTIAL_INVALIDATION_CHANNEL, drop, {
    onGap(gap) {
      bump();
      entries.clear();
      listening = gap === 'resumed';
    },
  });
  return {
    get(key) {
      if (!listening) return undefined;
      return entries.get(key)?.value;
    },
    generation: () => generation,
    set(key, value, taken) {
      if (!listening || taken !== generation) return;
      entries.set(key, { value });
    },
    async invalidate(key) {
      drop(key);
      await db.notify(CREDENTIAL_INVALIDATION_CHANNEL, key);
    },
    async close() {
      entries.clear();
      await unlisten();
    },
  };
}
