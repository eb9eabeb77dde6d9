import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { isAbsolute, join, relative } from 'node:path';
import { LOCAL_CREDENTIALS_FILE, readLocalCredentials } from '@airsuite/platform-api';
import { EMULATOR_DATA_SUBDIR } from './data-layout.ts';

export { EMULATOR_DATA_SUBDIR };

/** The platform's master key: never removed (see `planLocalReset`). */
const SECRET_KEY_FILE = 'secret.key';

const isDirectory = (path: string) => existsSync(path) && statSync(path).isDirectory();

interface LocalEntry {
  name: string;
  holds: string;
  /** Describes rows of the database in use; kept when that is DATABASE_URL's, not the embedded one. */
  goesWithDatabase: boolean;
  /** Whether what has this name in `dataDir` is really AirSuite's (another program's `db/` is left alone). */
  isOurs(dataDir: string): boolean;
}

const ENTRIES: LocalEntry[] = [
  {
    name: 'db',
    holds: 'accounts, workspaces, API keys and chats (the embedded PostgreSQL)',
    // Local even when DATABASE_URL is set (left from runs without it), so it goes too.
    goesWithDatabase: false,
    isOurs: (dataDir) => existsSync(join(dataDir, 'db', 'PG_VERSION')),
  },
  {
    name: EMULATOR_DATA_SUBDIR,
    holds: "the Airtable emulator's bases and records",
    goesWithDatabase: false,
    // Only the emulator's state file and its temp files from an interrupted save.
    isOurs: (dataDir) => {
      const path = join(dataDir, EMULATOR_DATA_SUBDIR);
      return isDirectory(path) && readdirSync(path).every((name) => name.startsWith('emulator-state.json'));
    },
  },
  {
    name: LOCAL_CREDENTIALS_FILE,
    holds: "the first start's sign-in and API key",
    goesWithDatabase: true,
    isOurs: (dataDir) => {
      try {
        return readLocalCredentials(dataDir) !== undefined;
      } catch {
        return false;
      }
    },
  },
];

export type LocalResetPlan =
  | { kind: 'missing' }
  /** Holds nothing AirSuite knows: removing anything there could destroy someone else's files. */
  | { kind: 'foreign'; names: string[] }
  | {
      kind: 'ours';
      remove: { name: string; holds: string }[];
      /** AirSuite's, kept on purpose (the secret key; the database's companions with DATABASE_URL). */
      keep: string[];
      /** Not AirSuite's: never touched. */
      others: string[];
    };

/**
 * What starting over removes from the data directory: the embedded database, the emulator's
 * records and the first-start credentials. With an external database (DATABASE_URL) that
 * database is not ours to drop, and first-start.json, which signs in to its account, stays. `secret.key` always stays: a database elsewhere may hold tokens sealed with it, and a
 * lost key cannot be recovered, while keeping it costs nothing.
 */
export function planLocalReset(dataDir: string, options: { externalDatabase: boolean }): LocalResetPlan {
  if (!existsSync(dataDir)) return { kind: 'missing' };
  const names = readdirSync(dataDir);
  const remove: { name: string; holds: string }[] = [];
  const keep: string[] = [];
  for (const entry of ENTRIES) {
    if (!names.includes(entry.name) || !entry.isOurs(dataDir)) continue;
    if (options.externalDatabase && entry.goesWithDatabase) keep.push(entry.name);
    else remove.push({ name: entry.name, holds: entry.holds });
  }
  if (names.includes(SECRET_KEY_FILE)) keep.push(SECRET_KEY_FILE);
  const known = new Set([...remove.map((r) => r.name), ...keep]);
  const others = names.filter((name) => !known.has(name));
  if (known.size === 0 && others.length > 0) return { kind: 'foreign', names: others };
  return { kind: 'ours', remove, keep, others };
}

/** Removes what the plan lists, each entry inside `dataDir` only (a symlink goes, not its target). */
export function removeLocalData(dataDir: string, plan: LocalResetPlan): void {
  if (plan.kind !== 'ours') return;
  for (const { name } of plan.remove) rmSync(join(dataDir, name), { recursive: true, force: true });
}

/** `./.airsuite` for a directory under the current one, the absolute path otherwise. */
export function displayPath(path: string, cwd = process.cwd()): string {
  const rel = relative(cwd, path);
  if (rel === '') return '.';
  return rel.startsWith('..') || isAbsolute(rel) ? path : `./${rel}`;
}
