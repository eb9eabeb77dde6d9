import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_PLATFORM_MCP_URL } from '@airsuite/mcp-server/relay';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { printedDesktopServer, withDesktopServer } from '../desktop-config-kit.ts';
import { type AirsuiteProcess, FREE_PORTS, isolatedDatabaseUrl, spawnAirsuite } from '../start-test-kit.ts';
import { desktopConfig } from './start-banner.ts';

// Claude Desktop starts the command it is given from its own folder, not the repository, so
// the config the banner prints must work from anywhere: never `npx airsuite` (a 404 from the
// registry, or somebody else's package), but this airsuite by absolute path.

const README = readFileSync(fileURLToPath(new URL('../../../README.md', import.meta.url)), 'utf8');
const CHECKOUT_BIN = fileURLToPath(new URL('../../bin/airsuite.js', import.meta.url));

let dataDir: string;
let elsewhere: string;
let database: Awaited<ReturnType<typeof isolatedDatabaseUrl>>;
const running: AirsuiteProcess[] = [];

beforeEach(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'airsuite-desktop-data-'));
  elsewhere = mkdtempSync(join(tmpdir(), 'airsuite-desktop-cwd-'));
  database = await isolatedDatabaseUrl();
});
afterEach(async () => {
  await Promise.all(running.splice(0).map((p) => p.kill('SIGKILL')));
  await database?.drop();
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(elsewhere, { recursive: true, force: true });
});

describe('the Claude Desktop config airsuite start prints', () => {
  it('starts, from another folder, the relay to this start, which lists the tools', async () => {
    const start = spawnAirsuite(['start', ...FREE_PORTS], {
      AIRSUITE_DATA_DIR: dataDir,
      ...(database ? { DATABASE_URL: database.url } : {}),
    });
    running.push(start);
    await start.line(/Press Ctrl-C to stop/);
    const server = printedDesktopServer(start.out);
    // From a checkout: this node and the checkout's bin, both absolute.
    expect(server).toMatchObject({ command: process.execPath, args: [CHECKOUT_BIN, 'mcp'] });
    const mcpUrl = /MCP server \(Streamable HTTP\) on (\S+)/.exec(start.out.join('\n'))?.[1];
    expect(server.env.AIRSUITE_MCP_URL).toBe(mcpUrl);
    const tools = await withDesktopServer(server, elsewhere, async (client) =>
      (await client.listTools()).tools.map((t) => t.name),
    );
    expect(tools).toContain('list_bases');
    expect(tools).toContain('whoami');
  }, 120_000);

  it("is README's, for the installed command on the default port", () => {
    const installed = desktopConfig(
      { command: '/usr/local/bin/airsuite', args: [] },
      DEFAULT_PLATFORM_MCP_URL,
      'ask_live_…',
    );
    expect(installed).toEqual({
      mcpServers: {
        airsuite: {
          command: '/usr/local/bin/airsuite',
          args: ['mcp'],
          env: { AIRSUITE_API_KEY: 'ask_live_…' },
        },
      },
    });
    expect(README).toContain(JSON.stringify(installed));
    expect(README).not.toMatch(/"command":\s*"npx"|npx airsuite mcp/);
  });
});
