import {
  createMcpServer,
  createPlatformAuthenticator,
  McpAuthError,
  WORKSPACE_HEADER,
} from '@airsuite/mcp-server';
import type { Platform } from '@airsuite/platform-api';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { McpConnector } from './chat-service.ts';
import { ChatError } from './loop/errors.ts';

const CLIENT_INFO = { name: 'airsuite-orchestrator', version: '0.1.0' };

/**
 * One process: the MCP server runs in memory, but the caller is authenticated exactly as
 * over HTTP (same authenticator, same role-filtered catalogue, same audit trail).
 */
export function inMemoryMcpConnector(platform: Platform): McpConnector {
  const authenticate = createPlatformAuthenticator(platform);
  return async ({ bearer, workspaceId }) => {
    let identity: Awaited<ReturnType<typeof authenticate>>;
    try {
      identity = await authenticate({ authorization: `Bearer ${bearer}`, [WORKSPACE_HEADER]: workspaceId });
    } catch (error) {
      if (error instanceof McpAuthError)
        throw new ChatError('CHAT_TOOLS_UNAVAILABLE', `${error.code}: ${error.message}`);
      throw error;
    }
    const server = createMcpServer({
      tools: identity.tools,
      policy: identity.policy,
      contextFor: identity.contextFor,
    });
    const client = new Client(CLIENT_INFO);
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    await Promise.all([server.connect(serverSide), client.connect(clientSide)]);
    const close = client.close.bind(client);
    client.close = async () => {
      await close();
      await server.close();
    };
    return client;
  };
}

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
