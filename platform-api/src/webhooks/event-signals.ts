import type { Database } from '../db/database.ts';
import { WEBHOOK_EVENTS_CHANNEL } from './outbox.ts';

/**
 * Who to wake when a workspace's events commit: one LISTEN per process for every open stream
 * (opened with the first, kept until `close()`), fanned out by the workspace id the outbox
 * sends. A NOTIFY can be lost (the LISTEN connection dropping and coming back): when it comes
 * back, every stream is woken to look, and each polls anyway.
 */
export interface EventSignals {
  /** Calls `wake` whenever events of `workspaceId` may have committed; returns the unsubscribe. */
  subscribe(workspaceId: string, wake: () => void): Promise<() => void>;
  close(): Promise<void>;
}

export function createEventSignals(db: Database): EventSignals {
  const byWorkspace = new Map<string, Set<() => void>>();
  let listening: Promise<() => Promise<void>> | undefined;
  let closed = false;

  const each = (wakes: Iterable<() => void> | undefined) => {
    for (const wake of wakes ?? []) wake();
  };
  const everyone = () => [...byWorkspace.values()].flatMap((wakes) => [...wakes]);

  return {
    async subscribe(workspaceId, wake) {
      const wakes = byWorkspace.get(workspaceId) ?? new Set();
      byWorkspace.set(workspaceId, wakes);
      wakes.add(wake);
      if (!closed) {
        listening ??= db.listen(WEBHOOK_EVENTS_CHANNEL, (payload) => each(byWorkspace.get(payload)), {
          onGap: (gap) => {
            if (gap === 'resumed') each(everyone());
          },
        });
        // A failed LISTEN is tried again by the next stream; this one polls meanwhile.
        await listening.catch(() => {
          listening = undefined;
        });
      }
      return () => {
        wakes.delete(wake);
        if (wakes.size === 0 && byWorkspace.get(workspaceId) === wakes) byWorkspace.delete(workspaceId);
      };
    },
    async close() {
      closed = true;
      byWorkspace.clear();
      const unlisten = await listening?.catch(() => undefined);
      listening = undefined;
      await unlisten?.();
    },
  };
}
