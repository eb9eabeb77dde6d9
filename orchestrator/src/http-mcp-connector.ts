import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { McpConnector } from './service/caller.ts';

/** The header a Streamable HTTP client names its workspace with (the MCP server reads it). */
const WORKSPACE_HEADER = 'x-airsuite-workspace';

const CLIENT_INFO = { name: 'airsuite-orchestrator', version: '0.1.0' };

/** Separate processes: Streamable HTTP to the MCP server, with the caller's own credentials. */
export function httpMcpConnector(mcpUrl: string): McpConnector {
  return async ({ bearer, workspaceId }) => {
    const client = new Client(CLIENT_INFO);
    await client.connect(
      new StreamableHTTPClientTransport(new URL(mcpUrl), {
        requestInit: { headers: { authorization: `Bearer ${bearer}`, [WORKSPACE_HEADER]: workspaceId } },
      }),
    );
    return client;
  };
}
