import { createHash } from 'node:crypto';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { mcpToolRunner } from './loop/mcp-tool-runner.ts';
import type { ToolRunner } from './loop/tool-runner.ts';
import type { Caller, McpConnector } from './service/caller.ts';

const DEFAULT_IDLE_MS = 60_000;
const DEFAULT_MAX_CLIENTS = 100;

interface Entry {
  client: Promise<Client>;
  runner: Promise<ToolRunner>;
  users: number;
  timer?: NodeJS.Timeout;
}

/**
 * MCP clients kept open between runs of the same caller, so a chat does not pay for a new
 * MCP session (and its tools/list) on every message. The key holds the caller's role: a
 * role change opens a new client with the new catalogue. Callers are authenticated by the
 * HTTP layer on every request, so a revoked credential never reaches a pooled client.
 */
export function createMcpClientPool(
  connect: McpConnector,
  options: { idleMs?: number; maxClients?: number } = {},
) {
  const idleMs = options.idleMs ?? DEFAULT_IDLE_MS;
  const maxClients = options.maxClients ?? DEFAULT_MAX_CLIENTS;
  const entries = new Map<string, Entry>();

  const keyOf = (caller: Caller) =>
    createHash('sha256')
      .update(`${caller.bearer}\u0000${caller.access.workspaceId}\u0000${caller.access.role}`)
      .digest('hex');

  const drop = (key: string, entry: Entry) => {
    if (entries.get(key) === entry) entries.delete(key);
    clearTimeout(entry.timer);
    void entry.client.then((client) => client.close()).catch(() => {});
  };

  return {
    /** A tool runner for the caller; call the returned release when the run ends. */
    acquire(caller: Caller): { runner: Promise<ToolRunner>; release(): void } {
      const key = keyOf(caller);
      let entry = entries.get(key);
      if (!entry) {
        if (entries.size >= maxClients) {
          const idle = [...entries].find(([, candidate]) => candidate.users === 0);
          if (idle) drop(...idle);
        }
        const client = connect({ bearer: caller.bearer, workspaceId: caller.access.workspaceId });
        const runner = client.then(mcpToolRunner);
        const created: Entry = { client, runner, users: 0 };
        // A failed connection is not kept: the next run tries again. The run sees the failure
        // when it awaits the runner; until then it must not count as an unhandled rejection
        // (which would end the process).
        client.catch(() => drop(key, created));
        runner.catch(() => {});
        entry = created;
        entries.set(key, entry);
      }
      const current = entry;
      current.users += 1;
      clearTimeout(current.timer);
      let released = false;
      return {
        runner: current.runner,
        release() {
          if (released) return;
          released = true;
          current.users -= 1;
          if (current.users === 0) {
            current.timer = setTimeout(() => drop(key, current), idleMs);
            current.timer.unref();
          }
        },
      };
    },
    async close() {
      const all = [...entries];
      entries.clear();
      await Promise.all(
        all.map(async ([, entry]) => {
          clearTimeout(entry.timer);
          await entry.client.then((client) => client.close()).catch(() => {});
        }),
      );
    },
  };
}
