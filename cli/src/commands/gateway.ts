import { createGatewayEngine, startGatewayServer } from '@airsuite/airtable-gateway';
import { pino } from 'pino';
import type { Env } from '../emulator-config.ts';
import { type GatewayFlags, gatewaySettingsFrom } from '../gateway-config.ts';
import type { CliIo } from '../io.ts';
import { listenAs, PORT_OWNERS } from '../port-in-use.ts';

/** `airsuite gateway`: the Airtable-compatible proxy, until shutdown. */
export async function runGateway(flags: GatewayFlags, io: CliIo, env: Env): Promise<void> {
  const settings = gatewaySettingsFrom(flags, env);
  const logger = pino({ level: env.LOG_LEVEL ?? 'info' }, pino.destination(2));
  const engine = await createGatewayEngine({ ...settings.engine, logger });
  const server = await listenAs({ ...PORT_OWNERS.gateway, flag: '--port' }, () =>
    startGatewayServer({
      engine,
      port: settings.port,
      host: settings.host,
      recordCache: settings.recordCache,
    }),
  ).catch(async (error: unknown) => {
    await engine.close();
    throw error;
  });
  io.stdout(`Airtable gateway listening on ${server.url}`);
  io.stdout(`  Upstream: ${engine.options.upstreamUrl}`);
  io.stdout(
    `  Limits:   ${engine.options.perBaseLimit}/s per base, ${engine.options.perOwnerLimit}/s per token owner (${engine.limiterMode()})`,
  );
  io.stdout(`  Health:   ${server.url}/healthz   Metrics: ${server.url}/metrics`);
  await io.waitForShutdown();
  await server.close();
  await engine.close();
}
