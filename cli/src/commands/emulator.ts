import {
  createEmulator,
  type EmulatorOptions,
  maskToken,
  type RunningEmulator,
} from '@airsuite/airtable-gateway/emulator';
import { type Command, Option } from 'commander';
import { type EmulatorFlags, type Env, emulatorOptionsFrom } from '../emulator-config.ts';
import type { CliIo } from '../io.ts';
import { displayPath } from '../local-data.ts';

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

/** Where the emulator's data is, and whether this start found it there. */
function describeData(options: EmulatorOptions, emulator: RunningEmulator): string {
  if (!options.dataDir) return 'in memory (gone when it stops; keep it with --data DIR)';
  const where = displayPath(options.dataDir);
  return emulator.restored
    ? `${where} (the stored bases, as they were left)`
    : `${where} (new, from the seed; kept across restarts)`;
}

/**
 * Starts the emulator and prints where it is, where its data is and how to call it. A token it
 * made is printed in full; a supplied one masked, with `tokenKeptIn` saying where it is kept
 * (by default: as the user gave it).
 */
export async function startEmulator(
  options: EmulatorOptions,
  io: CliIo,
  tokenKeptIn = 'as given',
): Promise<RunningEmulator> {
  const emulator = await createEmulator({ ...options, log: (m) => io.stderr(m) });
  const bases = [...emulator.store.bases.values()];
  io.stdout(`Airtable emulator listening on ${emulator.url}`);
  io.stdout(`  API:    ${emulator.url}/v0  (airtable.js: endpointUrl "${emulator.url}")`);
  io.stdout(
    `  Admin:  ${emulator.url}/__emulator/health${options.adminToken ? '  (other admin calls need the admin token)' : ''}`,
  );
  io.stdout(
    `  Bases:  ${bases.length === 0 ? 'none (seed with --seed sample)' : bases.map((b) => `${b.name} (${b.id})`).join(', ')}`,
  );
  io.stdout(`  Data:   ${describeData(options, emulator)}`);
  const [token] = emulator.tokens;
  if (token && (emulator.generatedToken || (options.tokens ?? []).length === 0)) {
    io.stdout(`  Token:  ${token}`);
    io.stdout(`  Try:    curl -H "Authorization: Bearer ${token}" ${emulator.url}/v0/meta/bases`);
  } else if (token) io.stdout(`  Token:  ${maskToken(token)} (${tokenKeptIn})`);
  return emulator;
}

export function registerEmulatorCommand(program: Command, io: CliIo, env: Env): void {
  withEmulatorFlags(
    program
      .command('emulator')
      .description(
        'run the local Airtable emulator (Airtable Web API v0, rate limits, faults) for development and tests',
      ),
  ).action(async (flags: EmulatorFlags) => {
    const emulator = await startEmulator(emulatorOptionsFrom(flags, env), io);
    await io.waitForShutdown();
    await emulator.close();
  });
}
