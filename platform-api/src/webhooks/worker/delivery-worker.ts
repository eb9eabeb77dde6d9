import type { SecretBox } from '../../crypto/secret-box.ts';
import type { Database } from '../../db/database.ts';
import type { AuditLog } from '../../services/audit-log.ts';
import { createRetrySchedule, type RetrySchedule, type WebhookSender } from '../delivery/index.ts';
import type { AutomaticDisable } from '../disable-endpoint.ts';
import { type Outbox, WEBHOOK_CHANNEL } from '../outbox.ts';
import { type AttemptPlan, planAttempt } from './attempt-plan.ts';
import { createAttemptsInFlight } from './attempts-in-flight.ts';
import { recordAttempts } from './record-attempts.ts';
import { createResultBatcher } from './result-batcher.ts';
import { createWakeup } from './wakeup.ts';

export const DEFAULT_DELIVERY_CONCURRENCY = 64;
/** Longer than an attempt (15 s) plus the time to record it: only a dead worker's messages expire. */
export const DEFAULT_DELIVERY_LEASE_MS = 60_000;
/** Retries come due without a NOTIFY: look this often. */
export const DEFAULT_DELIVERY_POLL_MS = 1_000;
export const DEFAULT_DISABLE_AFTER_MS = 5 * 24 * 3600_000;

export interface DeliveryWorkerOptions {
  db: Database;
  secretBox: SecretBox;
  sender: WebhookSender;
  outbox: Outbox;
  audit: AuditLog;
  schedule?: RetrySchedule;
  /** Attempts in flight at once in this process; default 64. */
  concurrency?: number;
  leaseMs?: number;
  pollMs?: number;
  disableAfterMs?: number;
  /** Told of each batch recorded (metrics, specs). */
  onRecorded?: (plans: readonly AttemptPlan[], disabled: readonly AutomaticDisable[]) => void;
  /** Told of a failed claim or write (the database away): the worker backs off and goes on. */
  onError?: (error: unknown) => void;
  now?: () => Date;
}

export interface DeliveryWorker {
  /** Listens for new messages and starts delivering. */
  start(): Promise<void>;
  /** Stops claiming, cuts attempts still in flight after `graceMs` (they are given back), records what finished. */
  stop(graceMs?: number): Promise<void>;
  /** Attempts in flight now. */
  readonly inFlight: number;
}

/** Where finished attempts go: planned, then recorded in batches, then told to `onRecorded`. */
function resultsFor(
  options: DeliveryWorkerOptions,
  rules: { schedule: RetrySchedule; now: () => Date; disableAfterMs: number },
) {
  return createResultBatcher({
    retryMs: options.pollMs ?? DEFAULT_DELIVERY_POLL_MS,
    ...(options.onError ? { onError: options.onError } : {}),
    async write(batch) {
      const plans = batch.map((finished) => planAttempt(finished, rules.schedule));
      const disabled = await options.db.transaction((tx) =>
        recordAttempts(tx, plans, { deps: options, now: rules.now(), disableAfterMs: rules.disableAfterMs }),
      );
      options.onRecorded?.(plans, disabled);
    },
  });
}

export function createDeliveryWorker(options: DeliveryWorkerOptions): DeliveryWorker {
  const now = options.now ?? (() => new Date());
  const schedule = options.schedule ?? createRetrySchedule();
  const concurrency = options.concurrency ?? DEFAULT_DELIVERY_CONCURRENCY;
  const disableAfterMs = options.disableAfterMs ?? DEFAULT_DISABLE_AFTER_MS;
  const wakeup = createWakeup(options.pollMs ?? DEFAULT_DELIVERY_POLL_MS);
  const results = resultsFor(options, { schedule, now, disableAfterMs });
  const attempts = createAttemptsInFlight({
    db: options.db,
    secretBox: options.secretBox,
    sender: options.sender,
    results,
    wakeup,
    concurrency,
    leaseMs: options.leaseMs ?? DEFAULT_DELIVERY_LEASE_MS,
    now,
    ...(options.onError ? { onError: options.onError } : {}),
  });
  let stopped = false;
  let unlisten: (() => Promise<void>) | undefined;
  let loop: Promise<void> | undefined;

  const run = async () => {
    while (!stopped) {
      let more = false;
      try {
        more = (await attempts.claimAndStart()) > 0;
      } catch (error) {
        options.onError?.(error);
      }
      if (!more || attempts.count >= concurrency) await wakeup.next();
    }
  };

  return {
    get inFlight() {
      return attempts.count;
    },
    async start() {
      unlisten = await options.db.listen(WEBHOOK_CHANNEL, () => wakeup.wake(), {
        onGap: (gap) => {
          if (gap === 'resumed') wakeup.wake();
        },
      });
      loop = run();
    },
    async stop(graceMs = 5_000) {
      stopped = true;
      wakeup.close();
      await unlisten?.();
      await loop;
      await attempts.settle(graceMs);
      // One try: if the database is away now, the leases bring these messages back (a duplicate, never a loss).
      await results.close();
    },
  };
}
