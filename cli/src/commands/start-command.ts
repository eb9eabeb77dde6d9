import type { Command } from 'commander';
import { EMULATOR_DATA_SUBDIR } from '../data-layout.ts';
import type { Env } from '../emulator-config.ts';
import type { CliIo } from '../io.ts';
import { withEmulatorFlags } from './emulator-command.ts';
import type { StartFlags } from './start.ts';

/** `airsuite start`'s flags and help; the services load only when it runs (see start.ts). */
export function registerStartCommand(program: Command, io: CliIo, env: Env): void {
  withEmulatorFlags(
    program
      .command('start')
      .description(
        'run every AirSuite service in one process: the Airtable emulator (sample bases), the gateway, the platform API, the MCP server and the chat; what you create is kept in the data directory (AIRSUITE_DATA_DIR, default ./.airsuite) across restarts',
      ),
    `default ${EMULATOR_DATA_SUBDIR}/ in the data directory`,
  )
    .option('--gateway-port <port>', 'gateway port (env GATEWAY_PORT, default 8002; 0 picks a free port)')
    .option('--mcp-port <port>', 'MCP Streamable HTTP port (env MCP_PORT, default 8001; 0 picks a free port)')
    .option(
      '--platform-port <port>',
      'platform API port (env PLATFORM_PORT, default 8080; 0 picks a free port)',
    )
    .option(
      '--orchestrator-port <port>',
      'chat port (env ORCHESTRATOR_PORT, default 8003; 0 picks a free port)',
    )
    .option(
      '--fresh',
      "start over: first remove what earlier starts kept in the data directory (the embedded database, the emulator's records, the first-start credentials; with DATABASE_URL set, that database is kept), so the emulator has just the sample bases again",
    )
    .action(async (flags: StartFlags) => {
      const { runStart } = await import('./start.ts');
      await runStart(flags, io, env);
    });
}
