import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createSecretBox } from '../../crypto/secret-box.ts';
import { isDatabaseUnavailable } from '../../db/connection-failure.ts';
import type { Database, Queryable } from '../../db/database.ts';
import { createIsolatedSchema, type IsolatedSchema } from '../../db/isolated-schema.ts';
import { migrate } from '../../db/migrate.ts';
import { openDatabase } from '../../db/open-database.ts';
import { createAuditLog } from '../../services/audit-log.ts';
import { openNamedDatabase, terminateBackendsNamed } from '../../testing/backend-faults.ts';
import {
  createAddressPolicy,
  createRetrySchedule,
  createWebhookSender,
  generateWebhookSecret,
  type WebhookSender,
} from '../delivery/index.ts';
import { createWebhookEndpoints } from '../endpoints.ts';
import { createOutbox } from '../outbox.ts';
import { type Receiver, startReceiver } from '../testing/receiver.ts';
import { createDeliveryWorker, type DeliveryWorker, type DeliveryWorkerOptions } from './delivery-worker.ts';

/**
 * The delivery worker against a database that cuts its connections: its backends are
 * terminated for real (`pg_terminate_backend`) while it delivers, and it comes back by itself,
 * losing no event (duplicates are allowed, losses are not). Each worker opens its database with
 * an `application_name` of its own, and only backends of that name (or a pid its own pool showed)
 * are terminated: other specs share this server. Needs DATABASE_URL (PGlite has no connection
 * to cut).
 */

const serverUrl = process.env.DATABASE_URL;
const secretBox = createSecretBox(randomBytes(32));
/** Long, so that a prompt delivery can only be the LISTEN connection's doing, never the timer's. */
const LONG_POLL_MS = 10_000;
let isolated: IsolatedSchema;
/** The spec's own connections: they emit, inspect and terminate, and are never terminated. */
let db: Database;
let sender: WebhookSender;
const workers: DeliveryWorker[] = [];
const databases: Database[] = [];
const receivers: Receiver[] = [];
let seq = 0;

/** A database for one worker whose every connection (pool and LISTEN) carries `name`. */
async function namedDatabase(name: string): Promise<Database> {
  const opened = await openNamedDatabase(isolated.url, name);
  databases.push(opened);
  return opened;
}

/** Terminates every backend named `name` (the heartbeat's first `SELECT 1` is 15 s away). */
const terminateBackendsOf = (name: string) => terminateBackendsNamed(db, name);

async function startWorker(workerDb: Database, options: Partial<DeliveryWorkerOptions> = {}) {
  const errors: unknown[] = [];
  const worker = createDeliveryWorker({
    db: workerDb,
    secretBox,
    sender,
    outbox: createOutbox(),
    audit: createAuditLog(workerDb),
    schedule: createRetrySchedule({ delaysMs: [0, 50, 50, 50, 50, 50], jitter: 0 }),
    concurrency: 8,
    onError: (error) => errors.push(error),
    ...options,
  });
  await worker.start();
  workers.push(worker);
  return { worker, errors };
}

