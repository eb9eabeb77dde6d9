import type { PullOptions, PullResult } from './capture-pull.ts';

/**
 * The pulls in flight in this process, at most one per capture: a ping during a pull asks it
 * for one more round instead of starting a second pull that would only find the lease taken.
 */
export interface PullScheduler {
  /**
   * Pulls the capture until no payloads wait, or joins the pull already running (which then
   * goes round once more, looking after the webhook too if `maintain`). Nothing once closed.
   */
  schedule(captureId: string, maintain: boolean): Promise<void>;
  readonly closed: boolean;
  /** Takes no more pulls, and waits for those in flight to finish their round. */
  close(): Promise<void>;
}

interface Running {
  again: boolean;
  maintain: boolean;
  done: Promise<void>;
}

export function createPullScheduler(
  pull: (captureId: string, options: PullOptions) => Promise<PullResult>,
  onError: (error: unknown) => void,
): PullScheduler {
  const running = new Map<string, Running>();
  let closed = false;

  function schedule(captureId: string, maintain: boolean): Promise<void> {
    if (closed) return Promise.resolve();
    const current = running.get(captureId);
    if (current) {
      current.again = true;
      current.maintain ||= maintain;
      return current.done;
    }
    const entry: Running = { again: true, maintain, done: Promise.resolve() };
    entry.done = (async () => {
      try {
        while (entry.again && !closed) {
          const options = { maintain: entry.maintain };
          entry.again = false;
          entry.maintain = false;
          const result = await pull(captureId, options);
          if (result.more) entry.again = true;
        }
      } catch (error) {
        onError(error);
      } finally {
        running.delete(captureId);
      }
    })();
    running.set(captureId, entry);
    return entry.done;
  }

  return {
    schedule,
    get closed() {
      return closed;
    },
    async close() {
      closed = true;
      await Promise.all([...running.values()].map((entry) => entry.done));
    },
  };
}
