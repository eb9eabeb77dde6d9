import { createGatewayEngine } from '@airsuite/airtable-gateway';
import { pino } from 'pino';
import type { Env } from '../emulator-config.ts';
import { gatewaySettingsFrom } from '../gateway-config.ts';
import type { CliIo } from '../io.ts';
import { openPlatformRuntime } from '../platform-runtime.ts';
import { listenAs, PORT_OWNERS } from '../port-in-use.ts';

export interface PlatformFlags {
  port?: string;
}

/** `airsuite platform`: the REST API alone, until shutdown. */
export async function runPlatform(flags: PlatformFlags, io: CliIo, env: Env): Promise<void> {
  const platformEnv = flags.port ? { ...env, PLATFORM_PORT: flags.port } : env;
  const logger = pino({ level: env.LOG_LEVEL ?? 'info' }, pino.destination(2));
  const gateway = gatewaySettingsFrom({}, env);
  const engine = await createGatewayEngine({ ...gateway.engine, logger });
  const runtime = await openPlatformRuntime(platformEnv, engine, io).catch(async (error: unknown) => {
    await engine.close();
    throw error;
  });
  const { settings } = runtime;
  const server = await listenAs({ ...PORT_OWNERS.platform, flag: '--port' }, () =>
    runtime.serve(logger),
  ).catch(async (error: unknown) => {
    await runtime.close();
    await engine.close();
    throw error;
  });
  io.stdout(`AirSuite platform API on ${server.url}/v1 (reference: ${server.url}/docs)`);
  io.stdout(
    `  Database: ${settings.databaseUrl ? 'PostgreSQL (DATABASE_URL)' : `embedded PGlite in ${settings.dataDir}`}`,
  );
  await io.waitForShutdown();
  await server.close();
  await runtime.close();
  await engine.close();
}
