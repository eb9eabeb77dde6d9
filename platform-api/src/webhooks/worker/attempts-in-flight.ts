import { setMaxListeners } from 'node:events';
import type { SecretBox } from '../../crypto/secret-box.ts';
import type { Database } from '../../db/database.ts';
import type { WebhookSender } from '../delivery/index.ts';
import { openHeaders, signingSecrets } from '../endpoint-rows.ts';
import type { FinishedAttempt } from './attempt-plan.ts';
import { type ClaimedMessage, claimDue } from './claim-due.ts';

/** The attempts this process has in flight, at most `concurrency` of them. */
export interface AttemptsInFlight {
  readonly count: number;
  /**
   * Claims due messages for the free slots and starts sending them. The claim count when it
   * filled every slot (more may be due), else 0.
   */
  claimAndStart(): Promise<number>;
  /** Lets attempts in flight finish for `graceMs`, then cuts the rest (they are given back). */
  settle(graceMs: number): Promise<void>;
}

export interface AttemptsInFlightDeps {
  db: Database;
  secretBox: SecretBox;
  sender: WebhookSender;
  /** Where each finished attempt goes. */
  results: { push(attempt: FinishedAttempt): void };
  /** Woken when enough slots are free for another claim. */
  wakeup: { wake(): void };
  concurrency: number;
  leaseMs: number;
  now: () => Date;
  onError?: (error: unknown) => void;
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

export function createAttemptsInFlight(deps: AttemptsInFlightDeps): AttemptsInFlight {
  const { concurrency } = deps;
  const minClaim = Math.max(1, Math.floor(concurrency / 4));
  let inFlight = 0;
  const abort = new AbortController();
  // Every attempt in flight listens for the shutdown (and stops listening when it ends).
  setMaxListeners(0, abort.signal);

  const deliver = async (
    message: ClaimedMessage,
    secrets: readonly string[],
    headers: Record<string, string>,
  ) => {
    try {
      const outcome = await deps.sender.send({
        url: message.endpoint.url,
        messageId: message.id,
        body: message.body,
        secrets,
        headers,
        signal: abort.signal,
      });
      deps.results.push({ message, outcome });
    } catch (error) {
      // A sender bug: the message waits for its lease to run out rather than being lost.
      deps.onError?.(error);
    } finally {
      inFlight -= 1;
      if (concurrency - inFlight >= minClaim) deps.wakeup.wake();
    }
  };

  return {
    get count() {
      return inFlight;
    },
    async claimAndStart() {
      const free = concurrency - inFlight;
      // Claims are batched too: wait for a quarter of the slots unless nothing is in flight.
      if (free <= 0 || (inFlight > 0 && free < minClaim)) return 0;
      const claimed = await claimDue(deps.db, { limit: free, leaseMs: deps.leaseMs, now: deps.now() });
      const open = openerOf(deps.secretBox, deps.now());
      for (const message of claimed) {
        const { secrets, headers } = open(message);
        inFlight += 1;
        void deliver(message, secrets, headers);
      }
      return claimed.length === free ? claimed.length : 0;
    },
    async settle(graceMs) {
      const deadline = Date.now() + graceMs;
      while (inFlight > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      abort.abort();
      while (inFlight > 0) await new Promise((r) => setTimeout(r, 5));
    },
  };
}
