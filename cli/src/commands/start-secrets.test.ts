import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readLocalCredentials } from '@airsuite/platform-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type AirsuiteProcess, FREE_PORTS, isolatedDatabaseUrl, spawnAirsuite } from '../start-test-kit.ts';

// Logs captured by docker or systemd keep what `airsuite start` prints: the owner's password,
// the API key and the emulator token are printed in full by the first start only. Later starts
// say where they are kept, masked.

let dataDir: string;
let database: Awaited<ReturnType<typeof isolatedDatabaseUrl>>;
let env: Record<string, string>;
const running: AirsuiteProcess[] = [];

beforeEach(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'airsuite-start-secrets-'));
  database = await isolatedDatabaseUrl();
  env = { AIRSUITE_DATA_DIR: dataDir, ...(database ? { DATABASE_URL: database.url } : {}) };
});
afterEach(async () => {
  await Promise.all(running.splice(0).map((p) => p.kill('SIGKILL')));
  await database?.drop();
  rmSync(dataDir, { recursive: true, force: true });
});

/** Runs `airsuite start` until its banner is out, stops it, and returns stdout and stderr. */
async function startAndStop(): Promise<string> {
  const process = spawnAirsuite(['start', ...FREE_PORTS], env);
  running.push(process);
  await process.line(/Press Ctrl-C to stop/);
  expect(await process.kill('SIGINT')).toBe(0);
  return process.out.join('\n');
}

describe('the secrets airsuite start prints', () => {
  it('are printed in full by the first start, and by no later start, which says where they are kept', async () => {
    const first = await startAndStop();
    const stored = readLocalCredentials(dataDir);
    if (!stored?.emulatorToken) throw new Error('the first start kept no credentials');
    const secrets = [stored.password, stored.apiKey, stored.emulatorToken];
    for (const secret of secrets) expect(first).toContain(secret);

    const second = await startAndStop();
    for (const secret of secrets) expect(second).not.toContain(secret);
    const kept = `kept in ${join(dataDir, 'first-start.json')}, mode 0600`;
    // The key's kind and four characters, enough to tell keys apart.
    expect(second).toContain(
      `  API key:    ${stored.apiKey.slice(0, 'ask_live_'.length + 4)}…   (role editor; ${kept})`,
    );
    expect(second).toMatch(new RegExp(`Sign in: .*\\(password ${kept}\\)`));
    expect(second).toContain(
      `Token:  ${stored.emulatorToken.slice(0, 6)}…${stored.emulatorToken.slice(-4)} (${kept})`,
    );
    // The MCP client lines name where the key is, in its place.
    const placeholder = `<API key from ${join(dataDir, 'first-start.json')}>`;
    expect(second).toContain(`--header "Authorization: Bearer ${placeholder}"`);
    expect(second).toContain(`"AIRSUITE_API_KEY":"${placeholder}"`);
  }, 120_000);
});
