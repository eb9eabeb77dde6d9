import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEmulator } from '@airsuite/airtable-emulator';
import { createGatewayEngine } from '@airsuite/airtable-gateway';
import { createPlatform, ensureLocalBootstrap, startPlatformServer } from '@airsuite/platform-api';
import { openBenchDatabase } from './isolated-database.ts';

/**
 * The platform under load, in its own process so the load generator does not share its
 * core. Airtable limits are off on both emulator and gateway: the bench measures the
 * platform's own cost. Prints one JSON line with the URL and credentials, then serves.
 */
const TOKEN = `pat${randomBytes(12).toString('hex')}`;
const emulator = await createEmulator({
  port: 0,
  seed: 'sample',
  tokens: [TOKEN],
  rateLimits: { enabled: false },
});
const engine = await createGatewayEngine({
  upstreamUrl: emulator.url,
  perBaseLimit: 1_000_000,
  perOwnerLimit: 1_000_000,
});
const dataDir = mkdtempSync(join(tmpdir(), 'airsuite-bench-'));
const database = await openBenchDatabase(dataDir);
const { db } = database;
const platform = await createPlatform({ db, engine, secretKey: randomBytes(32) });
const local = await ensureLocalBootstrap({ platform, dataDir: join(dataDir, 'state'), airtableToken: TOKEN });
const login = await platform.accounts.login({
  email: local.email,
  password: local.password,
  ip: '127.0.0.1',
});
const server = await startPlatformServer({ platform, port: 0 });
process.stdout.write(
  `${JSON.stringify({
    url: server.url,
    workspaceId: local.workspaceId,
    apiKey: local.apiKey,
    accessToken: login.access_token,
    database: db.kind,
  })}\n`,
);
process.on('SIGTERM', async () => {
  await server.close();
  await platform.close();
  await database.drop();
  await engine.close();
  await emulator.close();
  process.exit(0);
});
