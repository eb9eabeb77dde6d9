import { createGatewayEngine, startGatewayServer } from '@airsuite/airtable-gateway';
import type { Command } from 'commander';
import { pino } from 'pino';
import type { EmulatorFlags, Env } from '../emulator-config.ts';
import { gatewaySettingsFrom } from '../gateway-config.ts';
import type { CliIo } from '../io.ts';
import { startEmulator, withEmulatorFlags } from './emulator.ts';

interface StartFlags extends EmulatorFlags {
  gatewayPort?: string;
}

/**
 * `airsuite start`: every service in one process. Today: the Airtable emulator (seeded
 * with the sample bases) and the gateway in front of it, or in front of the real Airtable
 * when AIRTABLE_API_URL says so. The MCP server, platform API and orchestrator join as
 * they are built.
 */
export function registerStartCommand(program: Command, io: CliIo, env: Env): void {
  withEmulatorFlags(
    program
      .command('start')
      .description(
        'run the AirSuite services in one process (today: the Airtable emulator with sample bases, and the gateway)',
      ),
  )
    .option('--gateway-port <port>', 'gateway port (env GATEWAY_PORT, default 8002; 0 picks a free port)')
    .action(async (flags: StartFlags) => {
      const emulator = await startEmulator(flags, env, io, 'sample');
      const settings = gatewaySettingsFrom(
        { port: flags.gatewayPort },
        { ...env, AIRTABLE_API_URL: env.AIRTABLE_API_URL ?? emulator.url },
      );
      const logger = pino({ level: env.LOG_LEVEL ?? 'warn' }, pino.destination(2));
      const engine = await createGatewayEngine({ ...settings.engine, logger });
      const gateway = await startGatewayServer({
        engine,
        port: settings.port,
        host: settings.host,
        recordCache: settings.recordCache,
      });
      io.stdout(`Airtable gateway listening on ${gateway.url} (upstream ${engine.options.upstreamUrl})`);
      io.stdout('AirSuite is running. Press Ctrl-C to stop.');
      await io.waitForShutdown();
      await gateway.close();
      await engine.close();
      await emulator.close();
    });
}
