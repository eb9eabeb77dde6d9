import { codedError } from '@airsuite/platform-api';
import type { FunctionDeclaration } from '@google/genai';
import type { Tool as McpTool } from '@modelcontextprotocol/sdk/types.js';
import { sanitiseSchema } from './sanitise-schema.ts';

export type { McpTool };

/**
 * Gemini's function-name rule, taken at its strictest: Vertex's FunctionDeclaration reference
 * ("Must start with a letter or an underscore. Must be a-z, A-Z, 0-9, or contain underscores, dots
 * and dashes, with a maximum length of 64") is narrower than `@google/genai` 2.32.0's
 * `FunctionDeclaration.name` (colons too, up to 128).
 */
export const GEMINI_FUNCTION_NAME = /^[a-zA-Z_][a-zA-Z0-9_.-]{0,63}$/;

export const GEMINI_DECLARATION_ERROR_CODES = ['GEMINI_INVALID_FUNCTION_NAME'] as const;

export type GeminiDeclarationErrorCode = (typeof GEMINI_DECLARATION_ERROR_CODES)[number];

/** A tool that cannot be offered to Gemini as it is: a fault in the catalogue, found at start-up. */
export class GeminiDeclarationError extends codedError<GeminiDeclarationErrorCode>('GeminiDeclarationError') {
  constructor(
    code: GeminiDeclarationErrorCode,
    message: string,
    readonly details: { toolName: string },
  ) {
    super(code, message);
  }
}

/**
 * The MCP server's tools (from `client.listTools()`) as Gemini function declarations, each input
 * schema rewritten into Gemini's documented JSON Schema subset (see `sanitiseSchema`).
 *
 * Names are kept as they are, since Gemini's function calls are routed back to MCP tools by name;
 * a name Gemini would reject throws `GEMINI_INVALID_FUNCTION_NAME` rather than being renamed.
 * A tool without parameters gets no `parametersJsonSchema`, as the API documents ("For function
 * with no parameters, this can be left unset"), instead of an empty object schema.
 */
export function toFunctionDeclarations(tools: readonly McpTool[]): FunctionDeclaration[] {
  return tools.map(toFunctionDeclaration);
}

function toFunctionDeclaration(tool: McpTool): FunctionDeclaration {
  if (!GEMINI_FUNCTION_NAME.test(tool.name)) {
    throw new GeminiDeclarationError(
      'GEMINI_INVALID_FUNCTION_NAME',
      `Tool "${tool.name}" does not match Gemini's function-name rule ${GEMINI_FUNCTION_NAME}`,
      { toolName: tool.name },
    );
  }
  const declaration: FunctionDeclaration = { name: tool.name, description: describe(tool) };
  const parameters = sanitiseSchema(tool.inputSchema);
  parameters.type = 'object'; // "The schema must describe an object" (FunctionDeclaration docs)
  if (hasParameters(parameters)) declaration.parametersJsonSchema = parameters;
  return declaration;
}

/** The description the model picks tools by; never empty. */
function describe(tool: McpTool): string {
  const candidates = [tool.description, tool.title, tool.annotations?.title];
  for (const candidate of candidates) {
    const text = candidate?.trim();
    if (text) return text;
  }
  return tool.name.replace(/[_.-]+/g, ' ').trim();
}

function hasParameters(schema: Record<string, unknown>): boolean {
  const properties = schema.properties;
  const named = typeof properties === 'object' && properties !== null && Object.keys(properties).length > 0;
  return named || (schema.additionalProperties !== undefined && schema.additionalProperties !== false);
}
