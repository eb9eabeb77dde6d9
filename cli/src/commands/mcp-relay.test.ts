import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readLocalCredentials } from '@airsuite/platform-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AirsuiteProcess, FREE_PORTS, isolatedDatabaseUrl, spawnAirsuite } from '../start-test-kit.ts';

// `airsuite mcp` with AIRSUITE_API_KEY relays Claude Desktop's stdio to a running platform. When
// it cannot (nothing there, or the key refused) the user reads one line saying what failed and
// what to do, every request is answered with it, and the command exits non-zero.

const BIN = fileURLToPath(new URL('../../bin/airsuite.js', import.meta.url));

const requests = [
  {
    jsonrpc: '2.0',
    id: 1,
    method: 'initialize',
    params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'spec', version: '0' } },
  },
  { jsonrpc: '2.0', method: 'notifications/initialized' },
  { jsonrpc: '2.0', id: 2, method: 'tools/list' },
];

interface Relayed {
  exit: number | string;
  stderr: string[];
  answers: { id?: number; result?: unknown; error?: { message: string; data?: { code?: string } } }[];
}

/**
 * Runs `airsuite mcp` as Claude Desktop does (stdin kept open), sends the handshake and a
 * tools/list, and waits for it to exit (killed after 10 s; with `stopAfterAnswers`, stopped once both are answered).
 */
function relay(env: Record<string, string>, stopAfterAnswers = false): Promise<Relayed> {
  const child = spawn(process.execPath, [BIN, 'mcp'], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const out: string[] = [];
  const err: string[] = [];
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    out.push(chunk);
    const answered = out.join('').split('\n').filter(Boolean).length;
    if (stopAfterAnswers && answered >= 2) child.kill('SIGTERM');
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => err.push(chunk));
  for (const request of requests) child.stdin.write(`${JSON.stringify(request)}\n`);
  const deadline = setTimeout(() => child.kill('SIGKILL'), 10_000);
  return new Promise((resolve) => {
    child.once('exit', (code, signal) => {
      clearTimeout(deadline);
      resolve({
        exit: code ?? signal ?? 'unknown',
        stderr: err.join('').split('\n').filter(Boolean),
        answers: out
          .join('')
          .split('\n')
          .filter(Boolean)
          .map((line) => JSON.parse(line)),
      });
    });
  });
}

/** A loopback port nothing listens on. */
async function deadPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('airsuite mcp relaying to a platform that is not running', () => {
  it('prints one line naming the URL, how to start AirSuite and AIRSUITE_MCP_URL, answers each request with it, and exits 1', async () => {
    const url = `http://127.0.0.1:${await deadPort()}/mcp`;
    const run = await relay({ AIRSUITE_API_KEY: `ask_live_${'x'.repeat(40)}`, AIRSUITE_MCP_URL: url });
    expect(run.exit).toBe(1);
    expect(run.stderr).toHaveLength(1);
    const [line] = run.stderr;
    for (const part of [url, 'airsuite start', 'AIRSUITE_MCP_URL']) expect(line).toContain(part);
    expect(run.answers.map((a) => [a.id, a.error?.data?.code])).toEqual([
      [1, 'MCP_RELAY_UNREACHABLE'],
      [2, 'MCP_RELAY_UNREACHABLE'],
    ]);
  });
});

describe('airsuite mcp relaying to a running platform', () => {
  let dataDir: string;
  let database: Awaited<ReturnType<typeof isolatedDatabaseUrl>>;
  let platform: AirsuiteProcess | undefined;
  let mcpUrl: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'airsuite-mcp-relay-'));
    database = await isolatedDatabaseUrl();
    platform = spawnAirsuite(['start', ...FREE_PORTS], {
      AIRSUITE_DATA_DIR: dataDir,
      ...(database ? { DATABASE_URL: database.url } : {}),
    });
    await platform.line(/Press Ctrl-C to stop/);
    mcpUrl = (await platform.line(/^MCP server/)).replace(/.* on /, '');
  }, 90_000);
  afterAll(async () => {
    await platform?.kill('SIGKILL');
    await database?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('with a wrong key prints one line with the platform code and AIRSUITE_API_KEY, and exits 2', async () => {
    const wrongKey = `ask_live_${'x'.repeat(40)}`;
    const run = await relay({ AIRSUITE_API_KEY: wrongKey, AIRSUITE_MCP_URL: mcpUrl });
    expect(run.exit).toBe(2);
    expect(run.stderr).toHaveLength(1);
    const [line] = run.stderr;
    for (const part of ['AUTH_INVALID_TOKEN', 'AIRSUITE_API_KEY', mcpUrl]) expect(line).toContain(part);
    expect(line).not.toContain(wrongKey);
    expect(run.answers.map((a) => [a.id, a.error?.data?.code])).toEqual([
      [1, 'MCP_RELAY_KEY_REFUSED'],
      [2, 'MCP_RELAY_KEY_REFUSED'],
    ]);
  });

  it('with the right key relays, and says so once the platform has answered', async () => {
    const apiKey = readLocalCredentials(dataDir)?.apiKey ?? '';
    const run = await relay({ AIRSUITE_API_KEY: apiKey, AIRSUITE_MCP_URL: mcpUrl }, true);
    expect(run.answers.map((a) => [a.id, a.error])).toEqual([
      [1, undefined],
      [2, undefined],
    ]);
    expect(run.stderr).toEqual([`airsuite mcp: relaying stdio to the AirSuite platform at ${mcpUrl}`]);
  });
});
