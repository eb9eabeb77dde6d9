import type { AttemptOutcome, RetrySchedule } from '../delivery/index.ts';
import type { AutomaticDisable } from '../disable-endpoint.ts';
import type { ClaimedMessage } from './claim-due.ts';

/** One attempt, sent, and what came of it. */
export interface FinishedAttempt {
  message: ClaimedMessage;
  outcome: AttemptOutcome;
}

export type MessageState = 'pending' | 'delivered' | 'dead' | 'aborted';

/** What one finished attempt writes: its log row, the message's new state, the endpoint's health. */
export interface AttemptPlan {
  message: ClaimedMessage;
  outcome: AttemptOutcome;
  endedAt: Date;
  state: MessageState;
  /** When it is due again (state pending). */
  nextAttemptAt?: Date;
  /** A shutdown cut the attempt short: it is given back (not logged, not counted, due at once). */
  refunded: boolean;
  /** Counts for the endpoint's health: true success, false failure, undefined neither. */
  healthy?: boolean;
  error?: string;
  disable?: Omit<AutomaticDisable, 'at'>;
}

/** Pure: the schedule's word on a failure, the verdict's on everything else. */
export function planAttempt(finished: FinishedAttempt, schedule: RetrySchedule): AttemptPlan {
  const { message, outcome } = finished;
  const endedAt = new Date(outcome.startedAt.getTime() + outcome.latencyMs);
  const base = { message, outcome, endedAt, refunded: false };
  switch (outcome.kind) {
    case 'success':
      return { ...base, state: 'delivered', healthy: true };
    case 'abort':
      // The receiver asked for this message to stop: not a failure of the endpoint.
      return { ...base, state: 'aborted', error: outcome.code };
    case 'disable':
      return {
        ...base,
        state: 'dead',
        healthy: false,
        error: `${outcome.code}: ${outcome.message}`,
        disable: {
          endpointId: message.endpoint.id,
          reason: outcome.code === 'WEBHOOK_GONE' ? 'gone' : 'refused',
          message: outcome.message,
        },
      };
    case 'retry': {
      if (outcome.code === 'WEBHOOK_CANCELLED') {
        return { ...base, state: 'pending', nextAttemptAt: endedAt, refunded: true };
      }
      const error = `${outcome.code}: ${outcome.message}`;
      const next = schedule.next({
        attempt: message.attempt - message.replayedAfter,
        failedAt: endedAt,
        ...(outcome.retryAfterMs !== undefined ? { retryAfterMs: outcome.retryAfterMs } : {}),
      });
      return next.kind === 'retry'
        ? { ...base, state: 'pending', nextAttemptAt: next.at, healthy: false, error }
        : { ...base, state: 'dead', healthy: false, error };
    }
  }
}

export interface EndpointHealthChange {
  endpointId: string;
  /** A success came in this batch: the failing streak restarts at `failingFrom` (or ends). */
  succeeded: boolean;
  /** The first failure after the batch's last success; undefined when none. */
  failingFrom?: Date;
  lastError?: string;
}

/** Per endpoint, in the order the attempts ended: when its current failing streak began. */
export function healthChanges(plans: readonly AttemptPlan[]): EndpointHealthChange[] {
  const byEndpoint = new Map<string, AttemptPlan[]>();
  for (const plan of plans) {
    if (plan.healthy === undefined) continue;
    const list = byEndpoint.get(plan.message.endpoint.id) ?? [];
    list.push(plan);
    byEndpoint.set(plan.message.endpoint.id, list);
  }
  return [...byEndpoint].map(([endpointId, list]) => {
    list.sort((a, b) => a.endedAt.getTime() - b.endedAt.getTime());
    const lastSuccess = list.findLastIndex((plan) => plan.healthy);
    const failures = list.slice(lastSuccess + 1);
    return {
      endpointId,
      succeeded: lastSuccess >= 0,
      ...(failures[0] ? { failingFrom: failures[0].endedAt } : {}),
      ...(failures.at(-1)?.error ? { lastError: failures.at(-1)?.error } : {}),
    };
  });
}
