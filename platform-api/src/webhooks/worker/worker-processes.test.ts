import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createSecretBox } from '../../crypto/secret-box.ts';
import type { Database } from '../../db/database.ts';
import { createIsolatedSchema, type IsolatedSchema } from '../../db/isolated-schema.ts';
import { migrate } from '../../db/migrate.ts';
import { openDatabase } from '../../db/open-database.ts';
import { createAuditLog } from '../../services/audit-log.ts';
import { spawnReadyChild, stopChild } from '../../testing/backend-faults.ts';
import { generateWebhookSecret } from '../delivery/index.ts';
import { createWebhookEndpoints } from '../endpoints.ts';
import { createOutbox } from '../outbox.ts';
import { type Receiver, startReceiver } from '../testing/receiver.ts';

/**
 * Delivery across processes, as deployed: worker processes on one PostgreSQL. A process killed
 * mid-delivery loses nothing (its leases run out and another attempt delivers), and two
 * processes never send the same attempt at once. Needs DATABASE_URL (several processes cannot
 * share the embedded database).
 */

const serverUrl = process.env.DATABASE_URL;
const WORKER = fileURLToPath(new URL('../testing/worker-process.ts', import.meta.url));
const key = randomBytes(32);
let isolated: IsolatedSchema;
let db: Database;
const children: ChildProcess[] = [];
const receivers: Receiver[] = [];
let seq = 0;

async function spawnWorker(env: Record<string, string> = {}): Promise<ChildProcess> {
  const child = await spawnReadyChild(WORKER, {
    WORKER_DATABASE_URL: isolated.url,
    WORKER_SECRET_KEY: key.toString('hex'),
    ...env,
  });
  children.push(child);
  return child;
}

const stop = stopChild;

/** A workspace with one endpoint at `receiver`, and `count` events committed for it. */
async function workspaceWithEvents(receiver: Receiver, count: number) {
  seq += 1;
  const workspaceId = `wsp_procs_${seq}`;
  await db.query('INSERT INTO workspaces (id, name) VALUES ($1, $1)', [workspaceId]);
  const endpoints = createWebhookEndpoints({
    db,
    audit: createAuditLog(db),
    secretBox: createSecretBox(key),
    newSecret: generateWebhookSecret,
    checkUrl: async () => {},
    now: () => new Date(),
  });
  const access = {
    principal: { kind: 'user' as const, userId: 'usr_1', email: 'a@example.com', sessionId: 'ses_1' },
    workspaceId,
    workspaceName: workspaceId,
    role: 'owner' as const,
    workspaceCreatedAt: new Date(0).toISOString(),
    workspaceUpdatedAt: new Date(0).toISOString(),
  };
  const { endpoint } = await endpoints.create(access, { url: receiver.url, eventTypes: ['*'] });
  const emitted = await db.transaction((tx) =>
    createOutbox().emit(
      tx,
      Array.from({ length: count }, (_, n) => ({
        workspaceId,
        type: 'api_key.created' as const,
        actor: { type: 'user' as const, id: 'usr_1' },
        data: { key_id: `key_${n}`, name: `key ${n}`, role: 'editor' },
      })),
    ),
  );
  return { endpointId: endpoint.id, eventIds: emitted.map((event) => event.id) };
}

const delivered = async (endpointId: string) =>
  Number(
    (
      await db.query<{ n: string }>(
        "SELECT count(*) AS n FROM webhook_messages WHERE endpoint_id = $1 AND state = 'delivered'",
        [endpointId],
      )
    )[0]?.n,
  );

async function until(done: () => Promise<boolean> | boolean, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const eventIdsAt = (receiver: Receiver) =>
  new Set(receiver.received.map((delivery) => (JSON.parse(delivery.body) as { id: string }).id));

describe.skipIf(!serverUrl)('delivery worker processes on one PostgreSQL', () => {
  beforeAll(async () => {
    isolated = await createIsolatedSchema(serverUrl as string, 'wk');
    db = await openDatabase({ databaseUrl: isolated.url, dataDir: '/tmp/airsuite-worker-unused' });
    await migrate(db);
  });

  afterEach(async () => {
    await Promise.all(children.splice(0).map((child) => stop(child, 'SIGKILL')));
    await Promise.all(receivers.splice(0).map((receiver) => receiver.close()));
  });

  afterAll(async () => {
    await db?.close();
    await isolated?.drop();
  });

  it('loses nothing when a worker process is killed mid-delivery: the next process delivers every event', async () => {
    // A slow receiver: the killed process has attempts in flight when it dies.
    const receiver = await startReceiver(() => ({ status: 200, delayMs: 300 }));
    receivers.push(receiver);
    const { endpointId, eventIds } = await workspaceWithEvents(receiver, 30);
    const doomed = await spawnWorker({ WORKER_LEASE_MS: '1500' });
    await until(() => receiver.received.length >= 3);
    await stop(doomed, 'SIGKILL');
    const survivor = await spawnWorker({ WORKER_LEASE_MS: '1500' });
    await until(async () => (await delivered(endpointId)) === 30);
    await stop(survivor);
    // Duplicates are allowed (an attempt the dead process sent may arrive again), losses are not.
    expect(eventIdsAt(receiver)).toEqual(new Set(eventIds));
    const ids = new Set(receiver.received.map((delivery) => delivery.id));
    expect(ids.size).toBe(30);
  });

  it('lets two processes share the work without ever sending one attempt twice at once', async () => {
    const receiver = await startReceiver(() => ({ status: 200, delayMs: 20 }));
    receivers.push(receiver);
    const [first, second] = await Promise.all([spawnWorker(), spawnWorker()]);
    const { endpointId, eventIds } = await workspaceWithEvents(receiver, 150);
    await until(async () => (await delivered(endpointId)) === 150);
    await Promise.all([stop(first as ChildProcess), stop(second as ChildProcess)]);
    expect(receiver.received).toHaveLength(150);
    expect(receiver.maxConcurrentPerId).toBe(1);
    expect(eventIdsAt(receiver)).toEqual(new Set(eventIds));
  });

  it('keeps every event while the receiver is down and delivers each once it is back', async () => {
    let up = false;
    const receiver = await startReceiver(() =>
      up ? { status: 200 } : { status: 503, headers: { 'retry-after': '0' } },
    );
    receivers.push(receiver);
    await spawnWorker();
    const { endpointId, eventIds } = await workspaceWithEvents(receiver, 40);
    await until(() => receiver.received.length >= 80);
    up = true;
    await until(async () => (await delivered(endpointId)) === 40);
    expect(eventIdsAt(receiver)).toEqual(new Set(eventIds));
  });
});
