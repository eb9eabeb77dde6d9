import { isToolError, type SafetyPolicy, type ToolContext, type ToolDefinition } from '@airsuite/tools';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { type LogLevelGate, sendLog } from './mcp-logger.ts';
import type { ContextFor, McpRequestExtra } from './tool-context-factory.ts';

/** What a model sees when a tool fails for a reason it cannot fix. Never a stack, never a token. */
export const INTERNAL_TOOL_ERROR = 'TOOL_INTERNAL_ERROR: the tool failed unexpectedly; try again later.';

export interface RegisterToolsOptions {
  tools: readonly ToolDefinition[];
  policy: SafetyPolicy;
  contextFor: ContextFor;
  logGate: LogLevelGate;
  /** Server-side record of unexpected failures (stderr in stdio mode); never shown to the model. */
  onInternalError(error: unknown, toolName: string): void;
}

/** Registers each tool; write tools are skipped in read-only deployments (defence in depth). */
export function registerTools(server: McpServer, options: RegisterToolsOptions): void {
  for (const tool of options.tools) {
    if (options.policy.readOnly && tool.writes) continue;
    server.registerTool(
      tool.name,
      {
        title: tool.title,
        description: tool.description,
        inputSchema: tool.inputSchema,
        outputSchema: tool.outputSchema,
        annotations: tool.annotations,
      },
      (input: unknown, extra: McpRequestExtra) => callTool(tool, input, extra, options),
    );
  }
}

async function callTool(
  tool: ToolDefinition,
  input: unknown,
  extra: McpRequestExtra,
  options: RegisterToolsOptions,
): Promise<CallToolResult> {
  const context: ToolContext = {
    ...options.contextFor(extra),
    policy: options.policy,
    signal: extra.signal,
    progress: progressReporter(extra),
    log: (level, message, data) => sendLog(options.logGate, extra, level, tool.name, { message, ...data }),
  };
  try {
    const output = await tool.handler(input as never, context);
    const structuredContent = output as Record<string, unknown>;
    return {
      content: [{ type: 'text', text: tool.render?.(output) ?? JSON.stringify(output) }],
      structuredContent,
    };
  } catch (error) {
    if (isToolError(error)) {
      return {
        isError: true,
        content: [{ type: 'text', text: `${error.code}: ${error.message}` }],
        _meta: { airsuite: { code: error.code, ...(error.details ? { details: error.details } : {}) } },
      };
    }
    if (extra.signal.aborted) {
      return {
        isError: true,
        content: [{ type: 'text', text: 'TOOL_CANCELLED: the call was cancelled.' }],
        _meta: { airsuite: { code: 'TOOL_CANCELLED' } },
      };
    }
    options.onInternalError(error, tool.name);
    sendLog(options.logGate, extra, 'error', tool.name, {
      message: 'tool failed unexpectedly',
      error: error instanceof Error ? error.name : typeof error,
    });
    return {
      isError: true,
      content: [{ type: 'text', text: INTERNAL_TOOL_ERROR }],
      _meta: { airsuite: { code: 'TOOL_INTERNAL_ERROR' } },
    };
  }
}

/** `notifications/progress` for the caller's progressToken; progress that does not increase is dropped. */
function progressReporter(extra: McpRequestExtra): ToolContext['progress'] {
  const progressToken = extra._meta?.progressToken;
  if (progressToken === undefined) return () => {};
  let last = Number.NEGATIVE_INFINITY;
  return (update) => {
    if (!(update.progress > last) || extra.signal.aborted) return;
    last = update.progress;
    extra
      .sendNotification({
        method: 'notifications/progress',
        params: {
          progressToken,
          progress: update.progress,
          ...(update.total !== undefined ? { total: update.total } : {}),
          ...(update.message !== undefined ? { message: update.message } : {}),
        },
      })
      .catch(() => {});
  };
}
