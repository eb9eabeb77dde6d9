import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Webhook } from 'standardwebhooks';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createSecretBox } from '../../crypto/secret-box.ts';
import { openTestDatabase, type TestDatabase } from '../../db/test-database.ts';
import type { WorkspaceAccess } from '../../principal.ts';
import { createAuditLog } from '../../services/audit-log.ts';
import {
  createAddressPolicy,
  createRetrySchedule,
  createWebhookSender,
  generateWebhookSecret,
  type WebhookSender,
} from '../delivery/index.ts';
import { createWebhookEndpoints, type EndpointInput } from '../endpoints.ts';
import { createOutbox, type EventInput } from '../outbox.ts';
import { type Receiver, startReceiver } from '../testing/receiver.ts';
import { claimDue } from './claim-due.ts';
import { createDeliveryWorker, type DeliveryWorker, type DeliveryWorkerOptions } from './delivery-worker.ts';

let test: TestDatabase;
let sender: WebhookSender;
const secretBox = createSecretBox(randomBytes(32));
const audit = () => createAuditLog(test.db);
const outbox = createOutbox();
const workers: DeliveryWorker[] = [];
const receivers: Receiver[] = [];
let workspaceSeq = 0;

/** A fresh workspace per spec, so counts never mix. */
async function workspace(): Promise<WorkspaceAccess> {
  workspaceSeq += 1;
  const id = `wsp_worker_${workspaceSeq}`;
  await test.db.query('INSERT INTO workspaces (id, name) VALUES ($1, $2)', [id, id]);
  return {
    principal: { kind: 'user', userId: 'usr_admin', email: 'admin@example.com', sessionId: 'ses_1' },
    workspaceId: id,
    workspaceName: id,
    role: 'admin',
    workspaceCreatedAt: new Date(0).toISOString(),
    workspaceUpdatedAt: new Date(0).toISOString(),
  };
}

const endpointsService = () =>
  createWebhookEndpoints({
    db: test.db,
    audit: audit(),
    secretBox,
    newSecret: generateWebhookSecret,
    checkUrl: async () => {},
    now: () => new Date(),
  });

async function endpoint(access: WorkspaceAccess, input: Partial<EndpointInput> & { url: string }) {
  return endpointsService().create(access, { eventTypes: ['*'], ...input });
}

const keyCreated = (access: WorkspaceAccess, n: number): EventInput<'api_key.created'> => ({
  workspaceId: access.workspaceId,
  type: 'api_key.created',
  actor: { type: 'user', id: 'usr_admin' },
  data: { key_id: `key_${n}`, name: `key ${n}`, role: 'editor' },
});

async function emit(access: WorkspaceAccess, count: number) {
  const events = Array.from({ length: count }, (_, n) => keyCreated(access, n));
  return test.db.transaction((tx) => outbox.emit(tx, events));
}

async function receiver(...args: Parameters<typeof startReceiver>) {
  const started = await startReceiver(...args);
  receivers.push(started);
  return started;
}

async function worker(options: Partial<DeliveryWorkerOptions> = {}) {
  const started = createDeliveryWorker({
    db: test.db,
    secretBox,
    sender,
    outbox,
    audit: audit(),
    schedule: createRetrySchedule({ delaysMs: [0, 40, 40, 40, 40, 40], jitter: 0 }),
    pollMs: 25,
    ...options,
  });
  await started.start();
  workers.push(started);
  return started;
}

const messages = (endpointId: string) =>
  test.db.query<{ id: string; state: string; attempts: number; last_error: string | null }>(
    'SELECT id, state, attempts, last_error FROM webhook_messages WHERE endpoint_id = $1 ORDER BY id',
    [endpointId],
  );

