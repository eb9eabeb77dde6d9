/**
 * The worker's one place to wait: until woken (a NOTIFY, a free slot) or the poll interval
 * passes, whichever is first. A wake that comes while nobody waits is kept for the next wait,
 * so a NOTIFY that lands between a claim and the wait is never missed.
 */
export function createWakeup(pollMs: number) {
  let pending = false;
  let closed = false;
  let release: (() => void) | undefined;
  let timer: NodeJS.Timeout | undefined;

  const settle = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    const resolve = release;
    release = undefined;
    resolve?.();
  };

  return {
    wake() {
      if (release) settle();
      else pending = true;
    },
    /** Resolves at the next wake (or at once if one came meanwhile), or after `pollMs`. */
    next(): Promise<void> {
      if (pending || closed) {
        pending = false;
        return Promise.resolve();
      }
      return new Promise<void>((resolve) => {
        release = resolve;
        timer = setTimeout(settle, pollMs);
      });
    },
    close() {
      closed = true;
      settle();
    },
  };
}
