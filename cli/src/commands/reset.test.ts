import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../main.ts';
import { recordingIo } from '../test-io.ts';

// `airsuite reset` removes what `airsuite start` keeps in the data directory, and nothing else:
// never a directory that is not AirSuite's, never an external database, never the secret key.

let root: string;
let dataDir: string;

/** A data directory as a few starts leave it (PGlite's marker file stands for the database). */
function storedData(): void {
  mkdirSync(join(dataDir, 'db'), { recursive: true });
  writeFileSync(join(dataDir, 'db', 'PG_VERSION'), '17\n');
  mkdirSync(join(dataDir, 'emulator'));
  writeFileSync(join(dataDir, 'emulator', 'emulator-state.json'), '{}');
  writeFileSync(
    join(dataDir, 'first-start.json'),
    JSON.stringify({ email: 'o@x', password: 'p', workspaceId: 'wsp_1', apiKey: 'ask_live_1' }),
  );
  writeFileSync(join(dataDir, 'secret.key'), 'key\n');
}

const reset = async (env: Record<string, string> = {}) => {
  const { io, out, err } = recordingIo();
  const exit = await main(['node', 'airsuite', 'reset'], io, { AIRSUITE_DATA_DIR: dataDir, ...env });
  return { exit, out, err };
};

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'airsuite-reset-'));
  dataDir = join(root, '.airsuite');
  mkdirSync(dataDir);
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('airsuite reset', () => {
  it('removes the embedded database, the emulator records and the first-start credentials, keeping secret.key', async () => {
    storedData();
    const { exit } = await reset();
    expect(exit).toBe(0);
    expect(readdirSync(dataDir)).toEqual(['secret.key']);
  });

  it('with DATABASE_URL set, removes only local data: the credentials of that database stay', async () => {
    storedData();
    const { exit, out } = await reset({ DATABASE_URL: 'postgres://user:hunter2@db.example/airsuite' });
    expect(exit).toBe(0);
    expect(readdirSync(dataDir).sort()).toEqual(['first-start.json', 'secret.key']);
    expect(out.join('\n')).toMatch(/DATABASE_URL/);
    expect(out.join('\n')).not.toContain('hunter2');
  });

  it('refuses with exit 2 and removes nothing in a directory that is not an AirSuite data directory', async () => {
    mkdirSync(join(dataDir, 'db'));
    writeFileSync(join(dataDir, 'db', 'schema.sql'), 'create table t ();');
    writeFileSync(join(dataDir, 'notes.txt'), 'mine');
    const { exit, err } = await reset();
    expect(exit).toBe(2);
    expect(err.join('\n')).toContain(dataDir);
    expect(readdirSync(dataDir).sort()).toEqual(['db', 'notes.txt']);
    expect(readdirSync(join(dataDir, 'db'))).toEqual(['schema.sql']);
  });

  it('leaves alone what is not AirSuite’s inside a data directory', async () => {
    storedData();
    writeFileSync(join(dataDir, 'notes.txt'), 'mine');
    mkdirSync(join(dataDir, 'emulator', 'keep-me'));
    expect((await reset()).exit).toBe(0);
    expect(readdirSync(dataDir).sort()).toEqual(['emulator', 'notes.txt', 'secret.key']);
  });

  it('removes a symlink it finds, never what it points to', async () => {
    const elsewhere = join(root, 'elsewhere');
    mkdirSync(elsewhere);
    writeFileSync(join(elsewhere, 'PG_VERSION'), '17\n');
    symlinkSync(elsewhere, join(dataDir, 'db'));
    expect((await reset()).exit).toBe(0);
    expect(existsSync(join(dataDir, 'db'))).toBe(false);
    expect(readdirSync(elsewhere)).toEqual(['PG_VERSION']);
  });

  it('succeeds with nothing to do when the data directory does not exist, and creates nothing', async () => {
    rmSync(dataDir, { recursive: true });
    expect((await reset()).exit).toBe(0);
    expect(existsSync(dataDir)).toBe(false);
  });

  it('leaves an EMULATOR_DATA_DIR outside the data directory alone', async () => {
    storedData();
    const outside = join(root, 'emulator-elsewhere');
    mkdirSync(outside);
    writeFileSync(join(outside, 'emulator-state.json'), '{}');
    expect((await reset({ EMULATOR_DATA_DIR: outside })).exit).toBe(0);
    expect(readdirSync(outside)).toEqual(['emulator-state.json']);
  });
});

describe('airsuite start --fresh', () => {
  it('exits 2 on a bad setting before removing anything', async () => {
    storedData();
    const { io, err } = recordingIo();
    const argv = ['node', 'airsuite', 'start', '--fresh', '--gateway-port', 'x'];
    expect(await main(argv, io, { AIRSUITE_DATA_DIR: dataDir })).toBe(2);
    expect(err.join('\n')).toMatch(/GATEWAY_PORT/);
    expect(readdirSync(dataDir).sort()).toEqual(['db', 'emulator', 'first-start.json', 'secret.key']);
  });
});
