import type { z } from 'zod';
import type { WorkspaceRole } from './platform-port.ts';
import type { ToolContext } from './tool-context.ts';

/** MCP tool annotations: hints a client uses to decide on confirmations. */
export interface ToolAnnotations {
  title?: string;
  readOnlyHint: boolean;
  destructiveHint: boolean;
  idempotentHint: boolean;
  openWorldHint: boolean;
}

/**
 * One tool: plain data plus a handler. The MCP server, the orchestrator and the REST API
 * all serve the same definitions.
 */
export interface ToolDefinition<I extends z.ZodObject = z.ZodObject, O extends z.ZodObject = z.ZodObject> {
  /** snake_case, starts with a verb: `list_records`. */
  name: string;
  title: string;
  /** For a model: what it does, when to use it, what it returns, its limits. */
  description: string;
  inputSchema: I;
  outputSchema: O;
  annotations: ToolAnnotations;
  /** True for tools that change Airtable; hidden in read-only deployments. */
  writes: boolean;
  /** Reads what the write tools did (operations): listed only where they are. */
  withWrites?: boolean;
  /**
   * The lowest workspace role that may see and call this tool. Defaults to `editor` for
   * write tools and `viewer` for the rest (see `effectiveMinimumRole`).
   */
  minimumRole?: WorkspaceRole;
  /** True for tools that need `context.platform` (AirSuite's platform); listed only where it is served. */
  platform?: boolean;
  handler(input: z.output<I>, context: ToolContext): Promise<z.output<O>>;
  /** A compact text rendering of the output for the model (defaults to JSON). */
  render?(output: z.output<O>): string;
}

/** Identity helper that keeps the input and output types tied to their schemas. */
export function defineTool<I extends z.ZodObject, O extends z.ZodObject>(
  tool: ToolDefinition<I, O>,
): ToolDefinition<I, O> {
  return tool;
}
