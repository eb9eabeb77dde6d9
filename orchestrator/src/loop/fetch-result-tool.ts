import type { FunctionDeclaration } from '@google/genai';
import type { ChatStore } from '../store/chat-store.ts';
import { FETCH_RESULT_TOOL } from './result-budget.ts';
import type { ToolCallOutcome } from './tool-runner.ts';

/** Characters of a stored result one fetch_tool_result call returns. */
const PAGE_CHARS = 8000;

/** The loop's own tool, beside the catalogue: pages through a result stored instead of shown. */
export const FETCH_RESULT_DECLARATION: FunctionDeclaration = {
  name: FETCH_RESULT_TOOL,
  description:
    'Read more of a large tool result that was stored instead of shown (it has a result_handle). Returns up to 8000 characters from offset.',
  parametersJsonSchema: {
    type: 'object',
    properties: {
      result_handle: { type: 'string', description: 'res_… from the truncated result' },
      offset: { type: 'integer', minimum: 0, description: 'Character offset; default 0' },
    },
    required: ['result_handle'],
  },
};

/** A page of a result stored in this conversation, or TOOL_INVALID_INPUT for a handle it does not hold. */
export async function fetchStoredResult(
  store: ChatStore,
  conversationId: string,
  args: Record<string, unknown>,
): Promise<ToolCallOutcome> {
  const handle = typeof args.result_handle === 'string' ? args.result_handle : '';
  const stored = await store.getToolResult(conversationId, handle);
  if (!stored)
    return {
      ok: false,
      code: 'TOOL_INVALID_INPUT',
      message: `no stored result ${handle} in this conversation`,
    };
  const text = JSON.stringify(stored.result);
  const offset = typeof args.offset === 'number' && args.offset > 0 ? Math.floor(args.offset) : 0;
  const slice = text.slice(offset, offset + PAGE_CHARS);
  return {
    ok: true,
    output: {
      tool: stored.tool,
      offset,
      next_offset: offset + slice.length < text.length ? offset + slice.length : null,
      text: slice,
    },
    text: slice,
  };
}
