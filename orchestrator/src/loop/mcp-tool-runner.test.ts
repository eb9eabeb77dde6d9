import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { describe, expect, it } from 'vitest';
import { mcpToolRunner } from './mcp-tool-runner.ts';

/** Only listTools is exercised here: a client whose server fails the first listing. */
function flakyLister() {
  let calls = 0;
  const client = {
    async listTools() {
      calls += 1;
      if (calls === 1) throw new Error('MCP error -32001: Request timed out');
      return { tools: [{ name: 'list_bases', inputSchema: { type: 'object' } }] };
    },
  };
  return { client: client as unknown as Client, calls: () => calls };
}

describe('mcpToolRunner.listTools', () => {
  it('lists once and reuses the answer', async () => {
    const lister = flakyLister();
    const runner = mcpToolRunner(lister.client);
    await expect(runner.listTools()).rejects.toThrow('timed out');
    const [first, second] = await Promise.all([runner.listTools(), runner.listTools()]);
    expect(first.map((tool) => tool.name)).toEqual(['list_bases']);
    expect(second).toBe(first);
    expect(lister.calls()).toBe(2);
  });

  it('does not remember a failed listing (the pooled client serves the next runs)', async () => {
    const lister = flakyLister();
    const runner = mcpToolRunner(lister.client);
    await expect(runner.listTools()).rejects.toThrow();
    expect((await runner.listTools()).map((tool) => tool.name)).toEqual(['list_bases']);
  });
});

describe('mcpToolRunner.callTool', () => {
  it('answers a call to a tool it was not given without asking the server', async () => {
    let called = 0;
    const client = {
      listTools: async () => ({ tools: [{ name: 'list_records', inputSchema: { type: 'object' } }] }),
      callTool: async () => {
        called++;
        return { content: [{ type: 'text', text: 'ok' }] };
      },
    } as unknown as Client;
    const runner = mcpToolRunner(client);
    const outcome = await runner.callTool('update_records', {}, new AbortController().signal);
    expect(outcome).toMatchObject({ ok: false, code: 'TOOL_NOT_FOUND' });
    expect((outcome as { message: string }).message).toContain(
      'no tool "update_records" is available to this caller',
    );
    expect(called).toBe(0);
    expect(await runner.callTool('list_records', {}, new AbortController().signal)).toMatchObject({
      ok: true,
    });
    expect(called).toBe(1);
  });
});
