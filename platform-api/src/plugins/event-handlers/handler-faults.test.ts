import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/database.ts';
import { createIsolatedSchema, type IsolatedSchema } from '../../db/isolated-schema.ts';
import { migrate } from '../../db/migrate.ts';
import { openDatabase } from '../../db/open-database.ts';
import { PlatformError } from '../../errors.ts';
import type { WorkspaceAccess } from '../../principal.ts';
import { createAuditLog } from '../../services/audit-log.ts';
import {
  openNamedDatabase,
  spawnReadyChild,
  stopChild,
  terminateBackendsNamed,
} from '../../testing/backend-faults.ts';
import { createOutbox, type Outbox } from '../../webhooks/outbox.ts';
import type { PluginManifestInput } from '../manifest.ts';
import { createPluginServices, type PluginServices } from '../plugin-services.ts';
import { WAT, wasmOf } from '../testing/wat-fixtures.ts';
import { startEventHandlerWorker } from './event-handler-worker.ts';

/**
 * on_event handlers on a bad day, on a real PostgreSQL: the handler worker's own database
 * connections terminated for real (pg_terminate_backend) while it hands events over, and a
 * process SIGKILLed in the middle of a handler. No event is lost: every delivery ends
 * delivered, a killed process's claim coming back once its lease runs out.
 */

const serverUrl = process.env.DATABASE_URL;
const CHILD = fileURLToPath(new URL('../testing/handler-worker-process.ts', import.meta.url));
const LEASE_MS = 1_500;

let isolated: IsolatedSchema;
let db: Database;
const opened: Database[] = [];
const children: ChildProcess[] = [];
const stops: (() => Promise<void>)[] = [];
let seq = 0;

const noAirtable = async (): Promise<never> => {
  throw new PlatformError('CONNECTION_NOT_FOUND', 'no Airtable in this spec');
};

function servicesOn(database: Database, outbox: Outbox = createOutbox()): PluginServices {
  const services = createPluginServices(
    { db: database, audit: createAuditLog(database), outbox, now: () => new Date(), airtableFor: noAirtable },
    { events: false },
  );
  stops.push(() => services.close());
  return services;
}

/** A database whose every connection carries `name`, so the spec terminates only its own backends. */
async function namedDatabase(name: string): Promise<Database> {
  const database = await openNamedDatabase(isolated.url, name);
  opened.push(database);
  return database;
}

/** A workspace with the handler plugin `name` installed at each of `versions` (the first active). */
async function workspaceWithHandler(services: PluginServices, versions: [string, string][]) {
  seq += 1;
  const workspaceId = `wsp_handler_faults_${seq}`;
  await db.query('INSERT INTO workspaces (id, name) VALUES ($1, $1)', [workspaceId]);
  const access: WorkspaceAccess = {
    principal: { kind: 'user', userId: 'usr_1', email: 'a@example.com', sessionId: 'ses_1' },
    workspaceId,
    workspaceName: workspaceId,
    role: 'owner',
    workspaceCreatedAt: new Date(0).toISOString(),
    workspaceUpdatedAt: new Date(0).toISOString(),
  };
  for (const [version, source] of versions) {
    const manifest: PluginManifestInput = {
      name: 'watcher',
      version,
      description: 'Keeps the last event',
      author: 'AirSuite specs',
      hooks: { on_event: { events: ['api_key.*'], function: source === WAT.spin ? 'spin' : 'on_event' } },
      permissions: { kv: true },
      limits: { timeout_ms: 20_000 },
    };
    await services.registry.publish(access, { manifest, module: await wasmOf(source) });
  }
  await services.registry.install(access, { name: 'watcher', version: (versions[0] as [string, string])[0] });
  return access;
}

async function emit(outbox: Outbox, workspaceId: string, count: number): Promise<string[]> {
  const emitted = await db.transaction((tx) =>
    outbox.emit(
      tx,
      Array.from({ length: count }, (_, n) => ({
        workspaceId,
        type: 'api_key.created' as const,
        actor: { type: 'user' as const, id: 'usr_1' },
        data: { key_id: `key_${n}`, name: `key ${n}`, role: 'editor' },
      })),
    ),
  );
  return emitted.map((event) => event.id);
}

