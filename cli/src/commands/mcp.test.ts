import { createEmulator } from '@airsuite/airtable-emulator';
import { describe, expect, it } from 'vitest';
import { main } from '../main.ts';
import { recordingIo } from '../test-io.ts';

describe('airsuite mcp', () => {
  it('documents its flags and environment in --help', async () => {
    const { io, out } = recordingIo();
    expect(await main(['node', 'airsuite', 'mcp', '--help'], io, {})).toBe(0);
    const help = out.join('\n');
    for (const word of [
      '--http',
      '--stateless',
      'AIRTABLE_TOKEN',
      'AIRTABLE_API_URL',
      'MCP_AUTH_TOKEN',
      'AIRSUITE_READ_ONLY',
    ]) {
      expect(help).toContain(word);
    }
  });

  it('exits 2 when AIRTABLE_TOKEN or MCP_AUTH_TOKEN is missing', async () => {
    const stdio = recordingIo();
    expect(await main(['node', 'airsuite', 'mcp'], stdio.io, {})).toBe(2);
    expect(stdio.err.join('\n')).toContain('AIRTABLE_TOKEN');
    const http = recordingIo();
    expect(
      await main(['node', 'airsuite', 'mcp', '--http'], http.io, { AIRTABLE_TOKEN: 'patX0000000001' }),
    ).toBe(2);
    expect(http.err.join('\n')).toContain('MCP_AUTH_TOKEN');
  });

  it('--http serves Streamable HTTP until shutdown', async () => {
    const emulator = await createEmulator({ port: 0, seed: 'sample', tokens: ['patCliMcpToken0001'] });
    const { io, out, stop } = recordingIo();
    const env = {
      AIRTABLE_TOKEN: 'patCliMcpToken0001',
      AIRTABLE_API_URL: emulator.url,
      MCP_AUTH_TOKEN: 'cli-test-auth-token-0001',
      MCP_PORT: '0',
    };
    const done = main(['node', 'airsuite', 'mcp', '--http', '--stateless'], io, env);
    while (!out.some((line) => line.includes('/mcp'))) await new Promise((r) => setTimeout(r, 10));
    const url = /(http:\/\/\S+\/mcp)/.exec(out.join('\n'))?.[1] ?? '';
    expect(out.join('\n')).toContain('stateless');
    const res = await fetch(url, { method: 'POST', body: '{}' });
    expect(res.status).toBe(401);
    stop();
    expect(await done).toBe(0);
    await emulator.close();
  });
});
