import type { FinishedAttempt } from './attempt-plan.ts';

const FLUSH_BATCH = 64;
const FLUSH_DELAY_MS = 10;
const MAX_PER_WRITE = 500;

/**
 * Finished attempts, written in batches: at once when a batch is full, else a few ms after the
 * first waits, so a steady trickle costs one transaction per batch and not one per delivery.
 * One write at a time; a failed write keeps its batch for the next try (retrying after
 * `retryMs`), unless the batcher is closing: then the leases bring those messages back. Closing
 * cuts a retry's wait short, so a stop is never held up by it.
 */
export function createResultBatcher(options: {
  write(batch: FinishedAttempt[]): Promise<void>;
  onError?: (error: unknown) => void;
  retryMs: number;
}) {
  const finished: FinishedAttempt[] = [];
  let writing: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let closing = false;
  /** Ends the wait before a retry, when one is waiting. */
  let endRetryWait: (() => void) | undefined;

  const cancelTimer = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
  };

  const flush = (): Promise<void> => {
    writing ??= (async () => {
      while (finished.length > 0) {
        cancelTimer();
        const batch = finished.splice(0, MAX_PER_WRITE);
        try {
          await options.write(batch);
        } catch (error) {
          options.onError?.(error);
          if (closing) break;
          finished.unshift(...batch);
          await new Promise<void>((resolve) => {
            const wait = setTimeout(resolve, options.retryMs).unref();
            endRetryWait = () => {
              clearTimeout(wait);
              resolve();
            };
          });
          endRetryWait = undefined;
        }
      }
    })().finally(() => {
      writing = undefined;
    });
    return writing;
  };

  return {
    push(attempt: FinishedAttempt): void {
      finished.push(attempt);
      if (finished.length >= FLUSH_BATCH || closing) {
        cancelTimer();
        void flush();
      } else {
        timer ??= setTimeout(() => {
          timer = undefined;
          void flush();
        }, FLUSH_DELAY_MS);
      }
    },
    /** Writes what is left, once (a failure is not retried). */
    async close(): Promise<void> {
      closing = true;
      endRetryWait?.();
      await writing;
      await flush();
    },
  };
}
