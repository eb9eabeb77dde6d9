import { Command, CommanderError } from 'commander';
import { CliExit } from './cli-exit.ts';
import { registerChatCommand } from './commands/chat-command.ts';
import { registerEmulatorCommand } from './commands/emulator-command.ts';
import { registerGatewayCommand } from './commands/gateway-command.ts';
import { registerMcpCommand } from './commands/mcp-command.ts';
import { registerMigrateCommand } from './commands/migrate-command.ts';
import { registerOrchestratorCommand } from './commands/orchestrator-command.ts';
import { registerPlatformCommand } from './commands/platform-command.ts';
import { registerPluginCommand } from './commands/plugin-command.ts';
import { registerResetCommand } from './commands/reset-command.ts';
import { registerSnapshotCommand } from './commands/snapshot.ts';
import { registerStartCommand } from './commands/start-command.ts';
import { registerWebhooksCommand } from './commands/webhooks-command.ts';
import { ConfigError } from './config-error.ts';
import type { Env } from './emulator-config.ts';
import { type CliIo, processIo } from './io.ts';
import { isAddressInUse } from './port-in-use.ts';

export function createProgram(io: CliIo, env: Env): Command {
  const program = new Command('airsuite')
    .description('AirSuite: typed Airtable tools for AI agents, behind one rate-limited gateway')
    .version('0.1.0')
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout(s.trimEnd()), writeErr: (s) => io.stderr(s.trimEnd()) });
  registerStartCommand(program, io, env);
  registerResetCommand(program, io, env);
  registerEmulatorCommand(program, io, env);
  registerGatewayCommand(program, io, env);
  registerSnapshotCommand(program, io, env);
  registerMcpCommand(program, io, env);
  registerPlatformCommand(program, io, env);
  registerMigrateCommand(program, io, env);
  registerChatCommand(program, io, env);
  registerOrchestratorCommand(program, io, env);
  registerWebhooksCommand(program, io, env);
  registerPluginCommand(program, io, env);
  for (const command of program.commands) command.exitOverride();
  return program;
}

/** Runs the CLI; resolves to the process exit code (0 ok, 1 failure, 2 bad usage or configuration). */
export async function main(argv: string[], io: CliIo = processIo(), env: Env = process.env): Promise<number> {
  const program = createProgram(io, env);
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    if (error instanceof ConfigError || error instanceof CliExit) {
      io.stderr(`airsuite: ${error.message}`);
      return error.exitCode;
    }
    // Each command names the service and its setting (PortInUseError); this is the fallback.
    if (isAddressInUse(error)) {
      io.stderr(
        `airsuite: ${error.port === undefined ? 'a port' : `port ${error.port}`} is already in use: pick another (see --help) or stop the other process`,
      );
      return 2;
    }
    io.stderr(`airsuite: ${(error as Error).stack ?? String(error)}`);
    return 1;
  }
}
