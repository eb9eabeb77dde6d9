/**
 * webhooks: events committed → receiver acknowledged, end to end, with real PostgreSQL
 * (DATABASE_URL; a schema of the run's own, dropped after) and a local keep-alive receiver.
 * For 1 and 2 delivery processes (the platform's own webhook services, bench/webhook-worker-process.ts):
 *
 * - sustained: a producer commits events at a fixed offered rate for BENCH_WEBHOOK_SECONDS
 *   (default 60) in transactions of 50 (the outbox: an event and its message per transaction,
 *   as a change would write them); then waits for the last to arrive. Delivered per second,
 *   commit-to-arrival lag p50/p99 (the envelope's timestamp against the receiver's clock, one
 *   machine), and a count by webhook-id at the receiver: lost (never arrived) and duplicated.
 * - ceiling: a backlog of 20,000 committed at once, drained as fast as the processes can:
 *   what bounds throughput when nothing waits for the producer.
 *
 * CPU of each process is read from /proc, so what bounds the ceiling can be named.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import {
  createAuditLog,
  createIsolatedSchema,
  createOutbox,
  createSecretBox,
  createWebhookServices,
  type Database,
  type EventInput,
  migrate,
  openDatabase,
} from '@airsuite/platform-api';
import { Registry } from 'prom-client';
import { quantile } from './stats.ts';

const WORKER = fileURLToPath(new URL('./webhook-worker-process.ts', import.meta.url));
const SECONDS = Number(process.env.BENCH_WEBHOOK_SECONDS ?? 60);
const OFFERED_PER_SECOND = Number(process.env.BENCH_WEBHOOK_RATE ?? 2500);
const PER_TRANSACTION = 50;
const CEILING_BACKLOG = 20_000;
const CLOCK_TICKS_PER_S = 100;

async function cpuSeconds(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_S;
}

/** Counts arrivals by webhook-id and the lag of each first arrival. */
async function startReceiver() {
  const firstArrival = new Map<string, number>();
  let duplicates = 0;
  let lags: number[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const at = Date.now();
      const id = String(req.headers['webhook-id']);
      if (firstArrival.has(id)) duplicates += 1;
      else {
        firstArrival.set(id, at);
        const { timestamp } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { timestamp: string };
        lags.push(at - Date.parse(timestamp));
      }
      res.writeHead(204);
      res.end();
    });
  });
  server.keepAliveTimeout = 30_000;
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`,
    get received() {
      return firstArrival.size;
    },
    get duplicates() {
      return duplicates;
    },
    takeLags() {
      const taken = lags;
      lags = [];
      return taken;
    },
    reset() {
      firstArrival.clear();
      duplicates = 0;
      lags = [];
    },
    async close() {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}

async function spawnWorker(url: string, key: Buffer): Promise<ChildProcess> {
  // tsx as a loader, not its CLI: the CLI runs the script in a child of its own, whose CPU /proc would miss.
  const nodeArgs = (process.env.BENCH_WORKER_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', WORKER], {
    env: { ...process.env, BENCH_DATABASE_URL: url, BENCH_SECRET_KEY: key.toString('hex') },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  await new Promise<void>((resolve, reject) => {
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      if (out.includes('ready')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`webhook worker exited (${code}) before it was ready`)));
  });
  return child;
}

async function stopWorker(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  await exited;
}

function events(workspaceId: string, n: number, offset: number): EventInput[] {
  return Array.from({ length: n }, (_, i) => ({
    workspaceId,
    type: 'record.created' as const,
    actor: { type: 'user' as const, id: 'usr_bench' },
    data: {
      base_id: 'appBench',
      table_id: 'tblBench',
      record: { id: `rec${String(offset + i).padStart(14, '0')}`, fields: { Name: `Row ${offset + i}` } },
    },
  }));
}

async function waitFor(done: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return true;
}

const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

async function sustained(
  db: Database,
  workspaceId: string,
  receiver: Awaited<ReturnType<typeof startReceiver>>,
) {
  const outbox = createOutbox();
  receiver.reset();
  const started = Date.now();
  let emitted = 0;
  const intervalMs = (PER_TRANSACTION / OFFERED_PER_SECOND) * 1000;
  let next = started;
  while (Date.now() - started < SECONDS * 1000) {
    await db.transaction((tx) => outbox.emit(tx, events(workspaceId, PER_TRANSACTION, emitted)));
    emitted += PER_TRANSACTION;
    next += intervalMs;
    const wait = next - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  }
  const producedFor = (Date.now() - started) / 1000;
  const drained = await waitFor(() => receiver.received >= emitted, 60_000);
  const lags = receiver.takeLags().sort((a, b) => a - b);
  return {
    offeredPerSecond: OFFERED_PER_SECOND,
    emitted,
    committedPerSecond: round(emitted / producedFor),
    deliveredPerSecond: round(receiver.received / ((Date.now() - started) / 1000)),
    lagMs: { p50: quantile(lags, 0.5), p99: quantile(lags, 0.99), max: lags.at(-1) ?? 0 },
    lost: emitted - receiver.received,
    duplicates: receiver.duplicates,
    drained,
  };
}

async function ceiling(
  db: Database,
  workspaceId: string,
  receiver: Awaited<ReturnType<typeof startReceiver>>,
) {
  receiver.reset();
  const outbox = createOutbox();
  for (let made = 0; made < CEILING_BACKLOG; made += 1000) {
    await db.transaction((tx) => outbox.emit(tx, events(workspaceId, 1000, made)));
  }
  const started = Date.now();
  const drained = await waitFor(() => receiver.received >= CEILING_BACKLOG, 120_000);
  const seconds = (Date.now() - started) / 1000;
  receiver.takeLags();
  return { backlog: CEILING_BACKLOG, deliveredPerSecond: round(receiver.received / seconds), drained };
}

async function runWith(processes: number, url: string, db: Database, workspaceId: string, key: Buffer) {
  const receiver = await startReceiver();
  await db.query('DELETE FROM webhook_endpoints');
  const services = await createWebhookServices(
    {
      db,
      audit: createAuditLog(db),
      secretBox: createSecretBox(key),
      now: () => new Date(),
      metrics: new Registry(),
    },
    { deliver: false, allow: ['127.0.0.1'] },
  );
  const access = {
    principal: {
      kind: 'user' as const,
      userId: 'usr_bench',
      email: 'bench@example.com',
      sessionId: 'ses_bench',
    },
    workspaceId,
    workspaceName: 'Bench',
    role: 'owner' as const,
    workspaceCreatedAt: new Date(0).toISOString(),
    workspaceUpdatedAt: new Date(0).toISOString(),
  };
  await services.endpoints.create(access, { url: receiver.url, eventTypes: ['record.*'] });
  const workers = await Promise.all(Array.from({ length: processes }, () => spawnWorker(url, key)));
  const cpuBefore = await Promise.all(workers.map((w) => cpuSeconds(w.pid as number)));
  const steady = await sustained(db, workspaceId, receiver);
  const cpuAfter = await Promise.all(workers.map((w) => cpuSeconds(w.pid as number)));
  const top = await ceiling(db, workspaceId, receiver);
  await Promise.all(workers.map(stopWorker));
  await receiver.close();
  const workerCpu = cpuAfter.reduce((sum, after, i) => sum + after - (cpuBefore[i] ?? 0), 0);
  return {
    processes,
    sustained: steady,
    workerCpuMsPerDelivery: round((workerCpu * 1000) / Math.max(1, steady.emitted), 3),
    ceiling: top,
  };
}

export async function benchWebhooks() {
  const adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) return { skipped: 'needs DATABASE_URL (real PostgreSQL), as the issue measures it' };
  const isolated = await createIsolatedSchema(adminUrl, 'bench');
  const db = await openDatabase({ databaseUrl: isolated.url, dataDir: '/tmp/airsuite-bench-unused' });
  try {
    await migrate(db);
    const workspaceId = 'wsp_bench';
    await db.query("INSERT INTO workspaces (id, name) VALUES ($1, 'Bench')", [workspaceId]);
    const key = randomBytes(32);
    const runs = [];
    for (const processes of [1, 2]) runs.push(await runWith(processes, isolated.url, db, workspaceId, key));
    return {
      target: { deliveriesPerSecond: 2000, lagP99Ms: 1000 },
      secondsSustained: SECONDS,
      runs,
    };
  } finally {
    await db.close();
    await isolated.drop();
  }
}
