import { createEventLog } from '../event-log.ts';
import type { RunEvent, StoredEvent } from '../loop/events.ts';
import type { ChatStore } from '../store/chat-store.ts';

export type RunListener = (event: StoredEvent) => void;

/**
 * Runs' events, persisted in order (the event log) and fanned out live to this process's
 * watchers; a watcher that joins late gets the stored events first, then the live ones, once each.
 */
export function createRunFanout(store: ChatStore) {
  const listeners = new Map<string, Set<RunListener>>();
  const queues = new Map<string, Promise<unknown>>();
  const events = createEventLog(store);

  const listen = (runId: string, listener: RunListener) => {
    let set = listeners.get(runId);
    if (!set) {
      set = new Set();
      listeners.set(runId, set);
    }
    set.add(listener);
    return () => {
      set?.delete(listener);
      if (set?.size === 0) listeners.delete(runId);
    };
  };

  return {
    /** Events of one run are numbered one after another, so sequence numbers follow emission order. */
    emit(runId: string, event: RunEvent): Promise<void> {
      const previous = queues.get(runId) ?? Promise.resolve();
      const next = previous.then(async () => {
        const stored = await events.append(runId, event);
        for (const listener of listeners.get(runId) ?? []) listener(stored);
      });
      queues.set(
        runId,
        next.catch(() => {}),
      );
      return next;
    },

    /** Live events of a run after `afterSeq` (replayed from the store first). Returns the unsubscribe. */
    async subscribe(runId: string, afterSeq: number, listener: RunListener): Promise<() => void> {
      let last = afterSeq;
      const buffered: StoredEvent[] = [];
      let replaying = true;
      const live: RunListener = (event) => {
        if (replaying) buffered.push(event);
        else if (event.seq > last) {
          last = event.seq;
          listener(event);
        }
      };
      const unsubscribe = listen(runId, live);
      const stored = await store.eventsAfter(runId, afterSeq);
      const waiting = events.unwritten(runId, stored.at(-1)?.seq ?? afterSeq);
      for (const event of [...stored, ...waiting]) {
        if (event.seq <= last) continue;
        last = event.seq;
        listener(event);
      }
      replaying = false;
      for (const event of buffered) live(event);
      return unsubscribe;
    },

    /** Writes whatever is pending (shutdown). */
    flushAll: () => events.flushAll(),
  };
}
