import type { FunctionDeclaration } from '@google/genai';
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import { toFunctionDeclarations } from '../gemini/index.ts';
import { ChatError } from './errors.ts';
import { FETCH_RESULT_DECLARATION } from './fetch-result-tool.ts';
import type { ToolRunner } from './tool-runner.ts';

/** The caller's catalogue for one run: tools by name (for policy) and as Gemini declarations. */
export interface RunTools {
  byName: ReadonlyMap<string, Tool>;
  declarations: FunctionDeclaration[];
}

/** Lists the caller's tools once per run; CHAT_TOOLS_UNAVAILABLE when the MCP server cannot. */
export async function listRunTools(runner: ToolRunner): Promise<RunTools> {
  let tools: Tool[];
  try {
    tools = await runner.listTools();
  } catch (error) {
    throw new ChatError('CHAT_TOOLS_UNAVAILABLE', toolsUnavailableMessage(error));
  }
  return {
    byName: new Map(tools.map((tool) => [tool.name, tool])),
    declarations: [...toFunctionDeclarations(tools), FETCH_RESULT_DECLARATION],
  };
}

/**
 * A refusal that carries a stable code (the MCP server's McpAuthError, e.g. a connection
 * that was removed) tells the user what to fix; anything else is worth a retry.
 */
function toolsUnavailableMessage(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && /^[A-Z][A-Z0-9_]{2,63}$/.test(code) && error instanceof Error) {
    return `the AirSuite tools could not be listed: ${code}: ${error.message}`;
  }
  return 'the AirSuite tools could not be listed; try again';
}
