import type { ToolDefinition } from '@airsuite/tools';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import {
  type CallToolResult,
  ErrorCode,
  type JSONRPCRequest,
  McpError,
} from '@modelcontextprotocol/sdk/types.js';
import type { ServedTools } from './served-tools.ts';
import type { McpRequestExtra } from './tool-context-factory.ts';

/** Runs one call of a served tool; `input` is the client's arguments, not validated yet. */
export type ToolCaller = (
  tool: ToolDefinition,
  input: unknown,
  extra: McpRequestExtra,
) => Promise<CallToolResult>;

/**
 * Answers `tools/call` for the server's current tools, handing the arguments on unvalidated: `runTool` is the one
 * place that validates them, so a model gets TOOL_INVALID_INPUT and its issue list as an
 * `isError` result (SEP-1303), as REST and chat do.
 *
 * The SDK's own tools/call (McpServer installs it for the tools capability) validates first,
 * answering with its own text and no AirSuite code, and any handler registered for tools/call
 * is held to the SDK's request schema, which answers `arguments: null` with -32603 and a zod
 * dump. So the SDK's handler is removed and ours is the protocol's fallback, which receives
 * the raw request. `registerTool` must not be used on this server: it would put the SDK's
 * back. tools/list is served separately (`serveCompactToolsList`), from the same definitions.
 */
export function serveToolCalls(server: McpServer, served: ServedTools, call: ToolCaller): void {
  server.server.removeRequestHandler('tools/call');
  server.server.fallbackRequestHandler = async (request: JSONRPCRequest, extra: McpRequestExtra) => {
    // What the SDK answers for any method without a handler.
    if (request.method !== 'tools/call') throw new McpError(ErrorCode.MethodNotFound, 'Method not found');
    const params = (request.params ?? {}) as { name?: unknown; arguments?: unknown };
    if (typeof params.name !== 'string')
      throw new McpError(ErrorCode.InvalidParams, 'tools/call needs params.name, the name of a tool');
    const tool = served.get(params.name);
    // A protocol error, as MCP 2025-11-25 asks: the model cannot fix a call to a tool that is not listed.
    if (!tool) throw new McpError(ErrorCode.InvalidParams, `Unknown tool: ${params.name}`);
    // Clients send `arguments: null`, or none at all, for "no arguments".
    return call(tool, params.arguments ?? {}, extra);
  };
}
