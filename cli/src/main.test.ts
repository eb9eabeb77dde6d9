import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createEmulator } from '@airsuite/airtable-emulator';
import { readLocalCredentials } from '@airsuite/platform-api';
import { describe, expect, it } from 'vitest';
import { main } from './main.ts';
import { callTool, chatWithoutGemini, isolatedDatabaseUrl, toolNames } from './start-test-kit.ts';
import { recordingIo } from './test-io.ts';

const run = promisify(execFile);
const bin = join(dirname(fileURLToPath(import.meta.url)), '..', 'bin', 'airsuite.js');

async function untilPrinted(out: string[], pattern: RegExp): Promise<string> {
  for (let i = 0; i < 2400; i++) {
    const line = out.find((l) => pattern.test(l));
    if (line) return line;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`never printed ${pattern}`);
}

describe('airsuite command', () => {
  it('runs from its bin with no build step and lists its commands', async () => {
    const { stdout } = await run(process.execPath, [bin, '--help']);
    expect(stdout).toMatch(/Usage: airsuite/);
    for (const command of ['start', 'reset', 'emulator', 'gateway', 'mcp', 'snapshot'])
      expect(stdout).toContain(command);
  });

  it.each(['start', 'reset', 'emulator', 'gateway', 'mcp', 'snapshot'])(
    'has --help for %s',
    async (command) => {
      const { io, out } = recordingIo();
      expect(await main(['node', 'airsuite', command, '--help'], io, {})).toBe(0);
      expect(out.join('\n')).toMatch(new RegExp(`Usage: airsuite ${command}`));
    },
  );

  it('exits 2 on an unknown command or a bad setting', async () => {
    const { io, err } = recordingIo();
    expect(await main(['node', 'airsuite', 'nope'], io, {})).toBe(2);
    expect(await main(['node', 'airsuite', 'emulator', '--port', 'x'], io, {})).toBe(2);
    expect(err.join('\n')).toMatch(/--port/);
  });

  it('start serves the sample bases, the platform and MCP, and reuses its first-start account', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'airsuite-start-'));
    const database = await isolatedDatabaseUrl();
    const env = { AIRSUITE_DATA_DIR: dataDir, ...(database ? { DATABASE_URL: database.url } : {}) };
    const argv = [
      'node',
      'airsuite',
      'start',
      '--port',
      '0',
      '--gateway-port',
      '0',
      '--mcp-port',
      '0',
      '--platform-port',
      '0',
      '--orchestrator-port',
      '0',
    ];
    try {
      const first = recordingIo();
      const firstExit = main(argv, first.io, env);
      const url = (await untilPrinted(first.out, /emulator listening on/)).replace(/.*listening on /, '');
      const token = (await untilPrinted(first.out, /Token:/)).replace(/.*Token:\s+/, '');
      const gateway = (await untilPrinted(first.out, /gateway listening on/)).replace(
        /.*listening on (\S+).*/,
        '$1',
      );
      for (const origin of [url, gateway]) {
        const response = await fetch(`${origin}/v0/meta/bases`, {
          headers: { authorization: `Bearer ${token}` },
        });
        const body = (await response.json()) as { bases: { name: string }[] };
        expect(body.bases.map((b) => b.name)).toEqual(['Sales CRM', 'Product Roadmap']);
      }
      const mcp = (await untilPrinted(first.out, /MCP server/)).replace(/.* on /, '');
      const apiKey = (await untilPrinted(first.out, /API key:/)).replace(/.*API key:\s+(\S+).*/, '$1');
      expect(first.out.join('\n')).toContain('First start');
      expect(first.out.join('\n')).toContain(`claude mcp add --transport http airsuite ${mcp}`);
      expect((await fetch(mcp, { method: 'POST', body: '{}' })).status).toBe(401);
      expect(await toolNames(mcp, apiKey)).toContain('list_records');
      expect(statSync(join(dataDir, 'first-start.json')).mode & 0o777).toBe(0o600);
      // Without GEMINI_API_KEY the chat refuses with a clear error, never a crash or a fake answer.
      const chatUrl = (await untilPrinted(first.out, /Chat on /)).replace(/.*Chat on (\S+)\/.*/, '$1');
      expect(await chatWithoutGemini(chatUrl, apiKey)).toEqual({
        status: 503,
        code: 'CHAT_MODEL_NOT_CONFIGURED',
      });
      first.stop();
      expect(await firstExit).toBe(0);

      const second = recordingIo();
      const secondExit = main(argv, second.io, env);
      await untilPrinted(second.out, /API key:/);
      // The key is printed on the first start only; later starts reuse the one kept in first-start.json.
      expect(readLocalCredentials(dataDir)?.apiKey).toBe(apiKey);
      expect(second.out.join('\n')).toContain('Reusing');
      expect(second.out.join('\n')).not.toContain(apiKey);
      const mcpAgain = (await untilPrinted(second.out, /MCP server/)).replace(/.* on /, '');
      // The stored connection still works: the emulator got its old token back.
      expect(await callTool(mcpAgain, apiKey, 'list_bases')).toContain('Sales CRM');
      second.stop();
      expect(await secondExit).toBe(0);
    } finally {
      await database?.drop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 120_000);

  it('emulator masks a token the user supplied', async () => {
    const { io, out, stop } = recordingIo();
    const exit = main(
      ['node', 'airsuite', 'emulator', '--port', '0', '--token', 'my-own-secret-token'],
      io,
      {},
    );
    await untilPrinted(out, /Token:/);
    expect(out.join('\n')).not.toContain('my-own-secret-token');
    stop();
    expect(await exit).toBe(0);
  });

  it('snapshot exports a running emulator as a fixture', async () => {
    const emulator = await createEmulator({ port: 0, seed: 'sample', tokens: ['snapshot-test-token'] });
    const written: Record<string, string> = {};
    const { io } = recordingIo({
      writeFile: async (path, text) => {
        written[path] = text;
      },
    });
    try {
      const code = await main(
        [
          'node',
          'airsuite',
          'snapshot',
          '--url',
          emulator.url,
          '--base',
          'appnasRgpDkkrIM6c',
          '-o',
          'out.json',
        ],
        io,
        {},
      );
      expect(code).toBe(0);
      const fixture = JSON.parse(written['out.json'] as string) as { bases: { name: string }[] };
      expect(fixture.bases.map((b) => b.name)).toEqual(['Product Roadmap']);
    } finally {
      await emulator.close();
    }
  });

  it('snapshot sends the admin token of an emulator that requires one (--admin-token or EMULATOR_ADMIN_TOKEN)', async () => {
    const adminToken = 'snapshot-admin-token-0123';
    const emulator = await createEmulator({ port: 0, seed: 'sample', adminToken });
    try {
      const argv = ['node', 'airsuite', 'snapshot', '--url', emulator.url];
      const without = recordingIo();
      expect(await main(argv, without.io, {})).toBe(2);
      expect(without.err.join('\n')).toContain('--admin-token');
      for (const [args, env] of [
        [['--admin-token', adminToken], {}],
        [[], { EMULATOR_ADMIN_TOKEN: adminToken }],
      ] as const) {
        const { io, out } = recordingIo();
        expect(await main([...argv, ...args], io, env)).toBe(0);
        expect(JSON.parse(out.join('\n'))).toMatchObject({ version: 1 });
      }
    } finally {
      await emulator.close();
    }
  });

  it('snapshot says so when no emulator is running', async () => {
    const { io, err } = recordingIo();
    expect(await main(['node', 'airsuite', 'snapshot', '--url', 'http://127.0.0.1:1'], io, {})).toBe(2);
    expect(err.join('\n')).toMatch(/Cannot reach the emulator/);
  });
});
