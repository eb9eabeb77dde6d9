import type { Database } from '../db/database.ts';

export const CREDENTIAL_INVALIDATION_CHANNEL = 'airsuite_credentials';
const DEFAULT_TTL_MS = 30_000;
const DEFAULT_MAX_ENTRIES = 10_000;

/**
 * Remembers what a credential (API key, login session) resolved to, so a busy client does
 * not cost a database round trip per request. Revocation must still bite at once: every
 * process listens on a NOTIFY channel and drops the entry the moment any process revokes it.
 */
export interface CredentialCache<T> {
  get(key: string): T | undefined;
  set(key: string, value: T): void;
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
  const unlisten = await db.listen(CREDENTIAL_INVALIDATION_CHANNEL, (key) => {
    entries.delete(key);
  });
  return {
    get(key) {
      const entry = entries.get(key);
      if (!entry) return undefined;
      if (entry.until <= now()) {
        entries.delete(key);
        return undefined;
      }
      return entry.value;
    },
    set(key, value) {
      if (entries.size >= maxEntries) {
        const oldest = entries.keys().next().value;
        if (oldest !== undefined) entries.delete(oldest);
      }
      entries.set(key, { value, until: now() + ttlMs });
    },
    async invalidate(key) {
      entries.delete(key);
      await db.notify(CREDENTIAL_INVALIDATION_CHANNEL, key);
    },
    async close() {
      entries.clear();
      await unlisten();
    },
  };
}
