import { LRUCache } from 'lru-cache';
import type { Database } from '../db/database.ts';
import type { WorkspaceAccess } from '../principal.ts';

export const ACCESS_INVALIDATION_CHANNEL = 'airsuite_workspace_access';
const DEFAULT_TTL_MS = 30_000;
const DEFAULT_MAX_WORKSPACES = 10_000;

/**
 * Who may do what in a workspace, remembered so a busy API key or token does not cost a
 * membership query per request. Any change to a workspace or its members drops that
 * workspace's entries in every process (NOTIFY), so a demotion or removal bites at once.
 * While that channel is not heard (its connection dropped), nothing is served from memory and
 * everything is dropped again once it is back: a change announced meanwhile was never heard.
 */
export interface AccessCache {
  get(principalKey: string, workspaceId: string): WorkspaceAccess | undefined;
  /** Taken before reading the database; `set` ignores a read that an invalidation overtook. */
  generation(workspaceId: string): number;
  set(principalKey: string, access: WorkspaceAccess, generation: number): void;
  /** Call after (not before) the change commits, so no process re-reads the old state. */
  invalidate(workspaceId: string): Promise<void>;
  close(): Promise<void>;
}

export async function createAccessCache(
  db: Database,
  options: { ttlMs?: number; maxWorkspaces?: number; now?: () => number } = {},
): Promise<AccessCache> {
  const ttlMs = options.ttlMs ?? DEFAULT_TTL_MS;
  const maxWorkspaces = options.maxWorkspaces ?? DEFAULT_MAX_WORKSPACES;
  const now = options.now ?? Date.now;
  // The least recently used workspace goes first once `maxWorkspaces` are held.
  const byWorkspace = new LRUCache<string, Map<string, { access: WorkspaceAccess; until: number }>>({
    max: maxWorkspaces,
  });
  // Counts invalidations (bounded: only the exact value matters, so wrapping is harmless).
  let invalidations = 0;
  const drop = (workspaceId: string) => {
    invalidations = (invalidations + 1) % Number.MAX_SAFE_INTEGER;
    byWorkspace.delete(workspaceId);
  };
  let listening = true;
  const unlisten = await db.listen(ACCESS_INVALIDATION_CHANNEL, drop, {
    onGap(gap) {
      invalidations = (invalidations + 1) % Number.MAX_SAFE_INTEGER;
      byWorkspace.clear();
      listening = gap === 'resumed';
    },
  });
  return {
    get(principalKey, workspaceId) {
      if (!listening) return undefined;
      const entry = byWorkspace.get(workspaceId)?.get(principalKey);
      if (!entry) return undefined;
      if (entry.until > now()) return entry.access;
      byWorkspace.get(workspaceId)?.delete(principalKey);
      return undefined;
    },
    generation: () => invalidations,
    set(principalKey, access, generation) {
      if (!listening || generation !== invalidations) return;
      let entries = byWorkspace.get(access.workspaceId);
      if (!entries) {
        entries = new Map();
        byWorkspace.set(access.workspaceId, entries);
      }
      entries.set(principalKey, { access, until: now() + ttlMs });
    },
    async invalidate(workspaceId) {
      drop(workspaceId);
      await db.notify(ACCESS_INVALIDATION_CHANNEL, workspaceId);
    },
    async close() {
      byWorkspace.clear();
      await unlisten();
    },
  };
}
