import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createEmulator, type RunningEmulator } from '@airsuite/airtable-emulator';
import { createCatalogue, OPEN_POLICY } from '@airsuite/tools';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const TOKEN = 'patStdioTestToken0001';
const BIN = fileURLToPath(new URL('../../cli/bin/airsuite.js', import.meta.url));
const CWD = fileURLToPath(new URL('../..', import.meta.url));
let emulator: RunningEmulator;

beforeAll(async () => {
  emulator = await createEmulator({ port: 0, seed: 'sample', tokens: [TOKEN] });
});
afterAll(async () => {
  await emulator?.close();
});

function baseEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !key.startsWith('AIRSUITE_') && !key.startsWith('AIRTABLE_')) env[key] = value;
  }
  return env;
}

describe('airsuite mcp (stdio)', () => {
  it('serves the catalogue and base schemas from the emulator', async () => {
    const stderr: string[] = [];
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [BIN, 'mcp'],
      cwd: CWD,
      env: { ...baseEnv(), AIRTABLE_TOKEN: TOKEN, AIRTABLE_API_URL: emulator.url },
      stderr: 'pipe',
    });
    transport.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
    const client = new Client({ name: 'stdio-test', version: '1.0.0' });
    await client.connect(transport);
    try {
      const catalogue = createCatalogue(OPEN_POLICY);
      if (catalogue.length > 0) {
        const { tools } = await client.listTools();
        expect(tools.map((t) => t.name).sort()).toEqual(catalogue.map((t) => t.name).sort());
      }
      const { resources } = await client.listResources();
      expect(resources.length).toBeGreaterThan(0);
      const first = resources[0]!;
      expect(first.uri).toMatch(/^airtable:\/\/bases\/app[A-Za-z0-9]+\/schema$/);
      const read = await client.readResource({ uri: first.uri });
      const schema = JSON.parse((read.contents[0] as { text: string }).text);
      expect(schema.tables.length).toBeGreaterThan(0);
      if (catalogue.some((t) => t.name === 'list_bases')) {
        const result = await client.callTool({ name: 'list_bases', arguments: {} });
        expect(result.isError).toBeFalsy();
        expect(result.structuredContent).toBeDefined();
      }
      expect(stderr.join('')).not.toContain(TOKEN);
    } finally {
      await client.close();
    }
  });

  it('closes once and exits 0 promptly when the client closes stdin', async () => {
    const child = spawn(process.execPath, [BIN, 'mcp'], {
      cwd: CWD,
      env: { ...baseEnv(), AIRTABLE_TOKEN: TOKEN, AIRTABLE_API_URL: emulator.url },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    const answers = new Map<number, unknown>();
    let buffered = '';
    child.stdout.on('data', (c: Buffer) => {
      buffered += c.toString();
      for (let nl = buffered.indexOf('\n'); nl >= 0; nl = buffered.indexOf('\n')) {
        const message = JSON.parse(buffered.slice(0, nl)) as { id?: number };
        buffered = buffered.slice(nl + 1);
        if (typeof message.id === 'number') answers.set(message.id, message);
      }
    });
    const answerTo = async (id: number) => {
      while (!answers.has(id)) await new Promise((r) => setTimeout(r, 10));
      return answers.get(id) as { result?: { tools?: unknown[] } };
    };
    const send = (message: unknown) => child.stdin.write(`${JSON.stringify(message)}\n`);
    send({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
    });
    await answerTo(1);
    send({ jsonrpc: '2.0', method: 'notifications/initialized' });
    send({ jsonrpc: '2.0', id: 2, method: 'tools/list' });
    expect((await answerTo(2)).result?.tools?.length).toBe(createCatalogue(OPEN_POLICY).length);

    const closedAt = performance.now();
    child.stdin.end();
    const code = await exited;
    const exitMs = performance.now() - closedAt;
    expect(code).toBe(0);
    expect(exitMs).toBeLessThan(2_000);
    expect(stderr).not.toContain('Maximum call stack');
    expect(stderr.match(/airsuite mcp: closing/g) ?? []).toHaveLength(1);
  });

  it('exits with code 2 and a clear message when AIRTABLE_TOKEN is missing', async () => {
    const child = spawn(process.execPath, [BIN, 'mcp'], {
      cwd: CWD,
      env: baseEnv(),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(2);
    expect(stderr).toContain('AIRTABLE_TOKEN');
    expect(stdout).toBe('');
  });
});
