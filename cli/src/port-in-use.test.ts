import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from './main.ts';
import { PORT_OWNERS, type PortOwner } from './port-in-use.ts';
import { isolatedDatabaseUrl } from './start-test-kit.ts';
import { recordingIo } from './test-io.ts';

// A port that is taken stops the command with exit code 2 and one line that says which port,
// which service wanted it and what moves it (the flag of the command that was run, and the
// variable), for every service `airsuite start` runs and every command that runs one alone.

let dataDir: string;
let database: Awaited<ReturnType<typeof isolatedDatabaseUrl>>;
let env: Record<string, string>;
let taken: Server;
let port: number;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'airsuite-port-in-use-'));
  database = await isolatedDatabaseUrl();
  env = { AIRSUITE_DATA_DIR: dataDir, ...(database ? { DATABASE_URL: database.url } : {}) };
  taken = createServer();
  await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
  port = (taken.address() as { port: number }).port;
});
afterAll(async () => {
  await new Promise((resolve) => taken.close(resolve));
  await database?.drop();
  rmSync(dataDir, { recursive: true, force: true });
});

/** Every port of `airsuite start` on a free one, except `flag`'s, which gets the taken port. */
const startArgs = (flag: string) =>
  ['--port', '--gateway-port', '--platform-port', '--mcp-port', '--orchestrator-port'].flatMap((f) => [
    f,
    f === flag ? String(port) : '0',
  ]);

interface Case {
  run: string;
  argv: () => string[];
  extraEnv?: () => Record<string, string>;
  owner: PortOwner;
}

const cases: Case[] = [
  ...(
    [
      ['--port', PORT_OWNERS.emulator],
      ['--gateway-port', PORT_OWNERS.gateway],
      ['--platform-port', PORT_OWNERS.platform],
      ['--mcp-port', PORT_OWNERS.mcp],
      ['--orchestrator-port', PORT_OWNERS.chat],
    ] as const
  ).map(([flag, owner]) => ({
    run: `start ${flag}`,
    argv: () => ['start', ...startArgs(flag)],
    owner: { ...owner, flag },
  })),
  {
    run: 'emulator',
    argv: () => ['emulator', '--port', String(port)],
    owner: { ...PORT_OWNERS.emulator, flag: '--port' },
  },
  {
    run: 'gateway',
    argv: () => ['gateway', '--port', String(port)],
    owner: { ...PORT_OWNERS.gateway, flag: '--port' },
  },
  {
    run: 'platform',
    argv: () => ['platform', '--port', String(port)],
    owner: { ...PORT_OWNERS.platform, flag: '--port' },
  },
  {
    run: 'orchestrator',
    argv: () => ['orchestrator', '--port', String(port)],
    owner: { ...PORT_OWNERS.chat, flag: '--port' },
  },
  {
    run: 'mcp --http (standalone)',
    argv: () => ['mcp', '--http'],
    extraEnv: () => ({
      MCP_PORT: String(port),
      AIRTABLE_TOKEN: 'pat-port-in-use-spec',
      MCP_AUTH_TOKEN: 'port-in-use-spec-auth-token',
    }),
    owner: PORT_OWNERS.mcp,
  },
  {
    run: 'mcp --http (platform keys)',
    argv: () => ['mcp', '--http'],
    extraEnv: () => ({ MCP_PORT: String(port) }),
    owner: PORT_OWNERS.mcp,
  },
];

describe('a port that is already in use', () => {
  it.each(cases)('$run: exit 2, naming the port, the service and what moves it', async (c) => {
    const { io, err, stop } = recordingIo();
    // Were the port not refused, the command would run until stopped: stop it, and fail below.
    const guard = setTimeout(stop, 60_000);
    const code = await main(['node', 'airsuite', ...c.argv()], io, { ...env, ...c.extraEnv?.() });
    clearTimeout(guard);
    const message = err.join('\n');
    expect({ code, lines: err.filter((l) => l.includes('already in use')).length }).toEqual({
      code: 2,
      lines: 1,
    });
    for (const token of [`port ${port} `, `(${c.owner.service})`, c.owner.env, c.owner.flag ?? c.owner.env])
      expect(message, token).toContain(token);
    if (!c.owner.flag) expect(message).not.toContain('--');
  });
});
