import type { Queryable } from '../../db/database.ts';
import { jsonbSafe } from '../../db/jsonb-safe.ts';
import { type AutomaticDisable, disableAutomatically } from '../disable-endpoint.ts';
import type { AttemptPlan, EndpointHealthChange } from './attempt-plan.ts';
import { healthChanges } from './attempt-plan.ts';

/** PostgreSQL text cannot hold NUL; a receiver's answer may. */
const storable = (text: string) => text.replaceAll('\u0000', '\ufffd');

async function insertAttemptRows(tx: Queryable, plans: readonly AttemptPlan[]): Promise<void> {
  const logged = plans.filter((plan) => !plan.refunded);
  if (logged.length === 0) return;
  const column = <T>(pick: (plan: AttemptPlan) => T) => logged.map(pick);
  // A late worker's attempt (its lease ran out) may share a number with a newer one: the first row stays.
  await tx.query(
    `INSERT INTO webhook_attempts (message_id, attempt, at, duration_ms, status, outcome, error_code,
       response_headers, response_body)
     SELECT id, attempt, at, duration_ms, status, outcome, error_code, headers::jsonb, body
     FROM unnest($1::text[], $2::int[], $3::timestamptz[], $4::int[], $5::int[], $6::text[], $7::text[],
       $8::text[], $9::text[]) AS a (id, attempt, at, duration_ms, status, outcome, error_code, headers, body)
     ON CONFLICT (message_id, attempt) DO NOTHING`,
    [
      column((plan) => plan.message.id),
      column((plan) => plan.message.attempt),
      column((plan) => plan.outcome.startedAt),
      column((plan) => Math.round(plan.outcome.latencyMs)),
      column((plan) => plan.outcome.response?.status ?? null),
      column((plan) => plan.outcome.kind),
      column((plan) => ('code' in plan.outcome ? plan.outcome.code : null)),
      column((plan) =>
        plan.outcome.response ? JSON.stringify(jsonbSafe(plan.outcome.response.headers)) : null,
      ),
      column((plan) => (plan.outcome.response ? storable(plan.outcome.response.body) : null)),
    ],
  );
}

/** Fenced by `attempts`: a worker whose lease ran out cannot overwrite the newer attempt's result. */
async function updateMessages(tx: Queryable, plans: readonly AttemptPlan[]): Promise<void> {
  const column = <T>(pick: (plan: AttemptPlan) => T) => plans.map(pick);
  await tx.query(
    `UPDATE webhook_messages m
     SET state = r.state, attempts = m.attempts - r.refund, next_attempt_at = coalesce(r.next_at, m.next_attempt_at),
         last_status = CASE WHEN r.refund = 1 THEN m.last_status ELSE r.status END,
         last_error = CASE WHEN r.refund = 1 THEN m.last_error ELSE r.error END,
         finished_at = CASE WHEN r.state = 'pending' THEN NULL ELSE r.ended END
     FROM unnest($1::text[], $2::int[], $3::text[], $4::int[], $5::timestamptz[], $6::int[], $7::text[],
       $8::timestamptz[]) AS r (id, attempt, state, refund, next_at, status, error, ended)
     WHERE m.id = r.id AND m.attempts = r.attempt AND m.state = 'pending'`,
    [
      column((plan) => plan.message.id),
      column((plan) => plan.message.attempt),
      column((plan) => plan.state),
      column((plan) => (plan.refunded ? 1 : 0)),
      column((plan) => plan.nextAttemptAt ?? null),
      column((plan) => plan.outcome.response?.status ?? null),
      column((plan) => plan.error?.slice(0, 500) ?? null),
      column((plan) => plan.endedAt),
    ],
  );
}

/** Returns the endpoints still on whose failing streak began before `failingSinceBefore`. */
async function updateHealth(
  tx: Queryable,
  changes: readonly EndpointHealthChange[],
  failingSinceBefore: Date,
): Promise<{ id: string; failing_since: Date | string }[]> {
  if (changes.length === 0) return [];
  const column = <T>(pick: (change: EndpointHealthChange) => T) => changes.map(pick);
  const rows = await tx.query<{ id: string; enabled: boolean; failing_since: Date | string | null }>(
    `UPDATE webhook_endpoints e
     SET failing_since = CASE WHEN r.succeeded THEN r.failing_from ELSE coalesce(e.failing_since, r.failing_from) END,
         last_error = coalesce(r.error, e.last_error)
     FROM unnest($1::text[], $2::boolean[], $3::timestamptz[], $4::text[]) AS r (id, succeeded, failing_from, error)
     WHERE e.id = r.id
     RETURNING e.id, e.enabled, e.failing_since`,
    [
      column((change) => change.endpointId),
      column((change) => change.succeeded),
      column((change) => change.failingFrom ?? null),
      column((change) => change.lastError?.slice(0, 500) ?? null),
    ],
  );
  return rows.flatMap((row) =>
    row.enabled && row.failing_since && new Date(row.failing_since) < failingSinceBefore
      ? [{ id: row.id, failing_since: row.failing_since }]
      : [],
  );
}

/**
 * One lock order everywhere: an endpoint before its messages (as disabling, deleting and
 * updating an endpoint take them), endpoints in id order. Without it a worker recording results
 * (messages, then the endpoint's health) and someone turning the endpoint off (the endpoint,
 * then its pending messages) can deadlock, and two workers can deadlock on two endpoints.
 */
async function lockEndpoints(tx: Queryable, plans: readonly AttemptPlan[]): Promise<void> {
  const ids = [...new Set(plans.map((plan) => plan.message.endpoint.id))].sort();
  await tx.query(
    'SELECT id FROM webhook_endpoints WHERE id = ANY($1::text[]) ORDER BY id FOR NO KEY UPDATE',
    [ids],
  );
}

export interface RecordOptions {
  deps: Parameters<typeof disableAutomatically>[1];
  now: Date;
  /** An endpoint whose every delivery failed for this long is disabled (5 days). */
  disableAfterMs: number;
}

/**
 * Writes a batch of finished attempts in one transaction of four statements (log rows, message
 * states, endpoint health, and only when needed the disables), so recording costs about one
 * round trip per batch rather than several per delivery.
 */
export async function recordAttempts(
  tx: Queryable,
  plans: readonly AttemptPlan[],
  options: RecordOptions,
): Promise<AutomaticDisable[]> {
  if (plans.length === 0) return [];
  await lockEndpoints(tx, plans);
  await insertAttemptRows(tx, plans);
  await updateMessages(tx, plans);
  const failingSinceBefore = new Date(options.now.getTime() - options.disableAfterMs);
  const stale = await updateHealth(tx, healthChanges(plans), failingSinceBefore);
  const disables = new Map<string, AutomaticDisable>();
  for (const plan of plans) {
    if (plan.disable) disables.set(plan.disable.endpointId, { ...plan.disable, at: options.now });
  }
  for (const endpoint of stale) {
    if (disables.has(endpoint.id)) continue;
    disables.set(endpoint.id, {
      endpointId: endpoint.id,
      reason: 'failing',
      message: `every delivery has failed since ${new Date(endpoint.failing_since).toISOString()}`,
      at: options.now,
    });
  }
  const done: AutomaticDisable[] = [];
  for (const disable of disables.values()) {
    if (await disableAutomatically(tx, options.deps, disable)) done.push(disable);
  }
  return done;
}
