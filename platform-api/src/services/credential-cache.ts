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
  const entries = new Map<string, { value: T; until: number }>();
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
      const entry = entries.get(key);
      if (!entry) return undefined;
      if (entry.until <= now()) {
        entries.delete(key);
        return undefined;
      }
      return entry.value;
    },
    generation: () => generation,
    set(key, value, taken) {
      if (!listening || taken !== generation) return;
      if (entries.size >= maxEntries) {
        const oldest = entries.keys().next().value;
        if (oldest !== undefined) entries.delete(oldest);
      }
      entries.set(key, { value, until: now() + ttlMs });
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
