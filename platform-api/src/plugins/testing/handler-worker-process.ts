/**
 * An on_event handler process for the multi-process specs: the platform's plugin services with
 * their handler worker on WORKER_DATABASE_URL, until SIGTERM (or a SIGKILL). WORKER_LEASE_MS
 * shortens the lease so a killed process's claims come back quickly. Prints `ready`.
 */
import { openDatabase } from '../../db/open-database.ts';
import { PlatformError } from '../../errors.ts';
import { createAuditLog } from '../../services/audit-log.ts';
import { createOutbox } from '../../webhooks/outbox.ts';
import { createPluginServices } from '../plugin-services.ts';

const url = process.env.WORKER_DATABASE_URL;
if (!url) throw new Error('WORKER_DATABASE_URL is required');
const db = await openDatabase({ databaseUrl: url, dataDir: '/tmp/airsuite-worker-unused', migrate: false });
const services = createPluginServices(
  {
    db,
    audit: createAuditLog(db),
    outbox: createOutbox(),
    now: () => new Date(),
    airtableFor: async () => {
      throw new PlatformError('CONNECTION_NOT_FOUND', 'no Airtable in this process');
    },
  },
  {
    events: {
      pollMs: 50,
      ...(process.env.WORKER_LEASE_MS ? { leaseMs: Number(process.env.WORKER_LEASE_MS) } : {}),
    },
  },
);
process.stdout.write('ready\n');
process.once('SIGTERM', () => {
  void services
    .close()
    .then(() => db.close())
    .then(() => process.exit(0));
});
