import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { afterEach, describe, expect, it } from 'vitest';
import type { Caller } from './chat-service.ts';
import { createMcpClientPool } from './mcp-client-pool.ts';

const caller: Caller = {
  bearer: 'ask_live_spec',
  access: {
    principal: { kind: 'user', userId: 'usr_1', email: 'a@example.com', sessionId: 'ses_1' },
    workspaceId: 'wsp_1',
    workspaceName: 'Spec',
    role: 'editor',
    workspaceCreatedAt: '2026-01-01T00:00:00Z',
    workspaceUpdatedAt: '2026-01-01T00:00:00Z',
  },
};

const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);
afterEach(() => {
  process.off('unhandledRejection', onUnhandled);
  unhandled.length = 0;
});

describe('createMcpClientPool when the MCP server cannot be reached', () => {
  it('hands the failure to the run that awaits it, never to the process as an unhandled rejection', async () => {
    process.on('unhandledRejection', onUnhandled);
    const pool = createMcpClientPool(async () => {
      throw new Error('connect ECONNREFUSED 127.0.0.1:8001');
    });
    const lease = pool.acquire(caller);
    // A run does other work (database, model settings) before it first needs the tools.
    await new Promise((resolve) => setTimeout(resolve, 20));
    await expect(lease.runner).rejects.toThrow('ECONNREFUSED');
    lease.release();
    expect(unhandled).toEqual([]);
  });

  it('does not keep a failed connection: the next run connects again', async () => {
    let attempts = 0;
    const pool = createMcpClientPool(async () => {
      attempts += 1;
      if (attempts === 1) throw new Error('down for a moment');
      return { close: async () => {} } as unknown as Client;
    });
    const first = pool.acquire(caller);
    await expect(first.runner).rejects.toThrow('down for a moment');
    first.release();
    const second = pool.acquire(caller);
    await second.runner.catch(() => {});
    expect(attempts).toBe(2);
    second.release();
    await pool.close();
  });
});
