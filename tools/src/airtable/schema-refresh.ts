import type { ToolContext } from '../core/tool-context.ts';
import { isToolError } from '../core/tool-error.ts';
import { loadSchema } from './schema.ts';

/** What `resolveTable` and `resolveField` throw for a name the schema does not hold. */
const NAME_MISSES = new Set(['TOOL_UNKNOWN_TABLE', 'TOOL_UNKNOWN_FIELD']);

function baseIdOf(input: unknown): string | undefined {
  const baseId = (input as { base_id?: unknown } | null)?.base_id;
  return typeof baseId === 'string' ? baseId : undefined;
}

/**
 * Runs a tool call so that a table or field created elsewhere (in Airtable, on another
 * integration) is usable on the very next call, not once the gateway's schema cache expires:
 * when the call fails because a name is unknown to the base's schema (`input.base_id`), the
 * schema is read again from Airtable and the call runs once more against it. The gateway merges
 * concurrent refreshes of a base into one read and refreshes a base at most once a second, so
 * a stream of calls naming a table that does not exist does not become a read per call.
 *
 * Safe for write tools: every tool resolves its names before it records or writes anything.
 */
export async function withSchemaRefresh<T>(
  ctx: ToolContext,
  input: unknown,
  run: () => Promise<T>,
): Promise<T> {
  try {
    return await run();
  } catch (error) {
    const baseId = baseIdOf(input);
    if (!isToolError(error) || !NAME_MISSES.has(error.code) || baseId === undefined || ctx.signal.aborted)
      throw error;
    await loadSchema(ctx, baseId, { fresh: true });
    return run();
  }
}
