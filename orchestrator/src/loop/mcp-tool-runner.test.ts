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
