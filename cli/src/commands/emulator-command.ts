import { type Command, Option } from 'commander';
import type { EmulatorFlags, Env } from '../emulator-config.ts';
import type { CliIo } from '../io.ts';

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/**
 * Adds the emulator's flags to a command (shared by `emulator` and `start`); `dataDefault` ends
 * the help of --data, for the command whose emulator keeps its data by default.
 */
export function withEmulatorFlags(command: Command, dataDefault = 'in memory otherwise'): Command {
  return command
    .option('-p, --port <port>', 'port to listen on (env EMULATOR_PORT, default 8010; 0 picks a free port)')
    .option('--host <host>', 'interface to bind (env EMULATOR_HOST, default 127.0.0.1)')
    .option(
      '--seed <seed>',
      '"sample" (two example bases), "empty", or a fixture FILE.json (env EMULATOR_SEED)',
    )
    .option(
      '--data <dir>',
      `keep state in this directory across restarts (env EMULATOR_DATA_DIR); ${dataDefault}`,
    )
    .option(
      '--token <token>',
      'accept this full-access token; repeatable (env EMULATOR_TOKEN, comma-separated)',
      collect,
    )
    .option(
      '--admin-token <token>',
      'require this bearer token on the admin API, /__emulator/health aside (env EMULATOR_ADMIN_TOKEN; 16+ characters)',
    )
    .option('--no-rate-limits', "turn off Airtable's rate limits (env EMULATOR_RATE_LIMITS=off)")
    .option(
      '--per-base <n>',
      'requests per sliding second per base (env EMULATOR_RATE_LIMIT_PER_BASE, default 5)',
    )
    .option(
      '--per-owner <n>',
      'requests per sliding second per token owner (env EMULATOR_RATE_LIMIT_PER_OWNER, default 50)',
    )
    .option('--penalty-ms <ms>', 'lock-out after a 429 (env EMULATOR_RATE_LIMIT_PENALTY_MS, default 30000)')
    .addOption(
      new Option(
        '--iterator-ttl-ms <ms>',
        'idle time before a list offset expires (env EMULATOR_ITERATOR_TTL_MS, default 300000)',
      ),
    );
}

export function registerEmulatorCommand(program: Command, io: CliIo, env: Env): void {
  withEmulatorFlags(
    program
      .command('emulator')
      .description(
        'run the local Airtable emulator (Airtable Web API v0, rate limits, faults) for development and tests',
      ),
  ).action(async (flags: EmulatorFlags) => {
    const { runEmulator } = await import('./emulator.ts');
    await runEmulator(flags, io, env);
  });
}
