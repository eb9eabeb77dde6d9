import type { Tool } from '@modelcontextprotocol/sdk/types.js';

export type ToolCallOutcome =
  | { ok: true; output: unknown; text: string }
  | { ok: false; code: string; message: string; details?: unknown };

/**
 * The tools as the chatting user sees them: an MCP client of the MCP server, authenticated
 * as that user, so roles and connections apply exactly as for Claude Desktop.
 */
export interface ToolRunner {
  listTools(): Promise<Tool[]>;
  /** Aborting `signal` sends MCP `notifications/cancelled` for the running call. */
  callTool(name: string, args: Record<string, unknown>, signal: AbortSignal): Promise<ToolCallOutcome>;
  close(): Promise<void>;
}