/** A workspace with one endpoint at `receiver`, and a way to emit events for it through the outbox. */
async function endpointAt(receiver: Receiver) {
  seq += 1;
  const workspaceId = `wsp_faults_${seq}`;
  await db.query('INSERT INTO workspaces (id, name) VALUES ($1, $1)', [workspaceId]);
  const endpoints = createWebhookEndpoints({
    db,
    audit: createAuditLog(db),
    secretBox,
    newSecret: generateWebhookSecret,
    checkUrl: async () => {},
    now: () => new Date(),
  });
  const { endpoint } = await endpoints.create(
    {
      principal: { kind: 'user', userId: 'usr_1', email: 'a@example.com', sessionId: 'ses_1' },
      workspaceId,
      workspaceName: workspaceId,
      role: 'owner',
      workspaceCreatedAt: new Date(0).toISOString(),
      workspaceUpdatedAt: new Date(0).toISOString(),
    },
    { url: receiver.url, eventTypes: ['*'] },
  );
  let emittedCount = 0;
  return {
    endpointId: endpoint.id,
    /** Commits `count` events; resolves to the webhook-ids (message ids) they are delivered under. */
    async emit(count: number): Promise<string[]> {
      const events = await db.transaction((tx) =>
        createOutbox().emit(
          tx,
          Array.from({ length: count }, (_, n) => ({
            workspaceId,
            type: 'api_key.created' as const,
            actor: { type: 'user' as const, id: 'usr_1' },
            data: { key_id: `key_${emittedCount + n}`, name: `key ${emittedCount + n}`, role: 'editor' },
          })),
        ),
      );
      emittedCount += count;
      const rows = await db.query<{ id: string }>(
        'SELECT id FROM webhook_messages WHERE endpoint_id = $1 AND event_id = ANY($2::text[])',
        [endpoint.id, events.map((event) => event.id)],
      );
      return rows.map((row) => row.id);
    },
    states: async () =>
      db.query<{ id: string; state: string }>(
        'SELECT id, state FROM webhook_messages WHERE endpoint_id = $1',
        [endpoint.id],
      ),
  };
}

async function receiverFor(...args: Parameters<typeof startReceiver>) {
  const started = await startReceiver(...args);
  receivers.push(started);
  return started;
}

async function until(done: () => Promise<boolean> | boolean, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await sleep(20);
  }
}

const arrivedAll = (receiver: Receiver, ids: readonly string[]) => {
  const seen = receiver.ids();
  return ids.every((id) => seen.has(id));
};

const timesReceived = (receiver: Receiver, id: string) =>
  receiver.received.filter((delivery) => delivery.id === id).length;

/**
 * `workerDb` whose first `cuts` results writes lose their connection for real: just before the
 * write's UPDATE of the messages, the write's own backend (its pid, seen from the worker's pool)
 * is terminated, so the statement fails mid-transaction and nothing of the write commits.
 */
function cuttingResultsWrites(workerDb: Database, cuts: number) {
  let left = cuts;
  const cutting: Database = {
    ...workerDb,
    transaction: (work) =>
      workerDb.transaction((tx) => {
        const wrapped: Queryable = {
          async query(sql, params) {
            if (left > 0 && sql.includes('UPDATE webhook_messages')) {
              left -= 1;
              const [own] = await tx.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
              await db.query('SELECT pg_terminate_backend($1, 5000)', [own?.pid]);
            }
            return tx.query(sql, params);
          },
        };
        return work(wrapped);
      }),
  };
  return { db: cutting, cutsMade: () => cuts - left };
}

