import type { Command } from 'commander';
import type { EmulatorFlags, Env } from '../emulator-config.ts';
import type { CliIo } from '../io.ts';
import { startEmulator, withEmulatorFlags } from './emulator.ts';

/**
 * `airsuite start`: every service in one process. Today that is the Airtable emulator,
 * seeded with the sample bases; the gateway, MCP server, platform API and orchestrator
 * join it as they are built.
 */
export function registerStartCommand(program: Command, io: CliIo, env: Env): void {
  withEmulatorFlags(
    program
      .command('start')
      .description(
        'run the AirSuite services in one process (today: the Airtable emulator seeded with sample bases)',
      ),
  ).action(async (flags: EmulatorFlags) => {
    const emulator = await startEmulator(flags, env, io, 'sample');
    io.stdout('AirSuite is running. Press Ctrl-C to stop.');
    await io.waitForShutdown();
    await emulator.close();
  });
}
