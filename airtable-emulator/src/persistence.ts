import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { TokenGrant } from './http/auth.ts';
import type { EmulatorStore } from './model/store.ts';
import { exportFixture } from './seed/export-fixture.ts';
import type { Fixture } from './seed/fixture-schema.ts';
import type { PersistedWebhooks, WebhookStore } from './webhooks/webhook-store.ts';

const STATE_FILE = 'emulator-state.json';

/** Everything `--data DIR` keeps: the bases as a fixture, the details a fixture leaves out, and the tokens. */
export interface PersistedState {
  version: 1;
  fixture: Fixture;
  autoNumbers: Record<string, Record<string, number>>;
  recordTimes: Record<string, { lastModifiedTime: string; cellModifiedTime: Record<string, string> }>;
  tokens: TokenGrant[];
  /** Webhooks and their payloads; absent in files written before webhooks existed (none then). */
  webhooks?: PersistedWebhooks;
}

export function snapshotState(
  store: EmulatorStore,
  tokens: TokenGrant[],
  webhooks: WebhookStore,
): PersistedState {
  const autoNumbers: PersistedState['autoNumbers'] = {};
  const recordTimes: PersistedState['recordTimes'] = {};
  for (const base of store.bases.values()) {
    autoNumbers[base.id] = Object.fromEntries(base.autoNumbers);
    for (const records of base.records.values()) {
      for (const r of records.values()) {
        recordTimes[r.id] = {
          lastModifiedTime: r.lastModifiedTime,
          cellModifiedTime: { ...r.cellModifiedTime },
        };
      }
    }
  }
  return {
    version: 1,
    fixture: exportFixture(store),
    autoNumbers,
    recordTimes,
    tokens,
    webhooks: webhooks.snapshot(),
  };
}

/** Puts back what a fixture load cannot know: modification times and autoNumber counters. */
export function restoreDetails(store: EmulatorStore, state: PersistedState): void {
  for (const base of store.bases.values()) {
    for (const [fieldId, n] of Object.entries(state.autoNumbers[base.id] ?? {}))
      base.autoNumbers.set(fieldId, n);
    for (const records of base.records.values()) {
      for (const r of records.values()) {
        const times = state.recordTimes[r.id];
        if (!times) continue;
        r.lastModifiedTime = times.lastModifiedTime;
        r.cellModifiedTime = { ...times.cellModifiedTime };
      }
    }
  }
}

export async function readState(dataDir: string): Promise<PersistedState | undefined> {
  let text: string;
  try {
    text = await readFile(join(dataDir, STATE_FILE), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  return JSON.parse(text) as PersistedState;
}

/**
 * Writes atomically (temp file + rename) so a crash mid-write never leaves a torn file,
 * with owner-only permissions because the file holds tokens.
 */
export async function writeState(dataDir: string, state: PersistedState): Promise<void> {
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const target = join(dataDir, STATE_FILE);
  const temp = `${target}.${process.pid}.tmp`;
  await writeFile(temp, JSON.stringify(state), { mode: 0o600 });
  await rename(temp, target);
}

export interface StateSaverOptions {
  dataDir: string;
  /** The store's change counter: a write is needed when it differs from the one on disk. */
  version: () => number;
  snapshot: () => PersistedState;
  /** The version already on disk (the restored one); nothing is on disk when absent. */
  savedVersion?: number;
  log: (message: string) => void;
}

/**
 * Writes the state one write at a time. `persist()` resolves once a write holding every change
 * made before the call has landed, so a request answered after it survives a kill -9; calls that
 * arrive while a write runs share the next one, so a burst costs two writes, not one each.
 */
export function createStateSaver(options: StateSaverOptions): { persist(): Promise<void> } {
  let savedVersion = options.savedVersion ?? -1;
  let tail: Promise<void> = Promise.resolve();
  let next: Promise<void> | undefined;
  const write = async () => {
    // From here on, later changes need a later write: the snapshot is taken before the first await.
    next = undefined;
    const version = options.version();
    if (version === savedVersion) return;
    try {
      await writeState(options.dataDir, options.snapshot());
      savedVersion = version;
    } catch (error) {
      options.log(`emulator: could not save state: ${(error as Error).message}`);
    }
  };
  return {
    persist() {
      if (options.version() === savedVersion) return Promise.resolve();
      if (!next) {
        next = tail.then(write);
        tail = next;
      }
      return next;
    },
  };
}