const deliveries = (workspaceId: string) =>
  db.query<{ event_id: string; state: string; attempts: number }>(
    'SELECT event_id, state, attempts FROM plugin_event_deliveries WHERE workspace_id = $1 ORDER BY event_id',
    [workspaceId],
  );

async function until(done: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function spawnHandlerProcess(): Promise<ChildProcess> {
  const child = await spawnReadyChild(CHILD, {
    WORKER_DATABASE_URL: isolated.url,
    WORKER_LEASE_MS: String(LEASE_MS),
  });
  children.push(child);
  return child;
}

describe.skipIf(!serverUrl)('on_event handlers on a bad day (PostgreSQL)', () => {
  beforeAll(async () => {
    isolated = await createIsolatedSchema(serverUrl as string, 'hf');
    db = await openDatabase({ databaseUrl: isolated.url, dataDir: '/tmp/airsuite-unused' });
    await migrate(db);
  });

  afterEach(async () => {
    for (const child of children.splice(0)) await stopChild(child, 'SIGKILL');
    for (const stop of stops.splice(0).reverse()) await stop();
    await Promise.all(opened.splice(0).map((database) => database.close()));
  });

  afterAll(async () => {
    await db?.close();
    await isolated?.drop();
  });

  it("hands every event over although the worker's connections are terminated twice mid-way", async () => {
    const name = `airsuite-handler-faults-${process.pid}`;
    const workerDb = await namedDatabase(name);
    const outbox = createOutbox();
    const services = servicesOn(workerDb, outbox);
    const access = await workspaceWithHandler(services, [['1.0.0', WAT.storeEvent]]);
    const worker = startEventHandlerWorker(workerDb, services.runtime, { pollMs: 50, leaseMs: LEASE_MS });
    stops.push(() => worker.stop());

    const ids = await emit(outbox, access.workspaceId, 10);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect((await terminateBackendsNamed(db, name)).terminated).toBeGreaterThan(0);
    ids.push(...(await emit(outbox, access.workspaceId, 10)));
    await new Promise((resolve) => setTimeout(resolve, 200));
    await terminateBackendsNamed(db, name);
    ids.push(...(await emit(outbox, access.workspaceId, 5)));

    await until(async () => (await deliveries(access.workspaceId)).every((d) => d.state === 'delivered'));
    const rows = await deliveries(access.workspaceId);
    expect(rows.map((d) => d.event_id).sort()).toEqual([...ids].sort());
    expect(rows.every((d) => d.state === 'delivered')).toBe(true);
    const [last] = await db.query<{ value: { id: string } }>(
      `SELECT value FROM plugin_kv WHERE workspace_id = $1 AND plugin = 'watcher' AND key = 'last'`,
      [access.workspaceId],
    );
    expect(ids).toContain(last?.value.id);
  }, 60_000);

  it('delivers again, from another process, an event whose handler process was SIGKILLed mid-handler', async () => {
    const outbox = createOutbox();
    const services = servicesOn(db, outbox);
    // 1.0.0 spins (the process is killed while it runs); 2.0.0, installed meanwhile, keeps the event.
    const access = await workspaceWithHandler(services, [
      ['1.0.0', WAT.spin],
      ['2.0.0', WAT.storeEvent],
    ]);
    const doomed = await spawnHandlerProcess();
    const [id] = await emit(outbox, access.workspaceId, 1);
    await until(async () => (await deliveries(access.workspaceId))[0]?.attempts === 1);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await stopChild(doomed, 'SIGKILL');
    expect((await deliveries(access.workspaceId))[0]).toMatchObject({ state: 'pending', attempts: 1 });

    await services.registry.changeVersion(access, 'watcher', '2.0.0');
    const survivor = startEventHandlerWorker(db, services.runtime, { pollMs: 50, leaseMs: LEASE_MS });
    stops.push(() => survivor.stop());
    await until(async () => (await deliveries(access.workspaceId))[0]?.state === 'delivered', 20_000);
    expect((await deliveries(access.workspaceId))[0]).toMatchObject({ state: 'delivered', attempts: 2 });
    const [last] = await db.query<{ value: { id: string } }>(
      `SELECT value FROM plugin_kv WHERE workspace_id = $1 AND plugin = 'watcher' AND key = 'last'`,
      [access.workspaceId],
    );
    expect(last?.value.id).toBe(id);
  }, 60_000);
});
