import type { Platform } from '@airsuite/platform-api';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { createMcpServer } from './create-mcp-server.ts';
import { createPlatformAuthenticator, WORKSPACE_HEADER } from './platform-authenticator.ts';

/** Who connects: the same bearer and workspace a Streamable HTTP client would send. */
export interface InMemoryConnectRequest {
  bearer: string;
  workspaceId: string;
}

export interface InMemoryClientOptions {
  clientInfo?: { name: string; version: string };
}

/**
 * For one-process deployments: an MCP client wired to a server in memory, but the caller
 * is authenticated exactly as over HTTP (same authenticator, same role-filtered catalogue,
 * same audit trail). A refused credential rejects with McpAuthError, as HTTP would answer.
 * Closing the client closes its server.
 */
export function inMemoryMcpClients(
  platform: Platform,
  options: InMemoryClientOptions = {},
): (request: InMemoryConnectRequest) => Promise<Client> {
  const authenticate = createPlatformAuthenticator(platform);
  const clientInfo = options.clientInfo ?? { name: 'airsuite-in-memory', version: '0.1.0' };
  return async ({ bearer, workspaceId }) => {
    const identity = await authenticate({
      authorization: `Bearer ${bearer}`,
      [WORKSPACE_HEADER]: workspaceId,
    });
    const server = createMcpServer({
      tools: identity.tools,
      policy: identity.policy,
      contextFor: identity.contextFor,
    });
    const client = new Client(clientInfo);
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
