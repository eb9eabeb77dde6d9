import type { SafetyPolicy, ToolDefinition } from '@airsuite/tools';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { SetLevelRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { serveCompactToolsList } from './compact-tools-list.ts';
import { createLogLevelGate } from './mcp-logger.ts';
import { registerPrompts } from './register-prompts.ts';
import { registerResources } from './register-resources.ts';
import { registerTools } from './register-tools.ts';
import { ServedTools } from './served-tools.ts';
import type { ContextFor } from './tool-context-factory.ts';

export const MCP_SERVER_NAME = 'airsuite';
export const MCP_SERVER_VERSION = '0.1.0';

export interface CreateMcpServerOptions {
  /** The catalogue to serve (`createCatalogue(policy)`); write tools are also dropped here when read-only. */
  tools: readonly ToolDefinition[];
  /** The deployment's safety policy: handed to every tool, and filters the schema resources. */
  policy: SafetyPolicy;
  /** The Airtable client and caller for a request. */
  contextFor: ContextFor;
  name?: string;
  version?: string;
  /** Unexpected (non-ToolError) failures, for the operator's log. Default: ignored. */
  onInternalError?: (error: unknown, where: string) => void;
  /** The tool set to serve, when its owner replaces it while the session is open (`tools` and `policy` are then its first). */
  served?: ServedTools;
}

const INSTRUCTIONS =
  'AirSuite gives typed access to Airtable. Start with list_bases, read a base schema ' +
  '(resource airtable://bases/{baseId}/schema) before querying, and confirm with the user before destructive writes.';

/** One MCP server (one connection): tools, base-schema resources, starter prompts, logging. */
export function createMcpServer(options: CreateMcpServerOptions): McpServer {
  const server = new McpServer(
    { name: options.name ?? MCP_SERVER_NAME, version: options.version ?? MCP_SERVER_VERSION },
    {
      // listChanged: a workspace's plugins change its catalogue while sessions are open.
      capabilities: { tools: { listChanged: true }, resources: {}, prompts: {}, logging: {} },
      instructions: INSTRUCTIONS,
    },
  );
  const logGate = createLogLevelGate();
  server.server.setRequestHandler(SetLevelRequestSchema, (request) => {
    logGate.level = request.params.level;
    return {};
  });
  const served = options.served ?? new ServedTools(options.tools, options.policy);
  registerTools(server, {
    served,
    contextFor: options.contextFor,
    logGate,
    onInternalError: options.onInternalError ?? (() => {}),
  });
  // Replaces the SDK's tools/list (installed by registerTool, absent for an empty catalogue).
  serveCompactToolsList(server, served);
  registerResources(server, options.policy, options.contextFor);
  registerPrompts(server);
  return server;
}
