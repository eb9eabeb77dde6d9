/**
 * One webhook delivery process for `npm run bench -- webhooks`: the platform's own webhook
 * services with their delivery worker, on the bench's database, delivering to 127.0.0.1 (the
 * bench's receiver), until SIGTERM. Prints `ready` once it listens for messages.
 *
 *   BENCH_DATABASE_URL=… BENCH_SECRET_KEY=<hex> tsx bench/webhook-worker-process.ts
 */
import { createAuditLog, createSecretBox, createWebhookServices, openDatabase } from '@airsuite/platform-api';
import { Registry } from 'prom-client';

const url = process.env.BENCH_DATABASE_URL;
const key = process.env.BENCH_SECRET_KEY;
if (!url || !key) throw new Error('BENCH_DATABASE_URL and BENCH_SECRET_KEY are required');
const db = await openDatabase({ databaseUrl: url, dataDir: '/tmp/airsuite-bench-unused' });
const now = () => new Date();
const services = await createWebhookServices(
  {
    db,
    audit: createAuditLog(db),
    secretBox: createSecretBox(Buffer.from(key, 'hex')),
    now,
    metrics: new Registry(),
  },
  {
    allow: ['127.0.0.1'],
    concurrency: Number(process.env.BENCH_CONCURRENCY ?? 64),
    onError: (error) => process.stderr.write(`worker: ${String(error)}\n`),
  },
);
process.stdout.write('ready\n');
process.once('SIGTERM', () => {
  void services
    .close()
    .then(() => db.close())
    .then(() => process.exit(0));
});