describe.skipIf(!serverUrl)('the delivery worker when the database cuts its connections', () => {
  beforeAll(async () => {
    isolated = await createIsolatedSchema(serverUrl as string, 'wf');
    db = await openDatabase({ databaseUrl: isolated.url, dataDir: '/tmp/airsuite-unused', migrate: false });
    await migrate(db);
    sender = createWebhookSender({ policy: createAddressPolicy({ allow: ['127.0.0.1'] }) });
  });

  afterEach(async () => {
    await Promise.all(workers.splice(0).map((worker) => worker.stop(100)));
    await Promise.all(databases.splice(0).map((opened) => opened.close()));
    await Promise.all(receivers.splice(0).map((receiver) => receiver.close()));
  });

  afterAll(async () => {
    sender?.close();
    await db?.close();
    await isolated?.drop();
  });

  it('recovers by itself when every backend of its is terminated twice mid-delivery: no event is lost, and later ones arrive promptly', async () => {
    const name = `airsuite_faults_${randomBytes(4).toString('hex')}`;
    const { errors } = await startWorker(await namedDatabase(name), { pollMs: LONG_POLL_MS, leaseMs: 2_000 });
    const receiver = await receiverFor(() => ({ status: 200, delayMs: 20 }));
    const target = await endpointAt(receiver);
    // Events keep coming through the outbox while the worker's connections are cut.
    const ids: string[] = [];
    let emitting = true;
    const emitter = (async () => {
      while (emitting) {
        ids.push(...(await target.emit(4)));
        await sleep(40);
      }
    })();
    for (let fault = 0; fault < 2; fault += 1) {
      // It is delivering (again) when its pool's connections and its LISTEN connection (re-opened
      // by itself after the first cut) go.
      const before = receiver.received.length;
      await until(() => receiver.received.length >= before + 8);
      const cut = await terminateBackendsOf(name);
      expect(cut.terminated).toBeGreaterThanOrEqual(2);
      expect(cut.listening).toBe(1);
    }
    await sleep(200);
    emitting = false;
    await emitter;
    // Every event arrives (counted by webhook-id), within the lease and far within the poll.
    await until(() => arrivedAll(receiver, ids), 8_000);
    expect(ids.length).toBeGreaterThan(16);
    expect(new Set(ids).size).toBe(ids.length);
    // A statement the cut interrupted is told as DATABASE_UNAVAILABLE, never as a crash; the worker goes on.
    expect(errors.every(isDatabaseUnavailable)).toBe(true);
    // Later events are woken for by NOTIFY on a LISTEN re-opened by itself, not left to the 10 s poll.
    for (let batch = 0; batch < 2; batch += 1) {
      const later = await target.emit(3);
      const emittedAt = Date.now();
      await until(() => arrivedAll(receiver, later), LONG_POLL_MS);
      expect(Date.now() - emittedAt).toBeLessThan(2_000);
    }
  });

  it('writes again a results write whose connection died: each outcome is recorded, each event sent once', async () => {
    const name = `airsuite_faults_${randomBytes(4).toString('hex')}`;
    const cutting = cuttingResultsWrites(await namedDatabase(name), 2);
    const { errors } = await startWorker(cutting.db, { pollMs: 200 });
    const receiver = await receiverFor();
    const target = await endpointAt(receiver);
    const ids = [...(await target.emit(6)), ...(await target.emit(6))];
    await until(async () => (await target.states()).every((row) => row.state === 'delivered'));
    expect(cutting.cutsMade()).toBe(2);
    expect(errors.filter(isDatabaseUnavailable)).toHaveLength(2);
    // The outcome was kept and written on the next try: nothing had to be sent again.
    for (const id of ids) expect(timesReceived(receiver, id)).toBe(1);
    const logged = await db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM webhook_attempts a JOIN webhook_messages m ON m.id = a.message_id WHERE m.endpoint_id = $1',
      [target.endpointId],
    );
    expect(logged[0]?.n).toBe(ids.length);
  });

  it('delivers again once the lease runs out when a stopping worker could not write its outcomes', async () => {
    const leaseMs = 1_000;
    const name = `airsuite_faults_${randomBytes(4).toString('hex')}`;
    const cutting = cuttingResultsWrites(await namedDatabase(name), Number.POSITIVE_INFINITY);
    // Its failed write would wait the 10 s poll before its next try.
    const doomed = await startWorker(cutting.db, { pollMs: LONG_POLL_MS, leaseMs });
    const receiver = await receiverFor();
    const target = await endpointAt(receiver);
    const ids = await target.emit(8);
    await until(() => arrivedAll(receiver, ids));
    await until(() => doomed.errors.length > 0);
    // Stopping cuts that wait short; its last write at stop dies as well: the outcomes are gone,
    // the messages still pending.
    const stopping = Date.now();
    await doomed.worker.stop(100);
    expect(Date.now() - stopping).toBeLessThan(2_000);
    expect(doomed.errors.length).toBeGreaterThanOrEqual(2);
    expect(doomed.errors.every(isDatabaseUnavailable)).toBe(true);
    expect((await target.states()).every((row) => row.state === 'pending')).toBe(true);
    // Another worker finds them due when their leases run out and delivers each again.
    await startWorker(await namedDatabase(`${name}_next`), { pollMs: 200, leaseMs });
    await until(async () => (await target.states()).every((row) => row.state === 'delivered'));
    for (const id of ids) expect(timesReceived(receiver, id)).toBeGreaterThanOrEqual(2);
  });
});
