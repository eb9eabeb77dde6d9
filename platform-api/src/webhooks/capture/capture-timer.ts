import type { Database } from '../../db/database.ts';
import type { PullScheduler } from './pull-scheduler.ts';

/** Stops the timer; resolves once the round under way (if any) has ended. */
export interface CaptureTimer {
  stop(): Promise<void>;
}

/**
 * Pulls every capture on a timer, looking after its webhook as well: without a public URL no
 * ping ever comes, and even with one a webhook must be refreshed before it expires. Captures
 * go one at a time, least recently pulled first, skipping those another process has leased;
 * a round still going when the next is due is not doubled.
 */
export function startCaptureTimer(deps: {
  db: Database;
  now: () => Date;
  /** 0 for never. */
  intervalMs: number;
  scheduler: PullScheduler;
  onError: (error: unknown) => void;
}): CaptureTimer {
  const { db, now, scheduler } = deps;
  let round: Promise<void> | undefined;

  async function tick(): Promise<void> {
    const rows = await db.query<{ id: string }>(
      `SELECT id FROM webhook_captures WHERE pull_lease_until IS NULL OR pull_lease_until < $1
       ORDER BY last_pull_at NULLS FIRST`,
      [now()],
    );
    for (const { id } of rows) {
      if (scheduler.closed) return;
      await scheduler.schedule(id, true);
    }
  }

  const timer =
    deps.intervalMs > 0
      ? setInterval(() => {
          round ??= tick()
            .catch(deps.onError)
            .finally(() => {
              round = undefined;
            });
        }, deps.intervalMs)
      : undefined;
  timer?.unref();

  return {
    async stop() {
      if (timer) clearInterval(timer);
      await round;
    },
  };
}
