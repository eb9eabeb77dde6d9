import type { z } from 'zod';
import { withSchemaRefresh } from '../airtable/schema-refresh.ts';
import type { ToolDefinition } from './define-tool.ts';
import { toolAllowedBy } from './policy.ts';
import { effectiveMinimumRole, roleAtLeast } from './roles.ts';
import type { ToolContext } from './tool-context.ts';
import { isToolError, type ToolErrorCode } from './tool-error.ts';
import { type InputIssue, unknownArgumentIssues } from './unknown-arguments.ts';

/** What a caller sees when a tool fails for a reason it cannot fix. Never a stack, never a token. */
export const INTERNAL_TOOL_ERROR_MESSAGE = 'the tool failed unexpectedly; try again later.';

const CANCELLED_MESSAGE = 'the call was cancelled.';

/** The result of one tool call, ready for any face to turn into its own wire shape. */
export type ToolOutcome =
  | { ok: true; output: Record<string, unknown>; text: string }
  | { ok: false; code: ToolErrorCode; message: string; details?: Record<string, unknown> };

export interface RunToolHooks {
  /** Server-side record of an unexpected failure; the caller only sees `INTERNAL_TOOL_ERROR_MESSAGE`. */
  onInternalError?(error: unknown): void;
}

/**
 * Runs one tool call the same way for every face (MCP, REST, orchestrator): refuses what the
 * policy or the caller's role does not allow (even if the catalogue already hid the tool),
 * validates the input (unknown top-level keys included), runs the handler, and maps every
 * failure to a code. Never throws for a tool's failure, and never passes an unexpected
 * error's message on.
 */
export async function runTool<I extends z.ZodObject, O extends z.ZodObject>(
  tool: ToolDefinition<I, O>,
  rawInput: unknown,
  context: ToolContext,
  hooks: RunToolHooks = {},
): Promise<ToolOutcome> {
  const started = performance.now();
  let input: unknown = rawInput;
  const outcome = await (async (): Promise<ToolOutcome> => {
    const refusal = refuse(tool, context);
    if (refusal) return refusal;
    const unknown = unknownArgumentIssues(tool.inputSchema, rawInput);
    const parsed = tool.inputSchema.safeParse(rawInput);
    if (unknown.length > 0 || !parsed.success)
      return invalidInput([...unknown, ...(parsed.success ? [] : schemaIssues(parsed.error))]);
    input = parsed.data;
    try {
      // A table or field created elsewhere since the schema was cached is found on this call.
      const output = await withSchemaRefresh(context, parsed.data, () => tool.handler(parsed.data, context));
      const text = tool.render?.(output) ?? JSON.stringify(output);
      return { ok: true, output: output as Record<string, unknown>, text };
    } catch (error) {
      if (isToolError(error)) {
        return {
          ok: false,
          code: error.code,
          message: error.message,
          ...(error.details ? { details: error.details } : {}),
        };
      }
      if (context.signal.aborted) return { ok: false, code: 'TOOL_CANCELLED', message: CANCELLED_MESSAGE };
      hooks.onInternalError?.(error);
      return { ok: false, code: 'TOOL_INTERNAL_ERROR', message: INTERNAL_TOOL_ERROR_MESSAGE };
    }
  })();
  await context
    .onOutcome?.({
      tool: tool.name,
      outcome,
      input,
      durationMs: performance.now() - started,
      ...(context.requestId ? { requestId: context.requestId } : {}),
    })
    .catch((error: unknown) => hooks.onInternalError?.(error));
  return outcome;
}

/** Checked before the input, so a caller who may not use a tool learns nothing about its schema. */
function refuse(tool: ToolDefinition, context: ToolContext): ToolOutcome | undefined {
  if (!toolAllowedBy(context.policy, tool)) {
    return {
      ok: false,
      code: 'TOOL_READ_ONLY',
      message: `${tool.name} changes Airtable, and this deployment is read-only.`,
    };
  }
  const role = context.caller.role;
  const needed = effectiveMinimumRole(tool);
  if (role !== undefined && !roleAtLeast(role, needed)) {
    return {
      ok: false,
      code: 'TOOL_NOT_ALLOWED',
      message: `${tool.name} needs the ${needed} role or higher in this workspace; you are ${role}.`,
      details: { requiredRole: needed, role },
    };
  }
  return undefined;
}

function schemaIssues(error: z.ZodError): InputIssue[] {
  return error.issues.map((issue) => ({
    path: issue.path.map(String).join('.'),
    message: issue.message,
  }));
}

function invalidInput(issues: InputIssue[]): ToolOutcome {
  const lines = issues.map((issue) => `${issue.path || '(input)'}: ${issue.message}`);
  return {
    ok: false,
    code: 'TOOL_INVALID_INPUT',
    message: `Invalid input. ${lines.join('; ')}`,
    details: { issues },
  };
}
