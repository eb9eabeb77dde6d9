import { setMaxListeners } from 'node:events';
import type { SecretBox } from '../../crypto/secret-box.ts';
import type { Database } from '../../db/database.ts';
import type { AuditLog } from '../../services/audit-log.ts';
import { createRetrySchedule, type RetrySchedule, type WebhookSender } from '../delivery/index.ts';
import type { AutomaticDisable } from '../disable-endpoint.ts';
import { openHeaders, signingSecrets } from '../endpoint-rows.ts';
import { type Outbox, WEBHOOK_CHANNEL } from '../outbox.ts';
import { type AttemptPlan, planAttempt } from './attempt-plan.ts';
import { type ClaimedMessage, claimDue } from './claim-due.ts';
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

interface WorkerState {
  stopped: boolean;
  inFlight: number;
  abort: AbortController;
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

/** A claim's secrets and custom headers, opened once per endpoint version (not per message). */
function openerOf(box: SecretBox, at: Date) {
  const opened = new Map<string, { secrets: string[]; headers: Record<string, string> }>();
  return (message: ClaimedMessage) => {
    const key = `${message.endpoint.id}:${new Date(message.endpoint.updated_at).getTime()}`;
    let sealed = opened.get(key);
    if (!sealed) {
      sealed = {
        secrets: signingSecrets(box, message.endpoint, at),
        headers: openHeaders(box, message.endpoint),
      };
      opened.set(key, sealed);
    }
    return sealed;
  };
}

/** Lets attempts in flight finish for `graceMs`, then cuts the rest (they are given back). */
async function settleInFlight(state: WorkerState, graceMs: number): Promise<void> {
  const deadline = Date.now() + graceMs;
  while (state.inFlight > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  state.abort.abort();
  while (state.inFlight > 0) await new Promise((r) => setTimeout(r, 5));
}

export function createDeliveryWorker(options: DeliveryWorkerOptions): DeliveryWorker {
  const now = options.now ?? (() => new Date());
  const schedule = options.schedule ?? createRetrySchedule();
  const concurrency = options.concurrency ?? DEFAULT_DELIVERY_CONCURRENCY;
  const leaseMs = options.leaseMs ?? DEFAULT_DELIVERY_LEASE_MS;
  const disableAfterMs = options.disableAfterMs ?? DEFAULT_DISABLE_AFTER_MS;
  const minClaim = Math.max(1, Math.floor(concurrency / 4));
  const wakeup = createWakeup(options.pollMs ?? DEFAULT_DELIVERY_POLL_MS);
  const state: WorkerState = { stopped: false, inFlight: 0, abort: new AbortController() };
  // Every attempt in flight listens for the shutdown (and stops listening when it ends).
  setMaxListeners(0, state.abort.signal);
  let unlisten: (() => Promise<void>) | undefined;
  let loop: Promise<void> | undefined;

  const results = resultsFor(options, { schedule, now, disableAfterMs });

  const deliver = async (
    message: ClaimedMessage,
    secrets: readonly string[],
    headers: Record<string, string>,
  ) => {
    try {
      const outcome = await options.sender.send({
        url: message.endpoint.url,
        messageId: message.id,
        body: message.body,
        secrets,
        headers,
        signal: state.abort.signal,
      });
      results.push({ message, outcome });
    } catch (error) {
      // A sender bug: the message waits for its lease to run out rather than being lost.
      options.onError?.(error);
    } finally {
      state.inFlight -= 1;
      if (concurrency - state.inFlight >= minClaim) wakeup.wake();
    }
  };

  const claimAndStart = async (): Promise<number> => {
    const free = concurrency - state.inFlight;
    // Claims are batched too: wait for a quarter of the slots unless nothing is in flight.
    if (free <= 0 || (state.inFlight > 0 && free < minClaim)) return 0;
    const claimed = await claimDue(options.db, { limit: free, leaseMs, now: now() });
    const open = openerOf(options.secretBox, now());
    for (const message of claimed) {
      const { secrets, headers } = open(message);
      state.inFlight += 1;
      void deliver(message, secrets, headers);
    }
    return claimed.length === free ? claimed.length : 0;
  };

  const run = async () => {
    while (!state.stopped) {
      let more = false;
      try {
        more = (await claimAndStart()) > 0;
      } catch (error) {
        options.onError?.(error);
      }
      if (!more || state.inFlight >= concurrency) await wakeup.next();
    }
  };

  return {
    get inFlight() {
      return state.inFlight;
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
      state.stopped = true;
      wakeup.close();
      await unlisten?.();
      await loop;
      await settleInFlight(state, graceMs);
      // One try: if the database is away now, the leases bring these messages back (a duplicate, never a loss).
      await results.close();
    },
  };
}
