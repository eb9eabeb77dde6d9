import {
  INTERNAL_TOOL_ERROR_MESSAGE,
  isToolError,
  runTool,
  type ToolContext,
  type ToolDefinition,
} from '@airsuite/tools';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { type LogLevelGate, sendLog } from './mcp-logger.ts';
import { serveToolCalls } from './serve-tool-calls.ts';
import type { ServedTools } from './served-tools.ts';
import type { CallerContext, ContextFor, McpRequestExtra } from './tool-context-factory.ts';

/** What a model sees when a tool fails for a reason it cannot fix. Never a stack, never a token. */
export const INTERNAL_TOOL_ERROR = `TOOL_INTERNAL_ERROR: ${INTERNAL_TOOL_ERROR_MESSAGE}`;

export interface RegisterToolsOptions {
  served: ServedTools;
  contextFor: ContextFor;
  logGate: LogLevelGate;
  /** Server-side record of unexpected failures (stderr in stdio mode); never shown to the model. */
  onInternalError(error: unknown, toolName: string): void;
}

/** Serves each tool's calls (of the tools the policy allows: see ServedTools). */
export function registerTools(server: McpServer, options: RegisterToolsOptions): void {
  serveToolCalls(server, options.served, (tool, input, extra) => callTool(tool, input, extra, options));
}

async function callTool(
  tool: ToolDefinition,
  input: unknown,
  extra: McpRequestExtra,
  options: RegisterToolsOptions,
): Promise<CallToolResult> {
  let caller: CallerContext;
  try {
    caller = await options.contextFor(extra);
  } catch (error) {
    // A context that could not be built for a known reason (the platform's database is down) says so.
    if (isToolError(error)) {
      return {
        isError: true,
        content: [{ type: 'text', text: `${error.code}: ${error.message}` }],
        _meta: { airsuite: { code: error.code } },
      };
    }
    options.onInternalError(error, tool.name);
    return {
      isError: true,
      content: [{ type: 'text', text: INTERNAL_TOOL_ERROR }],
      _meta: { airsuite: { code: 'TOOL_INTERNAL_ERROR' } },
    };
  }
  const context: ToolContext = {
    ...caller,
    policy: caller.policy ?? options.served.policy,
    signal: extra.signal,
    requestId: `mcp:${extra.sessionId ?? 'stateless'}:${String(extra.requestId)}`,
    progress: progressReporter(extra),
    log: (level, message, data) => sendLog(options.logGate, extra, level, tool.name, { message, ...data }),
  };
  const outcome = await runTool(tool, input, context, {
    onInternalError(error) {
      options.onInternalError(error, tool.name);
      sendLog(options.logGate, extra, 'error', tool.name, {
        message: 'tool failed unexpectedly',
        error: error instanceof Error ? error.name : typeof error,
      });
    },
  });
  if (outcome.ok) {
    return { content: [{ type: 'text', text: outcome.text }], structuredContent: outcome.output };
  }
  return {
    isError: true,
    content: [{ type: 'text', text: `${outcome.code}: ${outcome.message}` }],
    _meta: { airsuite: { code: outcome.code, ...(outcome.details ? { details: outcome.details } : {}) } },
  };
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
