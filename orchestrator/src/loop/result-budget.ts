export const DEFAULT_MAX_RESULT_CHARS = 8_000;
export const FETCH_RESULT_TOOL = 'fetch_tool_result';

/**
 * What history keeps of a tool result: all of it when small; otherwise the beginning, the
 * sizes, and a handle the model can pass to `fetch_tool_result` for the rest.
 */
export function boundedResult(
  output: unknown,
  maxChars: number,
  handle: () => Promise<string>,
): Promise<unknown> | unknown {
  const text = JSON.stringify(output);
  if (text.length <= maxChars) return output;
  return handle().then((id) => ({
    truncated: true,
    result_handle: id,
    total_chars: text.length,
    preview: `${text.slice(0, Math.max(0, maxChars - 400))}…`,
    note: `The full result is stored. Call ${FETCH_RESULT_TOOL} with this result_handle (and offset) to read more of it.`,
  }));
}
