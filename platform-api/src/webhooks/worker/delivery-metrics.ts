import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { Queryable } from '../../db/database.ts';
import type { AutomaticDisable } from '../disable-endpoint.ts';
import type { AttemptPlan } from './attempt-plan.ts';

/**
 * Delivery as Prometheus sees it: attempts by outcome, lag from commit to a receiver's 2xx,
 * dead letters, endpoints disabled, and the backlog (read from the database at each scrape,
 * so every process reports the same shared queue). No workspace or endpoint labels: a shared
 * deployment's metrics must not name its tenants, and the cardinality stays fixed.
 */
export function createDeliveryMetrics(registry: Registry, db: Queryable) {
  const attempts = new Counter({
    name: 'airsuite_webhook_attempts_total',
    help: 'Webhook delivery attempts, by outcome (success, retry, dead, disable, abort, cancelled)',
    labelNames: ['outcome'] as const,
    registers: [registry],
  });
  const lag = new Histogram({
    name: 'airsuite_webhook_delivery_lag_seconds',
    help: "Time from an event's commit to the receiver's 2xx answer",
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 1800, 3600, 6 * 3600, 24 * 3600],
    registers: [registry],
  });
  const attemptDuration = new Histogram({
    name: 'airsuite_webhook_attempt_duration_seconds',
    help: 'Time one delivery attempt took, from URL check to the last byte read',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15],
    registers: [registry],
  });
  const disabled = new Counter({
    name: 'airsuite_webhook_endpoints_disabled_total',
    help: 'Endpoints delivery turned off, by reason (gone, failing, refused)',
    labelNames: ['reason'] as const,
    registers: [registry],
  });
  new Gauge({
    name: 'airsuite_webhook_backlog',
    help: 'Webhook messages waiting for an attempt (all processes), by whether they are due now',
    labelNames: ['due'] as const,
    registers: [registry],
    async collect() {
      const [row] = await db.query<{ due: string | number; later: string | number }>(
        `SELECT count(*) FILTER (WHERE next_attempt_at <= now()) AS due,
                count(*) FILTER (WHERE next_attempt_at > now()) AS later
         FROM webhook_messages WHERE state = 'pending'`,
      );
      this.set({ due: 'now' }, Number(row?.due ?? 0));
      this.set({ due: 'later' }, Number(row?.later ?? 0));
    },
  });

  return {
    /** The worker's `onRecorded`. */
    recorded(plans: readonly AttemptPlan[], disables: readonly AutomaticDisable[]): void {
      for (const plan of plans) {
        const outcome = plan.refunded
          ? 'cancelled'
          : plan.outcome.kind === 'retry'
            ? plan.state === 'dead'
              ? 'dead'
              : 'retry'
            : plan.outcome.kind;
        attempts.inc({ outcome });
        attemptDuration.observe(plan.outcome.latencyMs / 1000);
        if (plan.outcome.kind === 'success') {
          lag.observe(Math.max(0, plan.endedAt.getTime() - plan.message.eventCreatedAt.getTime()) / 1000);
        }
      }
      for (const disable of disables) disabled.inc({ reason: disable.reason });
    },
  };
}
