import { type ChatDeps, type ChatRunner, createChatRunner } from '../loop/run-chat.ts';
import type { createMcpClientPool } from '../mcp-client-pool.ts';
import type { ModelPort } from '../model/model-port.ts';
import type { Caller } from './caller.ts';

type McpClientPool = ReturnType<typeof createMcpClientPool>;

/**
 * Runs `work` with a chat runner whose tools are the caller's pooled MCP client, leased for
 * the duration of the work (the pool keeps the client for the caller's next message).
 */
export async function withRunner<T>(
  pool: McpClientPool,
  base: Omit<ChatDeps, 'tools' | 'model'>,
  caller: Caller,
  model: ModelPort | undefined,
  work: (runner: ChatRunner) => Promise<T>,
): Promise<T> {
  const lease = pool.acquire(caller);
  const deps: ChatDeps = {
    ...base,
    ...(model ? { model } : {}),
    tools: {
      listTools: async () => (await lease.runner).listTools(),
      callTool: async (name, args, signal) => (await lease.runner).callTool(name, args, signal),
      close: async () => lease.release(),
    },
  };
  try {
    return await work(createChatRunner(deps));
  } finally {
    lease.release();
  }
}
