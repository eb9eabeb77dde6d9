import type { z } from 'zod';

/** One problem with a tool's input, as `TOOL_INVALID_INPUT` lists them in `details.issues`. */
export interface InputIssue {
  /** Dotted path of the offending value; '' for the whole input. */
  path: string;
  message: string;
}

/** The wrapper people copy from MCP's `tools/call` into a REST body (or nest twice over MCP). */
const WRAPPED_MESSAGE =
  'not an argument of this tool: send the tool input itself as the body (over MCP: as the arguments), not wrapped in "arguments"';

/**
 * Top-level keys of `input` that the tool's schema does not take. zod's default object drops
 * them silently, so a misspelt argument or a wrapped input (`{"arguments": {…}}`) would run as
 * if it had not been sent; every face (MCP, REST, chat) refuses them here instead. A schema
 * that decides on unknown keys itself (`z.looseObject`, `z.strictObject`) is left to zod.
 */
export function unknownArgumentIssues(schema: z.ZodObject, input: unknown): InputIssue[] {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return [];
  if (schema.def.catchall !== undefined) return [];
  const known = Object.keys(schema.shape);
  const takes = known.length === 0 ? 'it takes no arguments' : `it takes ${known.join(', ')}`;
  return Object.keys(input)
    .filter((key) => !Object.hasOwn(schema.shape, key))
    .map((key) => ({
      path: key,
      message: key === 'arguments' ? WRAPPED_MESSAGE : `not an argument of this tool (${takes})`,
    }));
}
