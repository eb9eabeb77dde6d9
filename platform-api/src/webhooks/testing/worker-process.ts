/**
 * A delivery process for the multi-process specs: the platform's webhook services with their
 * worker on WORKER_DATABASE_URL, delivering to 127.0.0.1, until SIGTERM (or a SIGKILL).
 * WORKER_LEASE_MS shortens the lease so a killed process's messages come back quickly.
 * Prints `ready` once it listens.
 */
import { Registry } from 'prom-client';
import { createSecretBox } from '../../crypto/secret-box.ts';
import { openDatabase } from '../../db/open-database.ts';
import { createAuditLog } from '../../services/audit-log.ts';
import { createWebhookServices } from '../webhook-services.ts';

const url = process.env.WORKER_DATABASE_URL;
const key = process.env.WORKER_SECRET_KEY;
if (!url || !key) throw new Error('WORKER_DATABASE_URL and WORKER_SECRET_KEY are required');
const db = await openDatabase({ databaseUrl: url, dataDir: '/tmp/airsuite-worker-unused' });
const services = await createWebhookServices(
  {
    db,
    audit: createAuditLog(db),
    secretBox: createSecretBox(Buffer.from(key, 'hex')),
    now: () => new Date(),
    metrics: new Registry(),
  },
  {
    allow: ['127.0.0.1'],
    concurrency: 8,
    retry: { delaysMs: [0, 50, 50, 50, 50, 50, 50, 50], jitter: 0 },
    ...(process.env.WORKER_LEASE_MS ? { leaseMs: Number(process.env.WORKER_LEASE_MS) } : {}),
  },
);
process.stdout.write('ready\n');
process.once('SIGTERM', () => {
  void services
    .close()
    .then(() => db.close())
    .then(() => process.exit(0));
});