async function until<T>(probe: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out; last value ${JSON.stringify(value)}`);
    await sleep(20);
  }
}

const allIn = (state: string) => (rows: { state: string }[]) =>
  rows.length > 0 && rows.every((row) => row.state === state);

beforeAll(async () => {
  test = await openTestDatabase();
  sender = createWebhookSender({ policy: createAddressPolicy({ allow: ['127.0.0.1'] }) });
});

afterEach(async () => {
  await Promise.all(workers.splice(0).map((w) => w.stop(100)));
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});

afterAll(async () => {
  sender?.close();
  await test?.close();
});

describe('the delivery worker', () => {
  it('delivers each committed event once, signed so that the standardwebhooks verifier accepts it, and logs the attempt', async () => {
    const access = await workspace();
    const hooks = await receiver(() => ({ status: 204, headers: { 'x-receiver': 'yes' } }));
    const { endpoint: target, secret } = await endpoint(access, { url: hooks.url });
    const emitted = await emit(access, 5);
    await worker();
    const rows = await until(() => messages(target.id), allIn('delivered'));
    expect(rows).toHaveLength(5);
    expect(hooks.received).toHaveLength(5);
    const verifier = new Webhook(secret);
    for (const delivery of hooks.received) {
      const payload = verifier.verify(delivery.body, {
        'webhook-id': delivery.id,
        'webhook-timestamp': delivery.timestamp,
        'webhook-signature': delivery.signature,
      }) as { id: string; type: string };
      expect(emitted.map((event) => event.id)).toContain(payload.id);
      expect(payload.type).toBe('api_key.created');
    }
    const [attempt] = await test.db.query<Record<string, unknown>>(
      'SELECT * FROM webhook_attempts WHERE message_id = $1',
      [rows[0]?.id],
    );
    expect(attempt).toMatchObject({ attempt: 1, status: 204, outcome: 'success' });
    expect(attempt?.response_headers).toMatchObject({ 'x-receiver': 'yes' });
    expect(Number(attempt?.duration_ms)).toBeGreaterThanOrEqual(0);
  });

  it('keeps every event while the receiver is down and delivers each once it is back (deduplicated by webhook-id)', async () => {
    const access = await workspace();
    const hooks = await receiver(() => ({ status: 503, headers: { 'retry-after': '0' } }));
    const { endpoint: target } = await endpoint(access, { url: hooks.url });
    const emitted = await emit(access, 20);
    // Attempts enough that none becomes a dead letter before the receiver is back, however slow the machine.
    await worker({ schedule: createRetrySchedule({ delaysMs: [0, ...Array(40).fill(50)], jitter: 0 }) });
    await until(
      () => messages(target.id),
      (rows) => rows.every((row) => row.attempts >= 2),
    );
    hooks.answerWith(() => ({ status: 200 }));
    await until(() => messages(target.id), allIn('delivered'));
    const ids = hooks.ids();
    expect(ids.size).toBe(20);
    const bodies = new Set(
      hooks.received.map((delivery) => (JSON.parse(delivery.body) as { id: string }).id),
    );
    expect([...bodies].sort()).toEqual(emitted.map((event) => event.id).sort());
    const [failed] = await test.db.query<{ failing_since: unknown }>(
      'SELECT failing_since FROM webhook_endpoints WHERE id = $1',
      [target.id],
    );
    expect(failed?.failing_since).toBeNull();
  });

  it('makes a message a dead letter after the last attempt, with each attempt logged', async () => {
    const access = await workspace();
    const hooks = await receiver(() => ({ status: 500, body: 'broken' }));
    const { endpoint: target } = await endpoint(access, { url: hooks.url });
    await emit(access, 1);
    await worker({ schedule: createRetrySchedule({ delaysMs: [0, 20, 20], jitter: 0 }) });
    const [dead] = await until(() => messages(target.id), allIn('dead'));
    expect(dead).toMatchObject({ attempts: 3, last_error: expect.stringMatching(/^WEBHOOK_HTTP_ERROR/) });
    const attempts = await test.db.query<{ attempt: number; status: number; response_body: string }>(
      'SELECT attempt, status, response_body FROM webhook_attempts WHERE message_id = $1 ORDER BY attempt',
      [dead?.id],
    );
    expect(attempts).toEqual([1, 2, 3].map((attempt) => ({ attempt, status: 500, response_body: 'broken' })));
    expect(hooks.received).toHaveLength(3);
  });

  it('disables an endpoint that answers 410: its pending messages cancelled, a webhook.disabled event and an audit row', async () => {
    const access = await workspace();
    const gone = await receiver(() => ({ status: 410 }));
    const watcher = await receiver();
    const { endpoint: target } = await endpoint(access, { url: gone.url, eventTypes: ['api_key.*'] });
    const { endpoint: watch } = await endpoint(access, { url: watcher.url, eventTypes: ['webhook.*'] });
    await emit(access, 3);
    await worker({ concurrency: 1 });
    await until(
      () => endpointsService().get(access, target.id),
      (row) => !row.enabled,
    );
    const states = (await messages(target.id)).map((row) => row.state).sort();
    expect(states).toContain('dead');
    expect(states.filter((state) => state === 'pending')).toEqual([]);
    await until(
      async () => watcher.received.length,
      (n) => n === 1,
    );
    expect(JSON.parse(watcher.received[0]?.body ?? '{}')).toMatchObject({
      type: 'webhook.disabled',
      actor: { type: 'system' },
      data: { endpoint_id: target.id, reason: 'gone' },
    });
    expect((await endpointsService().get(access, target.id)).disabledReason).toBe('gone');
    const [row] = await test.db.query<{ action: string; actor_type: string }>(
      "SELECT action, actor_type FROM audit_events WHERE workspace_id = $1 AND action = 'webhook.disable'",
      [access.workspaceId],
    );
    expect(row).toEqual({ action: 'webhook.disable', actor_type: 'system' });
    expect(watch.enabled).toBe(true);
  });

  it('stops retrying a message the receiver aborts (webhook-delivery: abort-message), and the endpoint stays on', async () => {
    const access = await workspace();
    const hooks = await receiver(() => ({ status: 400, headers: { 'webhook-delivery': 'abort-message' } }));
    const { endpoint: target } = await endpoint(access, { url: hooks.url });
    await emit(access, 1);
    await worker();
    await until(() => messages(target.id), allIn('aborted'));
    await sleep(150);
    expect(hooks.received).toHaveLength(1);
    expect((await endpointsService().get(access, target.id)).enabled).toBe(true);
  });

  it('disables an endpoint that has failed every delivery for five days', async () => {
    const access = await workspace();
    const hooks = await receiver(() => ({ status: 500 }));
    const { endpoint: target } = await endpoint(access, { url: hooks.url });
    await test.db.query('UPDATE webhook_endpoints SET failing_since = $2 WHERE id = $1', [
      target.id,
      new Date(Date.now() - 5 * 24 * 3600_000 - 60_000),
    ]);
    await emit(access, 1);
    await worker();
    const off = await until(
      () => endpointsService().get(access, target.id),
      (row) => !row.enabled,
    );
    expect(off).toMatchObject({
      disabledReason: 'failing',
      lastError: expect.stringContaining('failed since'),
    });
  });

  it('signs with both secrets during a rotation overlap', async () => {
    const access = await workspace();
    const hooks = await receiver();
    const { endpoint: target, secret: old } = await endpoint(access, { url: hooks.url });
    const { secret: fresh } = await endpointsService().rotateSecret(access, target.id, 3600);
    await emit(access, 1);
    await worker();
    await until(() => messages(target.id), allIn('delivered'));
    const [delivery] = hooks.received;
    expect(delivery?.signature.split(' ')).toHaveLength(2);
    for (const secret of [old, fresh]) {
      expect(() =>
        new Webhook(secret).verify(delivery?.body ?? '', {
          'webhook-id': delivery?.id ?? '',
          'webhook-timestamp': delivery?.timestamp ?? '',
          'webhook-signature': delivery?.signature ?? '',
        }),
      ).not.toThrow();
    }
  });

  it('lets two workers share the work without ever sending one attempt twice at once', async () => {
    const access = await workspace();
    const hooks = await receiver(() => ({ status: 200, delayMs: 5 }));
    const { endpoint: target } = await endpoint(access, { url: hooks.url });
    await emit(access, 200);
    await Promise.all([worker({ concurrency: 16 }), worker({ concurrency: 16 })]);
    await until(() => messages(target.id), allIn('delivered'), 20_000);
    expect(hooks.received).toHaveLength(200);
    expect(hooks.ids().size).toBe(200);
    expect(hooks.maxConcurrentPerId).toBe(1);
  });

  it("redelivers a message whose worker died mid-attempt once its lease runs out, and fences the dead worker's late result", async () => {
    const access = await workspace();
    const hooks = await receiver();
    const { endpoint: target } = await endpoint(access, { url: hooks.url });
    await emit(access, 1);
    // The "dead" worker: it claimed (attempt 1, a 200 ms lease) and never reported.
    const [lost] = await claimDue(test.db, { limit: 10, leaseMs: 200, now: new Date() });
    expect(lost?.attempt).toBe(1);
    await worker({ leaseMs: 200 });
    const [row] = await until(() => messages(target.id), allIn('delivered'));
    expect(row?.attempts).toBe(2);
    // Its late write of attempt 1 changes nothing.
    const updated = await test.db.query(
      "UPDATE webhook_messages SET state = 'dead' WHERE id = $1 AND attempts = 1 AND state = 'pending' RETURNING id",
      [lost?.id],
    );
    expect(updated).toEqual([]);
    expect(hooks.ids()).toEqual(new Set([lost?.id]));
  });

  it('delivers nothing to an endpoint turned off, and cancels what was waiting for it', async () => {
    const access = await workspace();
    const hooks = await receiver(() => ({ status: 500 }));
    const { endpoint: target } = await endpoint(access, { url: hooks.url });
    await emit(access, 2);
    await endpointsService().update(access, target.id, { enabled: false });
    await worker();
    await sleep(150);
    expect(hooks.received).toEqual([]);
    expect((await messages(target.id)).map((row) => row.state)).toEqual(['cancelled', 'cancelled']);
  });

  it('never deadlocks when an endpoint is turned off and on while its results are being recorded', async () => {
    const access = await workspace();
    const hooks = await receiver(() => ({ status: 500 }));
    const { endpoint: target } = await endpoint(access, { url: hooks.url });
    const errors: unknown[] = [];
    await worker({ concurrency: 16, onError: (error) => errors.push(error) });
    const service = endpointsService();
    for (let round = 0; round < 15; round++) {
      await emit(access, 16);
      await sleep(5 + (round % 4) * 5);
      await service.update(access, target.id, { enabled: false });
      await service.update(access, target.id, { enabled: true });
    }
    expect(errors).toEqual([]);
  });
});
