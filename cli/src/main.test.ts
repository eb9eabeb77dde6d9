import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createEmulator } from '@airsuite/airtable-gateway/emulator';
import { describe, expect, it } from 'vitest';
import { main } from './main.ts';
import { recordingIo } from './test-io.ts';

const run = promisify(execFile);
const bin = join(dirname(fileURLToPath(import.meta.url)), '..', 'bin', 'airsuite.js');

async function untilPrinted(out: string[], pattern: RegExp): Promise<string> {
  for (let i = 0; i < 200; i++) {
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
    for (const command of ['start', 'emulator', 'gateway', 'mcp', 'snapshot'])
      expect(stdout).toContain(command);
  });

  it.each(['start', 'emulator', 'gateway', 'mcp', 'snapshot'])('has --help for %s', async (command) => {
    const { io, out } = recordingIo();
    expect(await main(['node', 'airsuite', command, '--help'], io, {})).toBe(0);
    expect(out.join('\n')).toMatch(new RegExp(`Usage: airsuite ${command}`));
  });

  it('exits 2 on an unknown command or a bad setting', async () => {
    const { io, err } = recordingIo();
    expect(await main(['node', 'airsuite', 'nope'], io, {})).toBe(2);
    expect(await main(['node', 'airsuite', 'emulator', '--port', 'x'], io, {})).toBe(2);
    expect(err.join('\n')).toMatch(/--port/);
  });

  it('start serves the sample bases and prints the URL and a working token', async () => {
    const { io, out, stop } = recordingIo();
    const exit = main(
      ['node', 'airsuite', 'start', '--port', '0', '--gateway-port', '0', '--mcp-port', '0'],
      io,
      {},
    );
    const url = (await untilPrinted(out, /emulator listening on/)).replace(/.*listening on /, '');
    const token = (await untilPrinted(out, /Token:/)).replace(/.*Token:\s+/, '');
    const gateway = (await untilPrinted(out, /gateway listening on/)).replace(/.*listening on (\S+).*/, '$1');
    for (const origin of [url, gateway]) {
      const response = await fetch(`${origin}/v0/meta/bases`, {
        headers: { authorization: `Bearer ${token}` },
      });
      const body = (await response.json()) as { bases: { name: string }[] };
      expect(body.bases.map((b) => b.name)).toEqual(['Sales CRM', 'Product Roadmap']);
    }
    const mcp = (await untilPrinted(out, /MCP server/)).replace(/.* on /, '');
    const mcpToken = (await untilPrinted(out, /MCP token:/)).replace(/.*MCP token:\s+(\S+).*/, '$1');
    const unauthenticated = await fetch(mcp, { method: 'POST', body: '{}' });
    expect(unauthenticated.status).toBe(401);
    const initialize = await fetch(mcp, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${mcpToken}`,
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
      },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'initialize',
        params: {
          protocolVersion: '2025-06-18',
          capabilities: {},
          clientInfo: { name: 'test', version: '0' },
        },
      }),
    });
    expect(initialize.status).toBe(200);
    stop();
    expect(await exit).toBe(0);
  });

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

  it('snapshot says so when no emulator is running', async () => {
    const { io, err } = recordingIo();
    expect(await main(['node', 'airsuite', 'snapshot', '--url', 'http://127.0.0.1:1'], io, {})).toBe(2);
    expect(err.join('\n')).toMatch(/Cannot reach the emulator/);
  });
});
