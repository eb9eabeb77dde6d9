import type { WorkspaceAccess } from '@airsuite/platform-api';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';

/** Who is chatting: their access to the workspace, and the credential the MCP server authenticates. */
export interface Caller {
  access: WorkspaceAccess;
  bearer: string;
}

/** Opens an MCP client of the MCP server as the caller (in memory, or Streamable HTTP). */
export type McpConnector = (caller: { bearer: string; workspaceId: string }) => Promise<Client>;
