import type { RunEvent, StoredEvent } from './loop/events.ts';
import type { ChatStore } from './store/chat-store.ts';

/** How long progress events may wait in memory before they are written in one batch. */
export const EVENT_FLUSH_MS = 250;

interface RunLog {
  /** Resolves to the next sequence number once known (new run: 1; resumed run: after the stored ones). */
  ready: Promise<void>;
  next: number;
  pending: StoredEvent[];
  timer?: NodeJS.Timeout;
  writing: Promise<void>;
}

/**
 * A run's events, numbered in emission order in memory and written in batches: one insert
 * per quarter second (and at `done`) instead of one per event. Watchers get each event at
 * once; a reconnecting client gets the stored ones plus those still waiting here.
 */
export function createEventLog(store: ChatStore, flushMs = EVENT_FLUSH_MS) {
  const runs = new Map<string, RunLog>();

  function logOf(runId: string, first: RunEvent): RunLog {
    let log = runs.get(runId);
    if (!log) {
      const created: RunLog = { ready: Promise.resolve(), next: 1, pending: [], writing: Promise.resolve() };
      // A new run starts at 1; a run resumed here (perhaps after a restart) continues its numbering.
      if (first.type !== 'run_started') {
        created.ready = store.lastEventSeq(runId).then((last) => {
          created.next = last + 1;
        });
      }
      log = created;
      runs.set(runId, log);
    }
    return log;
  }

  function flush(runId: string, log: RunLog): Promise<void> {
    clearTimeout(log.timer);
    log.timer = undefined;
    const batch = log.pending.splice(0);
    if (batch.length === 0) return log.writing;
    log.writing = log.writing.then(() => store.appendEvents(runId, batch));
    return log.writing;
  }

  return {
    /** Numbers `event`; `done` and decisions write everything pending before they resolve. */
    async append(runId: string, event: RunEvent): Promise<StoredEvent> {
      const log = logOf(runId, event);
      await log.ready;
      const stored: StoredEvent = { id: `${runId}:${log.next}`, seq: log.next, event };
      log.next += 1;
      log.pending.push(stored);
      // The end of a run (or of its pause) and a decision are written at once: a run that
      // continues, here or in another process, numbers on from the store.
      if (event.type === 'done' || event.type === 'approval_decided') {
        const written = flush(runId, log);
        if (runs.get(runId) === log) runs.delete(runId);
        await written;
      } else {
        log.timer ??= setTimeout(() => void flush(runId, log).catch(() => {}), flushMs);
        log.timer.unref();
      }
      return stored;
    },

    /** Events of a live run not written yet, after `afterSeq`. */
    unwritten(runId: string, afterSeq: number): StoredEvent[] {
      return (runs.get(runId)?.pending ?? []).filter((event) => event.seq > afterSeq);
    },

    /** Writes whatever is pending (shutdown). */
    async flushAll(): Promise<void> {
      await Promise.all([...runs].map(([runId, log]) => flush(runId, log)));
    },
  };
}
