import { fileURLToPath } from 'node:url';
import { createPlatformAuthenticator, startMcpHttpServer, WORKSPACE_HEADER } from '@airsuite/mcp-server';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Stage } from './eval-world.ts';

export type McpTransportKind = 'http' | 'stdio';

/** The `airsuite` command as a checkout runs it (`npx airsuite`): bin/ over the sources. */
const AIRSUITE_BIN = fileURLToPath(new URL('../../../cli/bin/airsuite.js', import.meta.url));

/**
 * An MCP SDK client speaking for the stage's caller, over the platform's Streamable HTTP
 * endpoint; or over stdio to a real `airsuite mcp` child process, as Claude Desktop starts it,
 * relaying with an API key of the caller's role (so the platform's roles apply as they do there).
 */
export async function openMcpClient(
  stage: Stage,
  kind: McpTransportKind,
): Promise<{ client: Client; close(): Promise<void> }> {
  const server = await startMcpHttpServer({
    authenticate: createPlatformAuthenticator(stage.platform),
    port: 0,
  });
  const client = new Client({ name: `airsuite-evals-${kind}`, version: '0.1.0' });
  try {
    if (kind === 'http') {
      await client.connect(
        new StreamableHTTPClientTransport(new URL(server.url), {
          requestInit: {
            headers: {
              authorization: `Bearer ${stage.caller.bearer}`,
              [WORKSPACE_HEADER]: stage.caller.access.workspaceId,
            },
          },
        }),
      );
    } else {
      const { token } = await stage.platform.apiKeys.create(stage.owner, {
        name: 'evals over stdio',
        role: stage.caller.access.role,
      });
      await client.connect(
        new StdioClientTransport({
          command: process.execPath,
          args: [AIRSUITE_BIN, 'mcp'],
          env: {
            PATH: process.env.PATH ?? '',
            AIRSUITE_API_KEY: token,
            AIRSUITE_MCP_URL: server.url,
          },
          stderr: 'ignore',
        }),
      );
    }
  } catch (error) {
    await server.close();
    throw error;
  }
  return {
    client,
    async close() {
      await client.close().catch(() => {});
      await server.close();
    },
  };
}
