import {
  createEmulator,
  type EmulatorOptions,
  maskToken,
  type RunningEmulator,
} from '@airsuite/airtable-emulator';
import { type EmulatorFlags, type Env, emulatorOptionsFrom } from '../emulator-config.ts';
import type { CliIo } from '../io.ts';
import { displayPath } from '../local-data.ts';
import { listenAs, PORT_OWNERS } from '../port-in-use.ts';

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
  // `start` and `emulator` both move the emulator with --port.
  const emulator = await listenAs({ ...PORT_OWNERS.emulator, flag: '--port' }, () =>
    createEmulator({ ...options, log: (m) => io.stderr(m) }),
  );
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

/** `airsuite emulator`: the local Airtable, until shutdown. */
export async function runEmulator(flags: EmulatorFlags, io: CliIo, env: Env): Promise<void> {
  const emulator = await startEmulator(emulatorOptionsFrom(flags, env), io);
  await io.waitForShutdown();
  await emulator.close();
}
