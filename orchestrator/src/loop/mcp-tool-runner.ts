import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { CallToolResult, Tool } from '@modelcontextprotocol/sdk/types.js';
import type { ToolCallOutcome, ToolRunner } from './tool-runner.ts';

/** Long Airtable writes report progress; each report restarts the SDK's request timeout. */
const CALL_TIMEOUT_MS = 120_000;

function textOf(result: CallToolResult): string {
  return (result.content ?? [])
    .map((item) => (item.type === 'text' ? item.text : `[${item.type}]`))
    .join('\n');
}

/** A ToolRunner over a connected MCP client (in memory or Streamable HTTP). */
export function mcpToolRunner(client: Client): ToolRunner {
  let tools: Promise<Tool[]> | undefined;
  const listTools = () => {
    // A failed listing is not remembered: the pooled client serves later runs too.
    tools ??= client.listTools().then(
      (listed) => listed.tools,
      (error: unknown) => {
        tools = undefined;
        throw error;
      },
    );
    return tools;
  };
  return {
    listTools,
    async callTool(name, args, signal): Promise<ToolCallOutcome> {
      // A call to a tool the model was not given (a viewer's write, a made-up name) is answered
      // here, in words it can act on, instead of as the server's protocol error.
      const listed = await listTools().catch(() => undefined);
      if (listed && !listed.some((tool) => tool.name === name)) {
        return {
          ok: false,
          code: 'TOOL_NOT_FOUND',
          message: `no tool "${name}" is available to this caller (its role or the deployment's policy leaves it out, or it does not exist); use only the tools you were given`,
        };
      }
      try {
        const result = (await client.callTool({ name, arguments: args }, undefined, {
          signal,
          timeout: CALL_TIMEOUT_MS,
          resetTimeoutOnProgress: true,
          onprogress: () => {},
        })) as CallToolResult;
        const text = textOf(result);
        if (result.isError) {
          const meta = (result._meta as { airsuite?: { code?: string; details?: unknown } } | undefined)
            ?.airsuite;
          const code = meta?.code ?? /^([A-Z][A-Z_]+):/.exec(text)?.[1] ?? 'TOOL_ERROR';
          return {
            ok: false,
            code,
            message: text.replace(/^[A-Z][A-Z_]+:\s*/, ''),
            ...(meta?.details ? { details: meta.details } : {}),
          };
        }
        return { ok: true, output: result.structuredContent ?? { text }, text };
      } catch (error) {
        if (signal.aborted) return { ok: false, code: 'TOOL_CANCELLED', message: 'the call was cancelled' };
        // Protocol errors (unknown tool, invalid arguments) are the model's to fix.
        const message = error instanceof Error ? error.message : String(error);
        return { ok: false, code: 'TOOL_CALL_FAILED', message: message.replace(/^MCP error -?\d+:\s*/, '') };
      }
    },
    close: () => client.close(),
  };
}
