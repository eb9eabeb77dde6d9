import { join, resolve } from 'node:path';
import { CliExit } from '../cli-exit.ts';
import type { Env } from '../emulator-config.ts';
import type { CliIo } from '../io.ts';
import { displayPath, EMULATOR_DATA_SUBDIR, planLocalReset, removeLocalData } from '../local-data.ts';
import { platformSettings } from '../platform-runtime.ts';

const KEEP_REASONS: Record<string, string> = {
  'secret.key': 'it encrypts stored tokens; a database elsewhere may still need it',
  'first-start.json': "it signs in to DATABASE_URL's account",
};

/**
 * Says what starting over removes from the data directory, then removes it (the order matters:
 * a user reading the output knows what went even if a removal fails half-way). Exits 2 without
 * touching anything when the directory is not an AirSuite data directory.
 */
export function removeStoredData(
  io: CliIo,
  dataDir: string,
  { externalDatabase, heading }: { externalDatabase: boolean; heading: string },
): void {
  const where = displayPath(dataDir);
  const plan = planLocalReset(dataDir, { externalDatabase });
  if (plan.kind === 'foreign') {
    throw new CliExit(
      `${where} is not an AirSuite data directory (it holds ${plan.names.slice(0, 3).join(', ')}${plan.names.length > 3 ? ', …' : ''} and none of db/, emulator/, first-start.json); nothing was removed. Check AIRSUITE_DATA_DIR.`,
      2,
    );
  }
  if (plan.kind === 'missing' || plan.remove.length === 0) {
    io.stdout(`${heading}: nothing stored in ${where} to remove.`);
  } else {
    io.stdout(`${heading}: removing from ${where}`);
    const width = Math.max(...plan.remove.map((r) => r.name.length)) + 3;
    for (const { name, holds } of plan.remove)
      io.stdout(`  ${`${name}${name.includes('.') ? '' : '/'}`.padEnd(width)}${holds}`);
    removeLocalData(dataDir, plan);
  }
  if (plan.kind === 'ours') {
    for (const name of plan.keep) io.stdout(`  kept ${name} (${KEEP_REASONS[name] ?? 'AirSuite data'})`);
    if (plan.others.length > 0) io.stdout(`  left alone (not AirSuite's): ${plan.others.join(', ')}`);
  }
  if (externalDatabase) {
    io.stdout(
      '  Only local data was removed: the database at DATABASE_URL (accounts, workspaces, API keys, chats) was not touched.',
    );
  }
}

/** `airsuite reset`: removes what `airsuite start` keeps in the data directory. */
export function runReset(io: CliIo, env: Env): void {
  const settings = platformSettings(env);
  removeStoredData(io, settings.dataDir, {
    externalDatabase: Boolean(settings.databaseUrl),
    heading: 'airsuite reset',
  });
  // Nothing outside the data directory is removed, even the emulator's data when kept elsewhere.
  const elsewhere = env.EMULATOR_DATA_DIR?.trim() ? resolve(env.EMULATOR_DATA_DIR.trim()) : undefined;
  if (elsewhere && elsewhere !== join(settings.dataDir, EMULATOR_DATA_SUBDIR)) {
    io.stdout(
      `  the emulator's records in EMULATOR_DATA_DIR (${displayPath(elsewhere)}) were left alone: \`airsuite start --fresh\` replaces them with the sample bases`,
    );
  }
}
